/**
 * Reading one mapped file into a sink, all or nothing for file-level faults.
 *
 * Two streaming passes, memory bounded by one chunk: the prescan (prescan.ts) hashes the bytes
 * and condemns a file that is not UTF-8; only then does the second pass parse, map and deliver
 * rows. A header that lacks a mapped column is found on the first record of the second pass,
 * before any row is delivered. Either way a condemned file is quarantined: the sink has
 * received nothing from it and its summary says why (`failed`), so the other files and sources
 * are still read and reconciled. The alternative, staging rows until the end of the file,
 * would hold millions of rows in memory.
 */
import { join } from 'node:path';
import { InputError } from '../../engine/core/errors.ts';
import type { FileMapping } from '../../engine/core/rules/types.ts';
import type { FileFailure, FileSummary, ReadContext, Sink } from '../types.ts';
import { forEachText, type TextOptions } from './byte-stream.ts';
import { ByteLane } from './byte-lane.ts';
import { CellRow, cellResolver } from './cell-row.ts';
import { resolveFields } from './columns.ts';
import type { Resolve } from './columns.ts';
import { resolveDataPath } from './data-path.ts';
import { DelimitedParser } from './delimited.ts';
import { limitsOf, maxLineBytes } from './limits.ts';
import type { ReadLimits } from './limits.ts';
import { JsonLane, JsonRow, jsonRowResolver } from './json-lane.ts';
import { LineSplitter } from './lines.ts';
import { isUtf8Mapping, prescanFile, prescanOptionsOf } from './prescan.ts';
import { ACCEPTED, SKIPPED, compileRowHandler } from './records.ts';
import { headerHint, mappedIndexes, mappedTwice, nearName } from './header.ts';
import type { RowHandler } from './records.ts';
import { RejectsWriter, rejectsPathFor } from './rejects.ts';

const PROGRESS_ROWS = 100_000;

/** Faults that condemn one file before any of its rows is delivered: the file is quarantined. */
const FILE_FAULTS = new Set([
  'FILE_NOT_FOUND',
  'FILE_UNREADABLE',
  'FILE_NOT_UTF8',
  'FILE_EMPTY',
  'BAD_HEADER',
  'HEADER_MISSING_COLUMN',
  'HEADER_DUPLICATE_COLUMN',
  'PATH_OUTSIDE_DATA',
]);

type Counts = { read: number; accepted: number; rejected: number; skipped: number };

/** How a file is read; the defaults are the product's. */
export type ReadOptions = {
  /**
   * Plain lines read from the bytes (byte-lane.ts for delimited files, json-lane.ts for JSON
   * Lines); false reads every line through the text parser or JSON.parse, the reference the
   * lanes are tested against.
   */
  byteLane?: boolean;
};

export async function readMappedFile(
  ctx: ReadContext,
  declared: FileMapping,
  sink: Sink,
  options: ReadOptions = {},
): Promise<FileSummary> {
  const mapping: FileMapping = {
    ...declared,
    columns: declared.columns ?? {},
    constants: declared.constants ?? {},
    dateFormat: declared.dateFormat ?? 'iso',
  };
  const file = mapping.path;
  const rejectsDir = ctx.rejectsDir ?? join(ctx.dataDir, 'rejects');
  const rejects = new RejectsWriter(rejectsPathFor(rejectsDir, ctx.source.id, mapping), sink);
  const counts: Counts = { read: 0, accepted: 0, rejected: 0, skipped: 0 };
  let sha256 = '';
  const notes: string[] = [];
  try {
    sha256 = await readRows(ctx, mapping, sink, rejects, counts, options, notes);
  } catch (error) {
    rejects.close();
    const failed = quarantined(error, counts);
    if (!failed) throw error;
    return { source: ctx.source.id, file, sha256, ...counts, failed };
  }
  const rejectsPath = rejects.close();
  counts.rejected = rejects.count;
  ctx.onProgress?.({ source: ctx.source.id, file, rows: counts.read });
  // the lines above a header the mapping places lower are not rows: said, not counted
  const above = (mapping.headerLine ?? 1) - 1;
  if (above > 0) notes.unshift(`lines 1–${above}, above its header (headerLine), are not rows`);
  return {
    source: ctx.source.id,
    file,
    sha256,
    ...counts,
    ...(rejectsPath ? { rejectsPath } : {}),
    ...(notes.length ? { notes } : {}),
  };
}

