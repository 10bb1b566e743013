/**
 * Rows of the Mappings `locationFiles`: the locations they declare fit the hierarchy, their
 * codes name known locations, no code goes to two places, and no row disagrees with what
 * `locationCodes` or `locationPatterns` say about the same code. Each problem is at its row.
 */
import { LOCATION_LEVELS } from '../types.ts';
import type { LocationLevel } from '../types.ts';
import { allLocations } from '../locations.ts';
import type { LocationRow } from '../location-files.ts';
import type { Problem, ProblemCode } from '../problems.ts';
import { compileGlob } from '../glob.ts';
import { locate } from '../yaml-file.ts';
import { quoteList, report } from './context.ts';
import type { CheckContext } from './context.ts';
import type { DeclaredNames } from './declared.ts';

type Node = { parent?: string; level: string; type: string; where: string };

export function checkLocationFiles(ctx: CheckContext, names: DeclaredNames): void {
  const at = ctx.docs.Mappings[0];
  if (!at) return;
  (at.doc.locationFiles ?? []).forEach((f, i) => {
    if (f.source === undefined || !names.sources || names.sources.has(f.source)) return;
    const msg = `unknown source "${f.source}" (sources: ${quoteList(names.sources)})`;
    report(ctx, at, ['locationFiles', i, 'source'], 'UNKNOWN_SOURCE', msg);
  });
  if (ctx.locationRows.length === 0) return;
  const nodes = new Map<string, Node>();
  for (const l of allLocations(at.doc)) {
    if (nodes.has(l.id)) continue;
    const parent = l.parent !== undefined ? { parent: l.parent } : {};
    nodes.set(l.id, { level: l.level, type: l.type, where: at.rf.file, ...parent });
  }
  const declared = declareRows(ctx.problems, ctx.locationRows, nodes);
  for (const row of declared) checkParent(ctx.problems, row, nodes);
  checkCodes(ctx, nodes);
}

function problem(problems: Problem[], row: LocationRow, code: ProblemCode, reason: string): void {
  const what =
    row.code !== undefined ? `code "${row.code}" → ${row.location}` : `location "${row.location}"`;
  problems.push({
    file: row.file,
    line: row.line,
    column: 1,
    path: '',
    message: `${what}: ${reason}`,
    code,
  });
}

/** `line 7` in the same file, else `file:7`. */
function placeOf(before: LocationRow, row: LocationRow): string {
  return before.file === row.file ? `line ${before.line}` : `${before.file}:${before.line}`;
}

function describe(n: { parent?: string; level: string; type: string }): string {
  return `level ${n.level}, type ${n.type}, parent ${n.parent ?? '(none)'}`;
}

/** Adds each declared location once; a repeat must say the same, else it is reported. */
function declareRows(
  problems: Problem[],
  rows: readonly LocationRow[],
  nodes: Map<string, Node>,
): LocationRow[] {
  const first: LocationRow[] = [];
  for (const row of rows) {
    if (!row.declares) continue;
    const seen = nodes.get(row.location);
    if (!seen) {
      nodes.set(row.location, { ...row.declares, where: `${row.file}:${row.line}` });
      first.push(row);
      continue;
    }
    if (describe(seen) !== describe(row.declares)) {
      const reason = `declared as ${describe(row.declares)} here, as ${describe(seen)} at ${seen.where.replace(`${row.file}:`, 'line ')}`;
      problem(problems, row, 'DUPLICATE_NAME', reason);
    }
  }
  return first;
}

function checkParent(
  problems: Problem[],
  row: LocationRow,
  nodes: ReadonlyMap<string, Node>,
): void {
  const parentId = row.declares!.parent;
  if (parentId === undefined) return;
  const parent = nodes.get(parentId);
  if (!parent) {
    problem(problems, row, 'UNKNOWN_LOCATION', `parent "${parentId}" is not a declared location`);
    return;
  }
  // levels go strictly down, which also rules out a cycle
  if (rank(parent.level) >= rank(row.declares!.level)) {
    const reason = `a ${row.declares!.level} cannot sit under "${parentId}" (${parent.level}): levels go ${LOCATION_LEVELS.join(' → ')}`;
    problem(problems, row, 'LOCATION_LEVEL', reason);
  }
}

function rank(level: string): number {
  return LOCATION_LEVELS.indexOf(level as LocationLevel);
}

function checkCodes(ctx: CheckContext, nodes: ReadonlyMap<string, Node>): void {
  const at = ctx.docs.Mappings[0]!;
  const patterns = (at.doc.locationPatterns ?? []).map((p, i) => ({
    ...p,
    regex: compileGlob(p.glob),
    line: locate(at.rf, ['locationPatterns', i], false).line,
  }));
  const seen = new Map<string, LocationRow>();
  for (const row of ctx.locationRows) {
    if (row.code === undefined || row.source === undefined) continue;
    if (!nodes.has(row.location)) {
      problem(
        ctx.problems,
        row,
        'UNKNOWN_LOCATION',
        `"${row.location}" is not a declared location`,
      );
      continue;
    }
    const key = `${row.source}\u0000${row.code}`;
    const before = seen.get(key);
    if (before && before.location !== row.location) {
      const reason = `${row.source} code "${row.code}" is mapped to ${before.location} at ${placeOf(before, row)}; a code goes to one place`;
      problem(ctx.problems, row, 'DUPLICATE_NAME', reason);
      continue;
    }
    if (before) continue;
    seen.set(key, row);
    const exact = at.doc.locationCodes?.[row.source]?.[row.code];
    if (exact !== undefined && exact !== row.location) {
      const line = locate(at.rf, ['locationCodes', row.source, row.code]).line;
      const reason = `locationCodes (${at.rf.file}:${line}) maps it to ${exact}; locationCodes is tried first and would win — keep one`;
      problem(ctx.problems, row, 'CODE_CONFLICT', reason);
      continue;
    }
    if (exact !== undefined) continue;
    if (row.code !== row.location && nodes.has(row.code)) {
      const reason = `"${row.code}" is itself a declared location; the file's code would win over it — map the code to itself or rename`;
      problem(ctx.problems, row, 'CODE_CONFLICT', reason);
      continue;
    }
    if (nodes.has(row.code)) continue; // the code is the location itself: no pattern applies
    const p =
      patterns.find((q) => q.source === row.source && q.regex.test(row.code!)) ??
      patterns.find((q) => q.source === undefined && q.regex.test(row.code!));
    if (p && !within(row.location, p.location, nodes)) {
      const reason = `locationPatterns "${p.glob}" (${at.rf.file}:${p.line}) sends it to ${p.location}; the file's exact code is tried first and would win — map it at or under ${p.location}, or drop the row`;
      problem(ctx.problems, row, 'CODE_CONFLICT', reason);
    }
  }
}

/** `id` is `ancestor` or below it. */
function within(id: string, ancestor: string, nodes: ReadonlyMap<string, Node>): boolean {
  let at: string | undefined = id;
  for (let hops = 0; at !== undefined && hops < LOCATION_LEVELS.length + 1; hops++) {
    if (at === ancestor) return true;
    at = nodes.get(at)?.parent;
  }
  return false;
}
