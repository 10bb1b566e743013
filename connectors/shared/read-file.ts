/**
 * Reading one mapped file into a sink, all or nothing for file-level faults.
 *
 * Two streaming passes, memory bounded by one chunk: the prescan (prescan.ts) hashes the bytes
 * and condemns a file that is not UTF-8 or ends inside a quoted field; only then does the second
 * pass parse, map and deliver rows. A header that lacks a mapped column is found on the first
 * record of the second pass, before any row is delivered. Either way a condemned file throws an
 * InputError (code, file, line) and the sink has received nothing from it. The alternative,
 * staging rows until the end of the file, would hold millions of rows in memory.
 */
import { isAbsolute, join } from 'node:path';
import { InputError } from '../../engine/core/errors.ts';
import type { FileMapping } from '../../engine/core/rules/types.ts';
import type { FileSummary, ReadContext, Sink } from '../types.ts';
import { forEachText } from './byte-stream.ts';
import { headerResolver, propertyResolver, resolveFields } from './columns.ts';
import type { Resolve } from './columns.ts';
import { DelimitedParser } from './delimited.ts';
import { LineSplitter } from './lines.ts';
import { prescanFile } from './prescan.ts';
import { ACCEPTED, SKIPPED, compileRowHandler } from './records.ts';
import type { RowHandler } from './records.ts';
import { RejectsWriter, rejectsPathFor } from './rejects.ts';

const PROGRESS_ROWS = 100_000;

type Counts = { read: number; accepted: number; rejected: number; skipped: number };

export async function readMappedFile(
  ctx: ReadContext,
  declared: FileMapping,
  sink: Sink,
): Promise<FileSummary> {
  const mapping: FileMapping = {
    ...declared,
    columns: declared.columns ?? {},
    constants: declared.constants ?? {},
    dateFormat: declared.dateFormat ?? 'iso',
  };
  const absPath = isAbsolute(mapping.path) ? mapping.path : join(ctx.dataDir, mapping.path);
  const file = mapping.path;
  const delimiter = mapping.format === 'csv' ? ',' : mapping.format === 'tsv' ? '\t' : undefined;
  const { sha256 } = await prescanFile(absPath, file, delimiter, ctx.signal);
  const rejectsDir = ctx.rejectsDir ?? join(ctx.dataDir, 'rejects');
  const rejects = new RejectsWriter(rejectsPathFor(rejectsDir, ctx.source.id, file), sink);
  const counts: Counts = { read: 0, accepted: 0, rejected: 0, skipped: 0 };
  const count = (outcome: ReturnType<RowHandler<unknown>>, line: number, raw: string) => {
    counts.read++;
    if (outcome === ACCEPTED) counts.accepted++;
    else if (outcome === SKIPPED) counts.skipped++;
    else rejects.add({ file, line, reason: outcome, raw });
    if (counts.read % PROGRESS_ROWS === 0)
      ctx.onProgress?.({ source: ctx.source.id, file, rows: counts.read });
  };
  let rejectsPath: string | undefined;
  try {
    if (delimiter === undefined) await readJsonLines(ctx, mapping, absPath, sink, count);
    else await readDelimited(ctx, mapping, absPath, delimiter, sink, count);
  } finally {
    rejectsPath = rejects.close();
  }
  counts.rejected = rejects.count;
  ctx.onProgress?.({ source: ctx.source.id, file, rows: counts.read });
  return {
    source: ctx.source.id,
    file,
    sha256,
    ...counts,
    ...(rejectsPath ? { rejectsPath } : {}),
  };
}

type Count = (outcome: ReturnType<RowHandler<unknown>>, line: number, raw: string) => void;

async function readDelimited(
  ctx: ReadContext,
  mapping: FileMapping,
  absPath: string,
  delimiter: string,
  sink: Sink,
  count: Count,
): Promise<void> {
  let handler: RowHandler<string[]> | undefined;
  let width = 0;
  const parser = new DelimitedParser(delimiter, (fields, line, raw, problem) => {
    if (!handler) {
      if (problem)
        throw new InputError('BAD_HEADER', `the header is malformed: ${problem}`, {
          file: mapping.path,
          line,
        });
      const header = fields.map((f) => f.trim());
      width = header.length;
      handler = compileFor(ctx, mapping, headerResolver(header), 'column', sink);
      return;
    }
    if (problem) return count(problem, line, raw);
    if (fields.length !== width && !onlyEmptyExtra(fields, width)) {
      return count(`expected ${width} fields, found ${fields.length}`, line, raw);
    }
    count(handler(fields, line), line, raw);
  });
  await forEachText(absPath, mapping.path, parser, ctx.signal);
  if (!handler)
    throw new InputError('FILE_EMPTY', 'the file has no header line', {
      file: mapping.path,
      line: 1,
    });
}

/** Spreadsheet exports often pad rows with empty cells; those lose nothing and are accepted. */
function onlyEmptyExtra(fields: string[], width: number): boolean {
  if (fields.length < width) return false;
  for (let i = width; i < fields.length; i++) if (fields[i]!.trim() !== '') return false;
  return true;
}

async function readJsonLines(
  ctx: ReadContext,
  mapping: FileMapping,
  absPath: string,
  sink: Sink,
  count: Count,
): Promise<void> {
  const handler = compileFor(ctx, mapping, propertyResolver(), 'property', sink);
  const splitter = new LineSplitter((text, line) => {
    let row: unknown;
    try {
      row = JSON.parse(text);
    } catch (error) {
      return count(`not valid JSON: ${(error as Error).message}`, line, text);
    }
    if (row === null || typeof row !== 'object' || Array.isArray(row))
      return count('expected a JSON object', line, text);
    count(handler(row as Record<string, unknown>, line), line, text);
  });
  await forEachText(absPath, mapping.path, splitter, ctx.signal);
}

function compileFor<R>(
  ctx: ReadContext,
  mapping: FileMapping,
  resolve: Resolve<R>,
  noun: string,
  sink: Sink,
): RowHandler<R> {
  const fields = resolveFields(mapping, resolve, noun);
  const statusColumns = (mapping.statusColumns ?? []).map((name) => [name, resolve(name)] as const);
  const missing = [...fields.missing, ...statusColumns.filter(([, g]) => !g).map(([n]) => n)];
  if (missing.length) {
    throw new InputError(
      'HEADER_MISSING_COLUMN',
      `the header lacks ${missing.map((m) => `'${m}'`).join(', ')}, mapped in the rules for source ${ctx.source.id}; the file was not read`,
      { file: mapping.path, line: 1 },
    );
  }
  const resolved = statusColumns.map(([n, g]) => [n, g!] as [string, NonNullable<typeof g>]);
  return compileRowHandler({
    source: ctx.source,
    mapping,
    fields,
    statusColumns: resolved,
    asOfLimit: ctx.asOf,
    sink,
  });
}