/** A file fault raised before any row was counted becomes the file's failure; else undefined. */
function quarantined(error: unknown, counts: Counts): FileFailure | undefined {
  if (!(error instanceof InputError) || !FILE_FAULTS.has(error.code) || counts.read > 0) return;
  const line = error.where?.line;
  return { code: error.code, message: error.message, ...(line !== undefined ? { line } : {}) };
}

/** Both passes over one file; returns its sha256. */
async function readRows(
  ctx: ReadContext,
  mapping: FileMapping,
  sink: Sink,
  rejects: RejectsWriter,
  counts: Counts,
  options: ReadOptions,
  notes: string[],
): Promise<string> {
  const file = mapping.path;
  const limits = limitsOf(mapping);
  const absPath = await resolveDataPath(ctx.dataDir, file);
  const delimiter =
    mapping.format === 'csv'
      ? (mapping.delimiter ?? ',')
      : mapping.format === 'tsv'
        ? '\t'
        : undefined;
  const prescanOptions = prescanOptionsOf(mapping, ctx.signal);
  const ahead = ctx.prescans?.take(absPath, prescanOptions);
  const { sha256, lines, crLines, lastLine } =
    ahead ?? (await prescanFile(absPath, file, prescanOptions));
  const kind = mapping.kind;
  // a file prescanned ahead was counted in its phase's expect (ingest.ts)
  if (!ahead) sink.expect?.(kind, lines);
  const count: Count = (outcome, line, raw, key) => {
    counts.read++;
    if (outcome === ACCEPTED) counts.accepted++;
    else if (outcome === SKIPPED) counts.skipped++;
    else rejects.add({ file, line, reason: outcome, raw, source: ctx.source.id, kind, ...key?.() });
    if (counts.read % PROGRESS_ROWS === 0)
      ctx.onProgress?.({ source: ctx.source.id, file, rows: counts.read, lines });
  };
  const target = {
    ctx,
    mapping,
    absPath,
    limits,
    sink,
    count,
    notes,
    // the lanes read UTF-8 bytes; a file in another encoding is decoded, then parsed
    byteLane: options.byteLane !== false && isUtf8Mapping(mapping),
    crLines: crLines === true,
    // a report's totals below its rows are not rows (footerLines): from this line on
    footerFrom: mapping.footerLines ? lastLine - mapping.footerLines + 1 : Infinity,
    footer: [] as string[],
  };
  if (delimiter === undefined) await readJsonLines(target);
  else await readDelimited(target, delimiter);
  if (target.footerFrom <= lastLine && target.footerFrom > (mapping.headerLine ?? 1)) {
    const from = target.footerFrom;
    const which = from === lastLine ? `line ${from}` : `lines ${from}–${lastLine}`;
    // what they hold, so a row the export no longer follows with a total is seen, not lost
    const held = target.footer.map((l) => `'${l.length > 80 ? `${l.slice(0, 80)}…` : l}'`);
    notes.push(
      `${which}, below its rows (footerLines), ${from === lastLine ? 'is not a row' : 'are not rows'}${held.length ? `: ${held.join(', ')}` : ''}`,
    );
  }
  return sha256;
}

/** The sku and location of a refused row, where they can be read: that key is incomplete. */
type RowKey = { sku?: string; location?: string };
type Count = (
  outcome: ReturnType<RowHandler<unknown>>,
  line: number,
  raw: string,
  key?: () => RowKey,
) => void;
type KeyedHandler<R> = RowHandler<R> & { keyOf: (row: R) => RowKey };

