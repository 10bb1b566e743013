/**
 * `x12-3pl`: a 3PL's EDI X12 (004010) drop folder. 846 → positions; 944/945/947 → events.
 * A transaction set is accepted or rejected whole (as a 997 would); a bad set goes to
 * sink.reject with its line and reason while the good sets of the same interchange count.
 */
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Connector, FileSummary, ReadContext, ReadResult, Sink } from '../types.ts';
import { InputError } from '../../engine/core/errors.ts';
import type { RawEvent, RawPosition } from '../../engine/core/model/types.ts';
import { readEnvelopes } from './envelope.ts';
import { decoderFor, likelyText, NOT_UTF8 } from '../shared/encoding.ts';
import type { TransactionSet } from './envelope.ts';
import { parse846 } from './inventory-846.ts';
import { parse944, parse945, parse947 } from './warehouse-94x.ts';
import { SetError } from './segments.ts';
import { keysOfSet } from './set-keys.ts';
import type { SetContext } from './segments.ts';
import { checkX12Settings, parseX12Settings } from './settings.ts';
import type { X12Settings } from './settings.ts';
import { writeCorrectionExport } from './export.ts';

export { exportCorrection947, exportCorrectionCsv } from './export.ts';
export { readW19, w19CodeFor } from './reasons.ts';

const EDI_FILE = /\.(edi|x12|txt|dat)$/i;

function listFiles(dataDir: string, paths: string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    const full = resolve(dataDir, p);
    let stat;
    try {
      stat = statSync(full);
    } catch {
      throw new InputError('X12_PATH_NOT_FOUND', `settings.paths: ${p} does not exist`, {
        file: full,
      });
    }
    if (!stat.isDirectory()) files.push(full);
    else
      for (const name of readdirSync(full).sort())
        if (EDI_FILE.test(name)) files.push(join(full, name));
  }
  return files;
}

type Records = { positions: RawPosition[]; events: RawEvent[] };

function parseSet(set: TransactionSet, ctx: SetContext): Records {
  if (set.problems.length > 0) throw new SetError(set.problems.join('; '), set.line);
  switch (set.type) {
    case '846':
      return { positions: parse846(set.segments, ctx, set.line), events: [] };
    case '944':
      return { positions: [], events: parse944(set.segments, ctx, set.line) };
    case '945':
      return { positions: [], events: parse945(set.segments, ctx, set.line) };
    case '947':
      return { positions: [], events: parse947(set.segments, ctx, set.line) };
    default:
      throw new SetError(
        `transaction set ${set.type || '(none)'} is not read by x12-3pl (846, 944, 945, 947)`,
        set.line,
      );
  }
}

/** A file inside the data folder is named relative to it, as the file connectors name theirs. */
function displayPath(dataDir: string, path: string): string {
  const rel = relative(resolve(dataDir), path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

function setContext(
  ctx: ReadContext,
  settings: X12Settings,
  file: string,
  subElementDelimiter: string,
  controlId: string,
): SetContext {
  return {
    source: ctx.source.id,
    settings,
    timezone: ctx.source.timezone,
    cutoffMinutes: ctx.source.cutoffMinutes,
    subElementDelimiter,
    controlId,
    file,
  };
}

/** A character no ASCII byte makes. */
const BEYOND_ASCII = /[^\u0000-\u007f]/;

function readFile(abs: string, ctx: ReadContext, settings: X12Settings, sink: Sink): FileSummary {
  const bytes = readFileSync(abs);
  const path = displayPath(ctx.dataDir, abs);
  const summary: FileSummary = {
    file: path,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    read: 0,
    accepted: 0,
    rejected: 0,
  };
  // read as UTF-8, a file that is not is read as it most likely is, and each set holding a byte
  // beyond ASCII refused (named by its keys, not taken) with the setting that reads it
  const utf8 = settings.encoding === 'utf-8';
  const garbled = utf8 && !isUtf8(bytes);
  const text = garbled
    ? likelyText(bytes)
    : utf8
      ? bytes.toString('utf8')
      : decoderFor(settings.encoding)(bytes);
  const { sets, problems } = readEnvelopes(text);
  for (const p of problems) {
    summary.read++;
    summary.rejected++;
    // the sets of an interchange refused whole name keys too: each is missing what it sent
    const lenient = p.lenient;
    const keys = lenient
      ? lenient.sets.flatMap((set) =>
          keysOfSet(
            set,
            setContext(
              ctx,
              settings,
              path,
              lenient.subElementDelimiter,
              lenient.interchangeControl,
            ),
          ),
        )
      : [];
    // a movement set touches the ledger (every source's key), an 846 only the 3PL's own
    const onlyLevels = lenient?.sets.every((set) => set.type === '846') ?? false;
    sink.reject({
      file: path,
      line: p.line,
      reason: p.reason,
      raw: p.raw,
      source: ctx.source.id,
      ...(keys.length ? { keys, kind: onlyLevels ? 'positions' : 'events' } : {}),
    });
  }
  for (const set of sets) {
    summary.read++;
    const setCtx = setContext(
      ctx,
      settings,
      path,
      set.subElementDelimiter,
      `${set.interchangeControl}-${set.control}`,
    );
    if (garbled && BEYOND_ASCII.test(set.raw)) {
      summary.rejected++;
      sink.reject({
        file: path,
        line: set.line,
        reason: `${set.type || 'interchange'} transaction set ${set.control}: ${NOT_UTF8}`,
        raw: set.raw,
        source: ctx.source.id,
        kind: set.type === '846' ? 'positions' : 'events',
        keys: keysOfSet(set, setCtx),
      });
      continue;
    }
    let records: Records;
    try {
      records = parseSet(set, setCtx);
    } catch (error) {
      if (!(error instanceof SetError)) throw error;
      summary.rejected++;
      const label = set.type ? `${set.type} transaction set ${set.control}` : 'interchange';
      sink.reject({
        file: path,
        line: error.line,
        reason: `${label}: ${error.message}`,
        raw: set.raw,
        source: ctx.source.id,
        kind: set.type === '846' ? 'positions' : 'events',
        keys: keysOfSet(set, setCtx),
      });
      continue;
    }
    summary.accepted++;
    for (const p of records.positions) if (!ctx.asOf || p.asOf <= ctx.asOf) sink.position(p);
    for (const e of records.events) if (!ctx.asOf || e.occurredAt <= ctx.asOf) sink.event(e);
  }
  return summary;
}

async function read(ctx: ReadContext, sink: Sink): Promise<ReadResult> {
  const settings = parseX12Settings(ctx.source);
  // cursor: modification time of the newest file already read; older drops are skipped
  const afterMs = ctx.cursor ? Date.parse(ctx.cursor) : Number.NEGATIVE_INFINITY;
  let newestMs = afterMs;
  const files: FileSummary[] = [];
  for (const path of listFiles(ctx.dataDir, settings.paths)) {
    if (ctx.signal?.aborted) break;
    const mtimeMs = Math.floor(statSync(path).mtimeMs);
    if (mtimeMs <= afterMs) continue;
    files.push(readFile(path, ctx, settings, sink));
    newestMs = Math.max(newestMs, mtimeMs);
  }
  return {
    files,
    cursor: Number.isFinite(newestMs) ? new Date(newestMs).toISOString() : ctx.cursor,
  };
}

export const x12ThreePlConnector: Connector = {
  id: 'x12-3pl',
  displayName: '3PL EDI X12 (846/944/945/947)',
  checkSettings: checkX12Settings,
  read,
  async writeBack(source, request) {
    const settings = parseX12Settings(source);
    return { status: 'exported', path: writeCorrectionExport(settings, request) };
  },
};
