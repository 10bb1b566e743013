/**
 * The run's own findings, from what the ingest and the engine report: a source that failed to
 * load, a file none of whose rows went in (all rejected, all after the as-of), a source whose
 * positions made no comparison, rows repeated in one snapshot. Each names the source, the file
 * where there is one, and the reason in words a person can act on.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { SourceFailure } from '../connectors/ingest.ts';
import type { InputFile, NotCompared, RunFinding, RunSummary } from '../engine/core/recon/types.ts';
import type { Ruleset } from '../engine/core/rules/types.ts';

export type FindingInputs = {
  ruleset: Pick<Ruleset, 'sources'>;
  failures: SourceFailure[];
  inputs: InputFile[];
  notCompared: NotCompared[];
  summary: RunSummary;
  /** Source ids that delivered at least one position row. */
  withPositions: Set<string>;
  asOf: string;
};

export function runFindings(x: FindingInputs): RunFinding[] {
  const out: RunFinding[] = x.failures.map((f) => ({
    code: 'SOURCE_FAILED',
    source: f.source,
    file: f.where,
    message: `failed to load (${f.code}): ${f.message}; its comparisons were not made`,
  }));
  for (const f of x.inputs) out.push(...fileFindings(f, x.asOf));
  out.push(...duplicateFindings(x.notCompared));
  out.push(...silentSources(x));
  return out;
}

function fileFindings(f: InputFile, asOf: string): RunFinding[] {
  const base = { source: f.source, file: f.path };
  if (f.failed) {
    const at = f.failed.line !== undefined ? ` at line ${f.failed.line}` : '';
    const message = `the file was not read (${f.failed.code}${at}): ${f.failed.message}`;
    return [{ code: 'FILE_NOT_READ', ...base, message }];
  }
  if (f.read === 0) return [];
  if (f.rejected === f.read) {
    const first = f.rejectsPath ? firstReject(f.rejectsPath) : undefined;
    const why = first ? `, the first (line ${first.line}): ${first.reason}` : '';
    const where = f.rejectsPath ? ` (every reason in ${f.rejectsPath})` : '';
    const message = `all ${f.read} rows were rejected${why}${where}; is this the right connector and mapping for this file?`;
    return [{ code: 'FILE_ALL_REJECTED', ...base, message }];
  }
  if (f.outsideAsOf === f.read) {
    const message =
      `all ${f.read} rows are dated after the run's as-of ${asOf}, so none is in the run; ` +
      'check where the file takes its time from (a column, the file name, a setting)';
    return [{ code: 'FILE_ALL_OUTSIDE_AS_OF', ...base, message }];
  }
  return [];
}

/** What a rejects file holds first: the line and the reason of the first row refused. */
function firstReject(path: string): { line: number; reason: string } | undefined {
  try {
    const fd = openSync(path, 'r');
    try {
      const head = Buffer.alloc(16_384);
      const n = readSync(fd, head, 0, head.length, 0);
      const text = head.toString('utf8', 0, n);
      const end = text.indexOf('\n');
      const r = JSON.parse(end === -1 ? text : text.slice(0, end)) as {
        line?: unknown;
        reason?: unknown;
      };
      if (typeof r.line !== 'number' || typeof r.reason !== 'string') return undefined;
      return { line: r.line, reason: r.reason };
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined; // the finding still says where the reasons are
  }
}

function duplicateFindings(notCompared: NotCompared[]): RunFinding[] {
  const bySource = new Map<string, NotCompared[]>();
  for (const n of notCompared) {
    if (n.reason !== 'duplicate_rows') continue;
    bySource.set(n.source, [...(bySource.get(n.source) ?? []), n]);
  }
  return [...bySource].map(([source, entries]) => {
    const first = entries[0]!;
    const rows = first.rows.map((r) => `${r.file}:${r.line}`).join(', ');
    return {
      code: 'DUPLICATE_POSITIONS',
      source,
      file: first.rows[0]?.file,
      message:
        `${entries.length} key(s) have two or more rows for the same sku, location, status and ` +
        `as-of in one snapshot (first ${first.sku} @ ${first.location}: ${rows}); they were not ` +
        'compared. Map the column that tells the rows apart (the bin, say) as the location',
    };
  });
}

/** A source that read positions, or declares position files, and made no comparison at all. */
function silentSources(x: FindingInputs): RunFinding[] {
  const failed = new Set(x.failures.map((f) => f.source));
  const compared = new Set((x.summary.comparedBy ?? []).map((c) => c.source));
  const out: RunFinding[] = [];
  for (const source of x.ruleset.sources.values()) {
    if (failed.has(source.id) || compared.has(source.id)) continue;
    const declares = (source.files ?? []).some((f) => f.kind === 'positions');
    if (!declares && !x.withPositions.has(source.id)) continue;
    const files = x.inputs.filter((f) => f.source === source.id);
    const read = files.reduce((n, f) => n + f.read, 0);
    const accepted = files.reduce((n, f) => n + f.accepted, 0);
    out.push({
      code: 'SOURCE_NOT_COMPARED',
      source: source.id,
      message:
        `contributes no comparison: ${read} rows read, ${accepted} in the run, no position ` +
        `at or before the as-of ${x.asOf} at its locations (${source.locations.join(', ')})`,
    });
  }
  return out;
}

/** A snapshot file read before with at least this many rows is checked for a cut-short export. */
export const SHRINK_MIN_ROWS = 100;

/**
 * Snapshot files (items, opening, positions) that read half as many rows as the same file in the
 * run before, or fewer: an export cut short (a paging job that stopped, a full disk) ends on a
 * whole line and loses rows without a word, and the missing keys would compare as nothing there.
 * Event files are left out: a day's movements vary by nature.
 */
export function shrunkFiles(
  ruleset: Pick<Ruleset, 'sources'>,
  inputs: InputFile[],
  previous: { asOf: string; inputs: { source: string; path: string; read: number }[] },
): RunFinding[] {
  const before = new Map(previous.inputs.map((i) => [`${i.source}\u0000${i.path}`, i.read]));
  const out: RunFinding[] = [];
  for (const f of inputs) {
    if (f.failed) continue;
    const kind = ruleset.sources.get(f.source)?.files?.find((m) => m.path === f.path)?.kind;
    if (kind !== 'items' && kind !== 'opening' && kind !== 'positions') continue;
    const then = before.get(`${f.source}\u0000${f.path}`);
    if (then === undefined || then < SHRINK_MIN_ROWS || f.read * 2 > then) continue;
    out.push({
      code: 'FILE_SHRANK',
      source: f.source,
      file: f.path,
      message:
        `${f.read.toLocaleString('en-US')} rows read, half or fewer of the ${then.toLocaleString('en-US')} ` +
        `the run as of ${previous.asOf} read from it: an export cut short loses rows without a word, and ` +
        'their keys compare as nothing there. Check the export; if the stock really shrank, accept the run ' +
        '(--allow-partial)',
    });
  }
  return out;
}