type Target = {
  ctx: ReadContext;
  mapping: FileMapping;
  absPath: string;
  limits: ReadLimits;
  sink: Sink;
  count: Count;
  byteLane: boolean;
  crLines: boolean;
  /** What the file's summary should say of how it was read (records.ts adds to it). */
  notes: string[];
  /** The first line of the file's footer (footerLines), Infinity when it has none. */
  footerFrom: number;
  /** The footer's lines as read (named in the summary). */
  footer: string[];
};

async function readDelimited(t: Target, delimiter: string): Promise<void> {
  const { ctx, mapping, limits, count } = t;
  let handler: KeyedHandler<CellRow> | undefined;
  let width = 0;
  let mapped: number[] = [];
  let row: CellRow | undefined;
  // a report's title and date lines above its header are not rows (the mapping says where it is)
  const headerLine = mapping.headerLine ?? 1;
  const parser = new DelimitedParser(
    delimiter,
    (fields, line, raw, problem) => {
      if (!handler || !row) {
        if (line < headerLine) return;
        if (problem)
          throw new InputError('BAD_HEADER', `the header is malformed: ${problem}`, {
            file: mapping.path,
            line,
          });
        const header = fields.map((f) => f.trim());
        const twice = mappedTwice(mapping, header);
        if (twice)
          throw new InputError(
            'HEADER_DUPLICATE_COLUMN',
            `the header names '${twice.name}' in columns ${twice.columns.join(' and ')}, and the rules map that name for source ${ctx.source.id}: Tally cannot tell which one is meant; the file was not read (rename one of them in the export)`,
            { file: mapping.path, line },
          );
        width = header.length;
        mapped = mappedIndexes(mapping, header);
        const hint = headerHint(header, delimiter, line);
        handler = compileFor(t, cellResolver(header), 'column', hint, line, header);
        parser.accepts = (cells) =>
          hasWidth(cells, width) && mapped.every((i) => !cells[i]?.includes('\n'));
        row = lane.row = new CellRow(width);
        return;
      }
      if (line >= t.footerFrom) return void t.footer.push(raw);
      if (problem) return count(problem, line, raw);
      if (!hasWidth(fields, width)) {
        return count(`expected ${width} fields, found ${fields.length}`, line, raw);
      }
      if (raw.length > limits.maxFieldChars) {
        const long = mapped.find((i) => fields[i]!.length > limits.maxFieldChars);
        if (long !== undefined) return count(fieldTooLong(long, fields, limits), line, clip(raw));
      }
      const h = handler;
      const r = row;
      r.texts = fields;
      const outcome = h(r, line);
      if (outcome === ACCEPTED || outcome === SKIPPED) count(outcome, line, raw);
      else count(outcome, line, raw, () => h.keyOf(r));
    },
    limits,
  );
  parser.recordsFrom = headerLine;
  const lane = new ByteLane({
    parser,
    delimiter,
    maxPlainBytes: Math.min(limits.maxLineChars, limits.maxFieldChars),
    onRow: (r, line) => {
      if (line >= t.footerFrom) return void t.footer.push(r.raw());
      const h = handler!;
      const outcome = h(r, line);
      if (outcome === ACCEPTED || outcome === SKIPPED) count(outcome, line, '');
      else count(outcome, line, r.raw(), () => h.keyOf(r));
    },
  });
  const consumer = t.byteLane ? lane : parser;
  await forEachText(t.absPath, mapping.path, consumer, textOptions(t));
  if (!handler)
    throw new InputError(
      'FILE_EMPTY',
      headerLine > 1
        ? `the file has no header line (it ends before line ${headerLine}, its headerLine)`
        : 'the file has no header line',
      { file: mapping.path, line: headerLine },
    );
}

function hasWidth(fields: string[], width: number): boolean {
  return fields.length === width || onlyEmptyExtra(fields, width);
}

/** Spreadsheet exports often pad rows with empty cells; those lose nothing and are accepted. */
function onlyEmptyExtra(fields: string[], width: number): boolean {
  if (fields.length < width) return false;
  for (let i = width; i < fields.length; i++) if (fields[i]!.trim() !== '') return false;
  return true;
}

