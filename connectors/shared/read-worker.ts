/**
 * The reading thread of read-in-worker.ts: reads mapped files, one job at a time, exactly as
 * the main thread would (readMappedFile), its sink a WireSink that sends the calls back in
 * batches on the job's own port. It waits while the batches the main thread has not replayed
 * hold the job's `maxBytes`, so memory stays bounded however much faster it reads than the
 * sink takes.
 */
import { parentPort } from 'node:worker_threads';
import { Prescans } from './prescan.ts';
import { readMappedFile } from './read-file.ts';
import { WireSink, wireBytes } from './sink-wire.ts';
import type { ReadJob } from './read-in-worker.ts';

async function main(job: ReadJob): Promise<void> {
  const port = job.port;
  const inFlight = new Int32Array(job.inFlight);
  const wire = new WireSink((batch, transfer) => {
    const bytes = wireBytes(batch);
    // one batch always goes, however large
    for (
      let n = Atomics.load(inFlight, 0);
      n > 0 && n + bytes > job.maxBytes;
      n = Atomics.load(inFlight, 0)
    )
      Atomics.wait(inFlight, 0, n, 1000);
    Atomics.add(inFlight, 0, bytes);
    port.postMessage({ batch, bytes }, transfer);
  });
  const prescans = new Prescans();
  if (job.ahead) prescans.put(job.ahead.absPath, job.ahead.options, job.ahead.result);
  try {
    const summary = await readMappedFile(
      { ...job.ctx, prescans, onProgress: (p) => wire.progress(p) },
      job.mapping,
      wire,
      job.options,
    );
    wire.flush();
    port.postMessage({ done: summary });
  } catch (error) {
    wire.flush();
    const e = error as { name?: string; code?: string; message?: string; where?: unknown };
    port.postMessage({
      error: {
        name: e?.name,
        code: e?.code,
        message: e?.message ?? String(error),
        where: e?.where,
      },
    });
  }
}

// the port is closed by the main thread once it has taken the read's last message
parentPort!.on('message', (job: ReadJob) => void main(job));
