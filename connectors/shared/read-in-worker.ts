/**
 * Reading a large file on another core: its bytes are split, mapped and checked on a worker
 * thread (read-worker.ts) while this thread feeds the records it sends to the sink, so the
 * normalizing and the parsing of one file run at the same time; the ingest's next large file
 * may already be read on a second thread (read-ahead.ts). Every call reaches the sink in the
 * order a read on this thread would make it (sink-wire.ts, sink-replay.ts), with the same summary, the same rejects
 * file and the same failures: only where the work happens changes.
 */
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { InputError } from '../../engine/core/errors.ts';
import type { FileMapping } from '../../engine/core/rules/types.ts';
import type { FileSummary, ReadContext, Sink } from '../types.ts';
import { resolveDataPath } from './data-path.ts';
import { prescanOptionsOf, type PrescanOptions, type PrescanResult } from './prescan.ts';
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
  /** One Int32: the bytes of the batches sent and not yet fed to the sink (wireBytes). */
  inFlight: SharedArrayBuffer;
  /** How many bytes of batches may wait for the sink before the thread waits. */
  maxBytes: number;
  /** Where the thread sends the read's batches, summary or error (ThreadRead). */
  port: MessagePort;
};

/**
 * Batches waiting for the sink, in bytes: ~40 batches of 2,048 positions or ~20 of events
 * (sink-wire.ts), enough that the reading thread never waits for a sink that keeps up.
 */
export const MAX_IN_FLIGHT_BYTES = 4 << 20;

/** An error as it crosses from a thread (its class is rebuilt by errorOf). */
type ThreadError = { name?: string; code?: string; message: string; where?: InputError['where'] };

type Message = { batch: WireBatch; bytes: number } | { done: FileSummary } | { error: ThreadError };

export async function readMappedFileInWorker(
  ctx: ReadContext,
  mapping: FileMapping,
  sink: Sink,
  options: ReadOptions = {},
): Promise<FileSummary> {
  ctx.signal?.throwIfAborted();
  const plain = Object.keys(options).length === 0;
  const read =
    (plain && (await ctx.readAhead?.take(ctx.source.id, mapping))) ||
    (await startThreadRead(ctx, mapping, options));
  // the next file's reading starts now, on another thread: its records wait for their turn
  if (plain) ctx.readAhead?.startAfter(ctx.source.id, mapping);
  return read.consume(mapping, sink, ctx.onProgress, ctx.signal);
}

/**
 * Starts reading a file on a reading thread. What the thread sends waits, in order, until
 * `consume` hands it to the sink: at most `maxBytes` of batches (memory stays bounded), then the
 * thread waits for the sink.
 */
export async function startThreadRead(
  ctx: ReadContext,
  mapping: FileMapping,
  options: ReadOptions = {},
  maxBytes = MAX_IN_FLIGHT_BYTES,
  /** The file's path on disk, when known (resolveDataPath's). */
  absPath?: string,
): Promise<ThreadRead> {
  // the functions, the signal and the thread's own helpers stay here
  const { signal, onProgress: _progress, prescans, readAhead: _ahead, ...plain } = ctx;
  const channel = new MessageChannel();
  const job: ReadJob = {
    ctx: plain,
    mapping,
    options,
    inFlight: new SharedArrayBuffer(4),
    maxBytes,
    port: channel.port2,
  };
  if (prescans) {
    try {
      const path = absPath ?? (await resolveDataPath(ctx.dataDir, mapping.path));
      const prescanOptions = prescanOptionsOf(mapping);
      const result = prescans.take(path, { signal, ...prescanOptions });
      if (result) job.ahead = { absPath: path, options: prescanOptions, result };
    } catch {
      // the reading thread meets the same fault and reports it
    }
  }
  const worker = takeReader();
  worker.ref();
  try {
    worker.postMessage(job, [channel.port2]);
  } catch (error) {
    inUse--;
    channel.port1.close();
    void worker.terminate();
    throw error;
  }
  return new ThreadRead(worker, channel.port1, job.inFlight);
}

