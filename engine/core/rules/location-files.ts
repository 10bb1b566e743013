/**
 * Mappings `locationFiles`: location maps and bin lists the customer exports, read from inside
 * the rules folder and turned into rows (a code of a source → a location, and optionally the
 * location's place in the hierarchy), each keeping its file and line for problems.
 */
import { lstat, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { Loaded } from './docs.ts';
import type { Problem, ProblemCode } from './problems.ts';
import { toPointer } from './problems.ts';
import { LOCATION_LEVELS } from './types.ts';
import { locate } from './yaml-file.ts';
import { parseTable } from './location-table.ts';

export const MAX_LOCATION_FILE_BYTES = 32 * 1024 * 1024;
export const MAX_LOCATION_FILE_ROWS = 200_000;

export type LocationFileDoc = {
  path: string;
  format?: 'csv' | 'tsv';
  source?: string;
  level?: string;
  type?: string;
  columns: { code?: string; location: string; parent?: string; level?: string; type?: string };
};
/** What reading a declared path gave: its text, or why it was not read. */
export type TableText = { file: string; text: string } | { file: string; error: string };
export type LocationRow = {
  file: string;
  line: number;
  source?: string;
  code?: string;
  location: string;
  /** Set when the file has a parent column: the row declares `location` in the hierarchy. */
  declares?: { parent?: string; level: string; type: string };
};

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/** Reads every `locationFiles` path of the Mappings documents among `values`, keyed by path. */
export async function readLocationFiles(
  dir: string,
  values: unknown[],
  display: (p: string) => string,
): Promise<Map<string, TableText>> {
  const out = new Map<string, TableText>();
  for (const value of values) {
    const v = value as { kind?: unknown; locationFiles?: unknown } | null;
    if (v?.kind !== 'Mappings' || !Array.isArray(v.locationFiles)) continue;
    for (const entry of v.locationFiles.slice(0, 50)) {
      const p = (entry as { path?: unknown } | null)?.path;
      if (typeof p !== 'string' || out.has(p)) continue;
      out.set(p, await readInside(dir, p, display));
    }
  }
  return out;
}

async function readInside(
  dir: string,
  p: string,
  display: (p: string) => string,
): Promise<TableText> {
  const file = display(path.join(dir, p));
  const fail = (error: string): TableText => ({ file, error });
  if (path.isAbsolute(p) || /^[A-Za-z]:/.test(p)) return fail('the path is absolute');
  const root = path.resolve(dir);
  if (!inside(root, path.resolve(root, p))) return fail('the path leads out of the rules folder');
  try {
    const real = await realpath(path.resolve(root, p));
    if (!inside(await realpath(root), real))
      return fail(`the path is a link to ${real}, outside the rules folder`);
    const info = await lstat(real);
    if (!info.isFile()) return fail('not a file');
    if (info.size > MAX_LOCATION_FILE_BYTES)
      return fail(`the file is ${info.size} bytes; the limit is ${MAX_LOCATION_FILE_BYTES}`);
    return { file, text: await readFile(real, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' ? 'no such file in the rules folder' : (error as Error).message);
  }
}

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/** The rows of every location file of `at`, and every problem met reading them. */
export function locationRows(
  at: Loaded<'Mappings'> | undefined,
  tables: ReadonlyMap<string, TableText> | undefined,
): { rows: LocationRow[]; problems: Problem[] } {
  const rows: LocationRow[] = [];
  const problems: Problem[] = [];
  const entries = (at?.doc.locationFiles ?? []) as LocationFileDoc[];
  entries.forEach((entry, i) => {
    const atEntry = (segments: (string | number)[], code: ProblemCode, reason: string) => {
      const pos = locate(at!.rf, ['locationFiles', i, ...segments]);
      const where = ['locationFiles', i, ...segments].join('.').replace(/\.(\d+)/g, '[$1]');
      const message = `Mappings ${where}: ${reason}`;
      const pointer = toPointer(['locationFiles', i, ...segments]);
      problems.push({ file: at!.rf.file, ...pos, path: pointer, message, code });
    };
    const wrong = configProblem(entry);
    if (wrong) return atEntry(wrong.at, 'BAD_VALUE', wrong.reason);
    const read = tables?.get(entry.path);
    if (!read) return atEntry(['path'], 'FILE_UNREADABLE', `${entry.path} was not read`);
    if ('error' in read)
      return atEntry(['path'], 'FILE_UNREADABLE', `cannot read ${entry.path}: ${read.error}`);
    const format = entry.format ?? (/\.(tsv|txt)$/i.test(entry.path) ? 'tsv' : 'csv');
    const table = parseTable(read.text, format);
    if ('error' in table)
      return atEntry(
        ['path'],
        'BAD_VALUE',
        `${entry.path} is not valid ${format.toUpperCase()}: ${table.error}`,
      );
    const index = new Map<string, number>();
    let missing = false;
    for (const [field, name] of Object.entries(entry.columns)) {
      const k = table.header.indexOf(name);
      if (k >= 0) index.set(field, k);
      else {
        missing = true;
        atEntry(
          ['columns', field],
          'MISSING_COLUMN',
          `${entry.path} has no column "${name}" (its header: ${table.header.join(', ')})`,
        );
      }
    }
    if (missing) return;
    if (table.records.length > MAX_LOCATION_FILE_ROWS)
      return atEntry(
        ['path'],
        'BAD_VALUE',
        `${entry.path} has ${table.records.length} rows; the limit is ${MAX_LOCATION_FILE_ROWS}`,
      );
    for (const record of table.records) {
      const row = toRow(entry, read.file, record, index, table.header.length, problems);
      if (row) rows.push(row);
    }
  });
  return { rows, problems };
}

/** An entry whose columns cannot work together, with the field to point at. */
function configProblem(entry: LocationFileDoc): { at: string[]; reason: string } | undefined {
  const c = entry.columns;
  if (c.code !== undefined && entry.source === undefined)
    return {
      at: ['columns', 'code'],
      reason: 'a code column needs the `source` whose codes they are',
    };
  if (c.code === undefined && c.parent === undefined)
    return {
      at: ['columns'],
      reason:
        'give a `code` column (codes of a source), a `parent` column (locations of the hierarchy), or both',
    };
  for (const field of ['level', 'type'] as const) {
    if (c.parent === undefined && (c[field] !== undefined || entry[field] !== undefined))
      return {
        at: c[field] !== undefined ? ['columns', field] : [field],
        reason: `a ${field} is for the locations a file declares, which takes a \`parent\` column`,
      };
    if (c.parent !== undefined && c[field] === undefined && entry[field] === undefined)
      return {
        at: ['columns', 'parent'],
        reason: `locations declared by the file need a \`${field}\` column or a \`${field}\` for the whole file`,
      };
  }
  return undefined;
}

function toRow(
  entry: LocationFileDoc,
  file: string,
  record: { line: number; cells: string[] },
  index: ReadonlyMap<string, number>,
  width: number,
  problems: Problem[],
): LocationRow | undefined {
  const bad = (reason: string) => {
    problems.push({
      file,
      line: record.line,
      column: 1,
      path: '',
      message: `row: ${reason}`,
      code: 'BAD_VALUE',
    });
    return undefined;
  };
  if (record.cells.length !== width)
    return bad(`${record.cells.length} cells where the header has ${width}`);
  const cell = (field: string) => {
    const k = index.get(field);
    return k === undefined ? undefined : record.cells[k]!.trim();
  };
  const location = cell('location')!;
  if (!ID.test(location) || location.length > 64)
    return bad(
      `location "${location}" is not a location id (letters, digits, . _ : -, at most 64)`,
    );
  const code = cell('code');
  if (code !== undefined && (code === '' || code.length > 128))
    return bad(
      code === '' ? 'the code is empty' : `code "${code.slice(0, 40)}…" is over 128 characters`,
    );
  const row: LocationRow = { file, line: record.line, location };
  if (code !== undefined) Object.assign(row, { code, source: entry.source });
  if (!index.has('parent')) return row;
  const parent = cell('parent')!;
  const level = cell('level') ?? entry.level!;
  const type = cell('type') ?? entry.type!;
  if (parent !== '' && !ID.test(parent)) return bad(`parent "${parent}" is not a location id`);
  if (!(LOCATION_LEVELS as readonly string[]).includes(level))
    return bad(`level "${level}" is not one of ${LOCATION_LEVELS.join(', ')}`);
  if (!ID.test(type) || type.length > 64) return bad(`type "${type}" is not a location type`);
  row.declares = { level, type, ...(parent !== '' ? { parent } : {}) };
  return row;
}
