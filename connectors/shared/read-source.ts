/** What every file connector's read() does: check the mappings, then read each file in order. */
import { stat } from 'node:fs/promises';
import { InputError } from '../../engine/core/errors.ts';
import type { FileFormat, FileMapping } from '../../engine/core/rules/types.ts';
import type { ReadContext, ReadResult, Sink } from '../types.ts';
import { resolveDataPath } from './data-path.ts';
import { prescanOptionsOf } from './prescan.ts';
import { readMappedFile } from './read-file.ts';
import { readMappedFileInWorker } from './read-in-worker.ts';
import { checkFileSettings } from './settings.ts';

export async function readSourceFiles(
  ctx: ReadContext,
  sink: Sink,
  formats: readonly FileFormat[],
  connectorId: string,
): Promise<ReadResult> {
  const source = ctx.source;
  const problems = checkFileSettings(source, formats);
  if (problems.length) {
    throw new InputError(
      'SOURCE_SETTINGS_INVALID',
      `source '${source.id}' (connector ${connectorId}): ${problems.join('; ')}`,
      { file: source.file ?? `source ${source.id}`, line: source.line },
    );
  }
  const asOf = canonicalAsOf(ctx.asOf);
  const files = [];
  for (const mapping of source.files) {
    const read = (await onReadingThread(ctx, mapping)) ? readMappedFileInWorker : readMappedFile;
    files.push(await read({ ...ctx, asOf }, mapping, sink));
  }
  return { files };
}

/** From this size on a file is read on a worker thread (read-in-worker.ts). */
const READING_THREAD_MIN_BYTES = 8 << 20;

/**
 * Large files are read on a thread of their own. TALLY_READ_THREADS=0 reads every file on this
 * thread, =all every file on a reading thread (how the tests compare the two).
 */
async function onReadingThread(
  ctx: Pick<ReadContext, 'dataDir'>,
  mapping: FileMapping,
): Promise<boolean> {
  if (process.env.TALLY_READ_THREADS === 'all') return true;
  return (await readingThreadPath(ctx, mapping)) !== undefined;
}

/** The file's path on disk when it is read on a reading thread; else (or unreadable) undefined. */
export async function readingThreadPath(
  ctx: Pick<ReadContext, 'dataDir'>,
  mapping: FileMapping,
): Promise<string | undefined> {
  const setting = process.env.TALLY_READ_THREADS;
  if (setting === '0') return undefined;
  try {
    const absPath = await resolveDataPath(ctx.dataDir, mapping.path);
    if (setting === 'all') return absPath;
    return (await stat(absPath)).size >= READING_THREAD_MIN_BYTES ? absPath : undefined;
  } catch {
    return undefined; // the read reports it
  }
}

/** What such a connector's prescan() does: each mapped file's first pass, kept in ctx.prescans. */
export async function prescanSourceFiles(ctx: ReadContext): Promise<number> {
  const prescans = ctx.prescans;
  if (!prescans) return 0;
  let lines = 0;
  for (const mapping of ctx.source.files ?? []) {
    let absPath: string;
    try {
      absPath = await resolveDataPath(ctx.dataDir, mapping.path);
    } catch {
      continue; // its read reports the path
    }
    lines +=
      (await prescans.add(absPath, mapping.path, prescanOptionsOf(mapping, ctx.signal))) ?? 0;
  }
  return lines;
}

/** Records compare their canonical ISO time with this one as strings. */
export function canonicalAsOf(asOf: string | undefined): string | undefined {
  if (asOf === undefined) return undefined;
  const ms = Date.parse(asOf);
  if (Number.isNaN(ms))
    throw new InputError('BAD_AS_OF', `as-of '${asOf}' is not an ISO-8601 time`, {
      file: '--as-of',
    });
  return new Date(ms).toISOString();
}
