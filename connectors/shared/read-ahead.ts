/**
 * The ingest's files read two at a time: while the sink takes one file's records from its
 * reading thread, the next file that goes on a reading thread is read on a second one, and what
 * it sends waits until the first is done. The sink gets every call in the order of a read one
 * file after another (same rows, rejects, counts and progress); only the waiting for the
 * reading thread goes. At 1M keys the reading threads are the slower side on nearly every file
 * (the main thread idled ~1.9 s of a 7.3 s parse), and two cores can do both.
 *
 * The next file is the next in the ingest's plan (its phases in order, each phase's sources and
 * their files in order) whose source has not failed and which is read on a thread. A read
 * started ahead and never taken (its source failed meanwhile, the run stopped) is ended and its
 * rejects file removed: a file not read leaves nothing behind.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FileKind, FileMapping } from '../../engine/core/rules/types.ts';
import type { ReadContext } from '../types.ts';
import { startThreadRead, type ThreadRead } from './read-in-worker.ts';
import { rejectsPathFor } from './rejects.ts';
import { canonicalAsOf, readingThreadPath } from './read-source.ts';

/** A file of the plan: the context its source's read gives it (ingest.ts), and its mapping. */
export type PlannedRead = { ctx: ReadContext; mapping: FileMapping };

/**
 * The bytes of batches a file read ahead may hold before its thread waits (wireBytes): ~70k
 * events or ~190k positions. What waits adds to the parse's end, where the run's memory peaks;
 * deeper was no faster (1M keys, 4 alternating pairs: parse 6.95–7.27 s at 16 MB, 6.93–7.14 s
 * at 48 MB; maximum RSS by GNU time 779–811 against 834–892 MiB).
 */
export const AHEAD_BYTES = 16 << 20;

/** The file chosen and its read (started once its phase's first passes are made). */
type Started = { at: number; read: Promise<ThreadRead | undefined> };

export class ReadAhead {
  private started: Started | undefined;
  private stopped = false;
  /** Reads being ended (stop waits for them: the ingest leaves nothing running behind). */
  private readonly cancelling: Promise<void>[] = [];
  /**
   * Each planned file's path when it is read on a thread, found as the ingest starts: choosing
   * the next file must not wait for the file system, whose answers queue behind the messages of
   * a file's read taken whole at its turn.
   */
  private readonly paths: Promise<(string | undefined)[]>;
  private known: (string | undefined)[] | undefined;
  /** Whether any planned file is read on a thread (the ingest starts one at once if so). */
  readonly anyOnThread: Promise<boolean>;
  /** Reads taken that had been started ahead (the tests' evidence that this works). */
  taken = 0;

  constructor(
    private readonly plan: readonly PlannedRead[],
    /** A source that failed: its later files are not read. */
    private readonly failed: (sourceId: string) => boolean,
    /** Resolves once a phase's first passes are made (the read takes its file's pass). */
    private readonly prescanned: (phase: FileKind) => Promise<unknown>,
  ) {
    this.paths = Promise.all(plan.map((p) => readingThreadPath(p.ctx, p.mapping)));
    this.anyOnThread = this.paths.then((paths) => {
      this.known = paths;
      return paths.some((p) => p !== undefined);
    });
  }

  /** The file's read if it was started ahead; undefined: start it now. */
  async take(sourceId: string, mapping: FileMapping): Promise<ThreadRead | undefined> {
    const started = this.started;
    if (!started || !this.is(started.at, sourceId, mapping)) return undefined;
    this.started = undefined;
    const read = await started.read;
    if (read) this.taken++;
    return read;
  }

  /** Starts the read of the file after this one that goes on a reading thread, if any. */
  startAfter(sourceId: string, mapping: FileMapping): void {
    const at = this.plan.findIndex((_, i) => this.is(i, sourceId, mapping));
    if (at === -1 || this.stopped) return;
    // one started for a later file stays; one for this file or an earlier (skipped) goes
    if (this.started && this.started.at > at) return;
    if (this.started) this.cancelling.push(cancel(this.started, this.plan));
    this.started = undefined;
    for (let next = at + 1; next < this.plan.length; next++) {
      if (this.failed(this.plan[next]!.ctx.source.id)) continue;
      // a file read on this thread is passed over (once the paths are known: at once, nearly)
      if (this.known && this.known[next] === undefined) continue;
      this.started = { at: next, read: this.begin(next) };
      return;
    }
  }

  /**
   * The read of a planned file, when it goes on a thread (else undefined, not started). Never
   * fails: whatever stops it here, the file's own read meets and reports.
   */
  private async begin(at: number): Promise<ThreadRead | undefined> {
    const { ctx, mapping } = this.plan[at]!;
    try {
      const absPath = (await this.paths)[at];
      if (absPath === undefined) return undefined;
      await this.prescanned(mapping.kind);
      if (this.stopped || this.failed(ctx.source.id)) return undefined;
      const asOf = canonicalAsOf(ctx.asOf);
      return await startThreadRead({ ...ctx, asOf }, mapping, {}, AHEAD_BYTES, absPath);
    } catch {
      return undefined;
    }
  }

  /** Ends a read started ahead and not taken (called when the ingest ends, however). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelling.push(cancel(this.started, this.plan));
    this.started = undefined;
    await Promise.all(this.cancelling);
  }

  private is(at: number, sourceId: string, mapping: FileMapping): boolean {
    const p = this.plan[at];
    return p !== undefined && p.ctx.source.id === sourceId && p.mapping === mapping;
  }
}

async function cancel(started: Started | undefined, plan: readonly PlannedRead[]): Promise<void> {
  const read = await started?.read;
  if (!read) return;
  await read.cancel();
  rmSync(rejectsOf(plan[started!.at]!), { force: true });
}

/** Where the read of a planned file writes its rejects (read-file.ts). */
function rejectsOf({ ctx, mapping }: PlannedRead): string {
  const folder = ctx.rejectsDir ?? join(ctx.dataDir, 'rejects');
  return rejectsPathFor(folder, ctx.source.id, mapping);
}
