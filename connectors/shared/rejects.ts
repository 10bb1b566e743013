/**
 * The rejects file of one data file read in one role:
 * `<rejectsDir>/<source>/<file basename>[.<kind>].rejects.jsonl` (the kind is named for events,
 * so a file read both as positions and as events keeps two rejects files; two files of one
 * source, name and role keep their folders, `<source>/east/stock.csv.rejects.jsonl`; one file read
 * as opening and as positions names its role, `<source>/stock.csv.opening.rejects.jsonl`), one
 * JSON object per refused row ({file, line, reason, raw}). Created on the first reject only, and
 * a stale one from an earlier read is removed, so its presence always means "this read refused
 * rows". Buffered and written synchronously in batches: rejects are rare and the writes stay
 * in order with no stream to drain.
 */
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../../engine/core/errors.ts';
import { rejectsFileName } from '../../engine/core/rules/compile-sources.ts';
import type { FileMapping } from '../../engine/core/rules/types.ts';
import type { RejectedRecord, Sink } from '../types.ts';

const FLUSH_LINES = 1000;

export function rejectsPathFor(
  rejectsDir: string,
  sourceId: string,
  mapping: Pick<FileMapping, 'path' | 'kind' | 'rejectsName'>,
): string {
  return join(rejectsDir, sourceId, `${rejectsFileName(mapping)}.rejects.jsonl`);
}

export class RejectsWriter {
  private pending: string[] = [];
  private created = false;
  count = 0;

  constructor(
    readonly path: string,
    private readonly sink: Sink,
  ) {
    writable(path, () => rmSync(path, { force: true }));
  }

  add(record: RejectedRecord): void {
    this.count++;
    this.sink.reject(record);
    this.pending.push(`${JSON.stringify(record)}\n`);
    if (this.pending.length >= FLUSH_LINES) this.flush();
  }

  /** Writes what is buffered; returns the file's path when it holds any reject. */
  close(): string | undefined {
    this.flush();
    return this.created ? this.path : undefined;
  }

  private flush(): void {
    if (!this.pending.length) return;
    const text = this.pending.join('');
    this.pending = [];
    writable(this.path, () => {
      if (this.created) return appendFileSync(this.path, text);
      mkdirSync(dirname(this.path), { recursive: true });
      writeFileSync(this.path, text);
      this.created = true;
    });
  }
}

/** A rejects folder that cannot be written is the operator's to fix (e.g. a read-only mount). */
function writable(path: string, write: () => void): void {
  try {
    write();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
    throw new InputError(
      'REJECTS_UNWRITABLE',
      `cannot write the rejects file (${code}); choose another rejects folder`,
      { file: path },
      { cause: error },
    );
  }
}
