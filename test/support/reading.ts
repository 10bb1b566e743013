/** Test support: one mapped file read into a recording sink, whatever reads it. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { FileMapping, SourceDef } from '../../engine/core/rules/types.ts';
import type { FileSummary, ReadContext, ReadProgress, Sink } from '../../connectors/types.ts';
import { readMappedFile, type ReadOptions } from '../../connectors/shared/read-file.ts';
import { source } from '../connectors-files/helpers.ts';

/** The source the byte lane's tests have always read as (the WMS of test/connectors-files). */
export const SOURCE: SourceDef = source({ id: 'wms', locations: ['WH'], files: [] });

type Reader = (
  ctx: ReadContext,
  mapping: FileMapping,
  sink: Sink,
  options?: ReadOptions,
) => Promise<FileSummary>;

/** Everything a read delivers: sink calls in order, the summary, progress, rejects file. */
export async function readAll(
  mapping: FileMapping,
  content: string | Buffer,
  options: ReadOptions = {},
  read: Reader = readMappedFile,
) {
  const dataDir = mkdtempSync(join(tmpdir(), 'tally-lane-'));
  mkdirSync(dirname(join(dataDir, mapping.path)), { recursive: true });
  writeFileSync(join(dataDir, mapping.path), content);
  const calls: unknown[] = [];
  const record = (kind: string) => (r: unknown) => void calls.push([kind, r]);
  const sink: Sink = {
    opening: record('opening'),
    position: record('position'),
    event: record('event'),
    item: record('item'),
    reject: record('reject'),
  };
  const progress: ReadProgress[] = [];
  const ctx = { source: SOURCE, dataDir, asOf: '2026-11-20T00:00:00.000Z' };
  const summary = await read(
    { ...ctx, onProgress: (p) => progress.push(p) },
    mapping,
    sink,
    options,
  );
  const { rejectsPath, ...rest } = summary;
  const rejects = rejectsPath ? readFileSync(rejectsPath, 'utf8') : '';
  return { calls, summary: rest, progress, rejects };
}