const SHOWN_CHARS = 200;

function clip(raw: string): string {
  return raw.length > SHOWN_CHARS * 2 ? `${raw.slice(0, SHOWN_CHARS)}…` : raw;
}

function fieldTooLong(index: number, fields: string[], limits: ReadLimits): string {
  return `field ${index + 1} is ${fields[index]!.length} characters long, over the limit of ${limits.maxFieldChars} (limits.maxFieldChars)`;
}

async function readJsonLines(t: Target): Promise<void> {
  const { mapping, count } = t;
  const names: string[] = [];
  const resolve = jsonRowResolver(names);
  const handler = compileFor(t, resolve, 'property');
  const row = new JsonRow(names);
  const splitter = new LineSplitter((text, line, problem) => {
    if (problem) return count(problem, line, text);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      // a pretty-printed document or an array of records opens with a line of its own
      const start = text.trim();
      const whole =
        line === 1 && (start === '[' || start === '{' || start.startsWith('[{'))
          ? ' (the file looks like one JSON document, an array or a pretty-printed object, not JSON Lines: export one record a line)'
          : '';
      return count(`not valid JSON: ${(error as Error).message}${whole}`, line, text);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      return count('expected a JSON object', line, text);
    row.object = parsed as Record<string, unknown>;
    count(handler(row, line), line, text, () => handler.keyOf(row));
  }, t.limits.maxLineChars);
  const lane = new JsonLane({
    splitter,
    row,
    maxPlainBytes: t.limits.maxLineChars,
    onRow: (r, line) => {
      const outcome = handler(r, line);
      if (outcome === ACCEPTED || outcome === SKIPPED) count(outcome, line, '');
      else count(outcome, line, r.raw(), () => handler.keyOf(r));
    },
  });
  // a dotted path reads nested objects, which no plain line has: then JSON.parse reads them all
  const consumer = t.byteLane && !resolve.nested ? lane : splitter;
  await forEachText(t.absPath, mapping.path, consumer, textOptions(t));
}

/** How the second pass reads the file's text: as the mapping and the first pass say. */
function textOptions(t: Target): TextOptions {
  return {
    signal: t.ctx.signal,
    maxLineBytes: maxLineBytes(t.limits),
    encoding: t.mapping.encoding,
    crLines: t.crLines,
  };
}

function compileFor<R>(
  { ctx, mapping, sink, notes }: Target,
  resolve: Resolve<R>,
  noun: string,
  /** Said after the missing columns, when there is a likelier reason. */
  hint = '',
  /** The header's line (a delimited file's headerLine). */
  headerAt = 1,
  /** A delimited file's column names, to name the one a missing name differs from in case only. */
  header: readonly string[] = [],
): KeyedHandler<R> {
  const fields = resolveFields(mapping, resolve, noun);
  const statusColumns = (mapping.statusColumns ?? []).map((name) => [name, resolve(name)] as const);
  const missing = [...fields.missing, ...statusColumns.filter(([, g]) => !g).map(([n]) => n)];
  if (missing.length) {
    throw new InputError(
      'HEADER_MISSING_COLUMN',
      `the header lacks ${missing.map((m) => `'${m}'${nearName(m, header)}`).join(', ')}, mapped in the rules for source ${ctx.source.id}${hint}; the file was not read`,
      { file: mapping.path, line: headerAt },
    );
  }
  const resolved = statusColumns.map(([n, g]) => [n, g!] as [string, NonNullable<typeof g>]);
  const handler = compileRowHandler({
    source: ctx.source,
    mapping,
    fields,
    statusColumns: resolved,
    asOfLimit: ctx.asOf,
    sink,
    notes,
  });
  const [sku, location] = [fields.get.get('sku'), fields.get.get('location')];
  const keyOf = (row: R): RowKey => ({ sku: sku?.(row), location: location?.(row) });
  return Object.assign(handler, { keyOf });
}
