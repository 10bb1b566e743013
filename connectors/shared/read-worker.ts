/**
 * The reading thread of read-in-worker.ts: reads mapped files, one job at a time, exactly as
 * the main thread would (readMappedFile), its sink a WireSink that sends the calls back in
 * batches. It waits
 * while the main thread is `MAX_IN_FLIGHT` batches behind, so memory stays bounded however
 * much faster it reads than the sink takes.
 */
import { parentPort } from 'node:worker_threads';
import { Prescans } from './prescan.ts';
import { readMappedFile } from './read-file.ts';
import { WireSink } from './sink-wire.ts';
import type { ReadJob } from './read-in-worker.ts';

/** Batches of 2,048 records (sink-wire.ts): up to 64k records waiting. */
const MAX_IN_FLIGHT = 32;

async function main(job: ReadJob): Promise<void> {
  const port = parentPort!;
  const inFlight = new Int32Array(job.inFlight);
  const wire = new WireSink((batch, transfer) => {
    for (let n = Atomics.load(inFlight, 0); n >= MAX_IN_FLIGHT; n = Atomics.load(inFlight, 0))
      Atomics.wait(inFlight, 0, n, 1000);
    Atomics.add(inFlight, 0, 1);
    port.postMessage({ batch }, transfer);
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

parentPort!.on('message', (job: ReadJob) => void main(job));