type Received = { message: Message } | { error: Error } | { exit: number };

/**
 * One file's read on a reading thread, from its start to the sink's last call. Until `consume`,
 * what the thread sends waits in the read's own port as it was sent (not yet a message on this
 * thread's heap, where a file's batches held ahead would outlive young collections).
 */
export class ThreadRead {
  /** The thread's failure before `consume`: the read fails with it. */
  private failure: Received | undefined;
  private handle: ((r: Received) => void) | undefined;
  private released = false;
  private readonly inFlight: Int32Array;

  constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    inFlight: SharedArrayBuffer,
  ) {
    this.inFlight = new Int32Array(inFlight);
    worker.on('error', this.onError);
    worker.on('exit', this.onExit);
  }

  private readonly onError = (error: Error) => this.fail({ error });
  private readonly onExit = (exit: number) => this.fail({ exit });

  private fail(r: Received): void {
    if (this.handle) this.handle(r);
    else this.failure ??= r;
  }

  /** Feeds the file's records to the sink, in order; resolves with the file's summary. */
  consume(
    mapping: FileMapping,
    sink: Sink,
    onProgress: ReadContext['onProgress'],
    signal: AbortSignal | undefined,
  ): Promise<FileSummary> {
    return new Promise<FileSummary>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void, reusable: boolean) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        this.release(reusable);
        fn();
      };
      const onAbort = () => settle(() => reject(signal!.reason), false);
      this.handle = (r: Received) => {
        if ('message' in r) {
          const m = r.message;
          if ('batch' in m) {
            if (settled) return;
            try {
              replayBatch(m.batch, sink, onProgress);
            } catch (error) {
              settle(() => reject(error), false);
            } finally {
              Atomics.sub(this.inFlight, 0, m.bytes);
              Atomics.notify(this.inFlight, 0);
            }
          } else if ('done' in m) settle(() => resolve(m.done), true);
          else settle(() => reject(errorOf(m.error)), true);
        } else if ('error' in r) settle(() => reject(r.error), false);
        else
          settle(
            () => reject(new Error(`the thread reading ${mapping.path} stopped (exit ${r.exit})`)),
            false,
          );
      };
      if (signal?.aborted) return onAbort();
      if (this.failure) return this.handle(this.failure);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.port.on('message', (message: Message) => this.handle?.({ message }));
    });
  }

  /** Ends a read never consumed (its file is not read after all); resolves once it stopped. */
  async cancel(): Promise<void> {
    if (this.released) return;
    this.release(false);
    await this.worker.terminate();
  }

  private release(reusable: boolean): void {
    if (this.released) return;
    this.released = true;
    this.worker.off('error', this.onError);
    this.worker.off('exit', this.onExit);
    this.port.close();
    inUse--;
    if (reusable) giveBack(this.worker);
    else void this.worker.terminate();
  }
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

function errorOf(e: ThreadError) {
  if (e.name === 'InputError' && e.code) return new InputError(e.code, e.message, e.where);
  return new Error(e.message);
}

/**
 * A reading thread's heap: a young generation of 8 MB, not V8's default. A thread streams a file
 * through small batches, and with two reading threads (read-ahead.ts) each one's default young
 * generation kept tens of MB resident at the run's peak (1M keys, GNU time's maximum RSS, 2 runs
 * each: 821–942 MiB by default, 780–839 MiB at 8 MB; the parse no slower).
 */
const READING_HEAP = { maxYoungGenerationSizeMb: 8 };

/**
 * Built, the worker is read-worker.js beside this file. From source (tests, the benchmark),
 * it is the .ts file, which the thread can only load once tsx's loader is registered in it.
 */
function spawnReader(): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(`./read-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  if (!fromSource) return new Worker(entry, { resourceLimits: READING_HEAP });
  // the package's import entry (require.resolve gives its CommonJS twin)
  const tsx = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const boot =
    `import(${JSON.stringify(tsx)})` +
    `.then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(boot, { eval: true, resourceLimits: READING_HEAP });
}
