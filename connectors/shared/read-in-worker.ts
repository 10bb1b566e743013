/**
 * Reading a large file on another core: its bytes are split, mapped and checked on a worker
 * thread (read-worker.ts) while this thread feeds the records it sends to the sink, so the
 * normalizing and the parsing of one file run at the same time. Every call reaches the sink
 * in the order a read on this thread would make it (sink-wire.ts, sink-replay.ts), with the same summary, the
 * same rejects file and the same failures: only where the work happens changes.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { InputError } from '../../engine/core/errors.ts';
import type { FileMapping } from '../../engine/core/rules/types.ts';
import type { FileSummary, ReadContext, Sink } from '../types.ts';
import { resolveDataPath } from './data-path.ts';
import { limitsOf, maxLineBytes } from './limits.ts';
import type { PrescanOptions, PrescanResult } from './prescan.ts';
import type { ReadOptions } from './read-file.ts';
import { replayBatch } from './sink-replay.ts';
import type { WireBatch } from './sink-wire.ts';

/** What the reading thread is given: everything but the functions and the signal. */
export type ReadJob = {
  ctx: Omit<ReadContext, 'signal' | 'onProgress' | 'prescans'>;
  mapping: FileMapping;
  options: ReadOptions;
  /** The file's first pass made ahead on this thread (ingest.ts), if any. */
  ahead?: { absPath: string; options: PrescanOptions; result: PrescanResult };
  /** One Int32: batches sent and not yet fed to the sink. */
  inFlight: SharedArrayBuffer;
};

type Message =
  | { batch: WireBatch }
  | { done: FileSummary }
  | { error: { name?: string; code?: string; message: string; where?: InputError['where'] } };

export async function readMappedFileInWorker(
  ctx: ReadContext,
  mapping: FileMapping,
  sink: Sink,
  options: ReadOptions = {},
): Promise<FileSummary> {
  const { signal, onProgress, prescans, ...plain } = ctx;
  signal?.throwIfAborted();
  const job: ReadJob = {
    ctx: plain,
    mapping,
    options,
    inFlight: new SharedArrayBuffer(4),
  };
  if (prescans) {
    try {
      const absPath = await resolveDataPath(ctx.dataDir, mapping.path);
      const prescanOptions = { maxLineBytes: maxLineBytes(limitsOf(mapping)) };
      const result = prescans.take(absPath, { signal, ...prescanOptions });
      if (result) job.ahead = { absPath, options: prescanOptions, result };
    } catch {
      // the reading thread meets the same fault and reports it
    }
  }
  const inFlight = new Int32Array(job.inFlight);
  const worker = takeReader();
  worker.ref();
  try {
    worker.postMessage(job);
  } catch (error) {
    inUse--;
    void worker.terminate();
    throw error;
  }
  return new Promise<FileSummary>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void, reusable: boolean) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      inUse--;
      if (reusable) giveBack(worker);
      else void worker.terminate();
      fn();
    };
    const onAbort = () => settle(() => reject(signal!.reason), false);
    const onMessage = (m: Message) => {
      if ('batch' in m) {
        try {
          replayBatch(m.batch, sink, onProgress);
        } catch (error) {
          settle(() => reject(error), false);
        } finally {
          Atomics.sub(inFlight, 0, 1);
          Atomics.notify(inFlight, 0);
        }
      } else if ('done' in m) settle(() => resolve(m.done), true);
      else settle(() => reject(errorOf(m.error)), true);
    };
    const onError = (error: Error) => settle(() => reject(error), false);
    const onExit = (code: number) =>
      settle(
        () => reject(new Error(`the thread reading ${mapping.path} stopped (exit ${code})`)),
        false,
      );
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

/**
 * Idle reading threads, kept (unref'd) so the next file of a run does not pay a thread's
 * start-up; ended when the run's reading is done (endReadingThreads) or after a while without
 * work, so neither the rest of the run nor a long-running server holds their memory.
 */
const idle: Worker[] = [];
const IDLE_MS = 30_000;
const idleTimers = new WeakMap<Worker, NodeJS.Timeout>();

/** Reading threads reading a file now. */
let inUse = 0;

function takeReader(): Worker {
  inUse++;
  const worker = idle.pop();
  if (!worker) return spawnReader();
  clearTimeout(idleTimers.get(worker));
  return worker;
}

function giveBack(worker: Worker): void {
  worker.unref();
  idle.push(worker);
  const timer = setTimeout(() => {
    const at = idle.indexOf(worker);
    if (at !== -1) idle.splice(at, 1);
    void worker.terminate();
  }, IDLE_MS);
  timer.unref();
  idleTimers.set(worker, timer);
}

/**
 * Starts a reading thread ahead of its first file, so its start (its modules loaded and
 * compiled) overlaps the work before the first read instead of delaying it. Idles like any
 * other until taken.
 */
export function warmReadingThread(): void {
  if (idle.length === 0 && inUse === 0) giveBack(spawnReader());
}

/** Reading threads idling now (a run leaves none behind). */
export function idleReadingThreads(): number {
  return idle.length;
}

/**
 * Ends the idle reading threads: called once a run has read everything. An idle thread's heap
 * and buffers stay mapped through the run's peak, which comes later, while it classifies (1M
 * keys: peak RSS 1,276 -> 1,106 MiB, medians of 5 interleaved runs).
 */
export function endReadingThreads(): void {
  for (const worker of idle.splice(0)) {
    clearTimeout(idleTimers.get(worker));
    void worker.terminate();
  }
}

function errorOf(e: {
  name?: string;
  code?: string;
  message: string;
  where?: InputError['where'];
}) {
  if (e.name === 'InputError' && e.code) return new InputError(e.code, e.message, e.where);
  return new Error(e.message);
}

/**
 * Built, the worker is read-worker.js beside this file. From source (tests, the benchmark),
 * it is the .ts file, which the thread can only load once tsx's loader is registered in it.
 */
function spawnReader(): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(`./read-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  if (!fromSource) return new Worker(entry);
  // the package's import entry (require.resolve gives its CommonJS twin)
  const tsx = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const boot =
    `import(${JSON.stringify(tsx)})` +
    `.then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(boot, { eval: true });
}
