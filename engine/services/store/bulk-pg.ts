/**
 * PostgreSQL's bulk paths: COPY FROM STDIN for large loads and for slices with much text;
 * `unnest` of typed arrays for the rest (one round trip, no 65,535-parameter limit).
 */
import type { Knex } from 'knex';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { quote, rawConnection, type Cell, type Column } from './bulk-rows.ts';

/** From this many rows on, PostgreSQL loads by COPY; below it one `unnest` INSERT is quicker. */
export const PG_COPY_MIN_ROWS = 20_000;

/**
 * From this many characters of text on, PostgreSQL loads by COPY however few the rows:
 * node-postgres writes each text of an `unnest` array escaped by regular expressions, and the
 * strings it builds grow with the text (a 1M-key run's 30,000 exceptions, ~120 MB of evidence in
 * slices of 250: ~6.6 s by `unnest`, ~3.5 s by COPY, and in the run itself seconds of garbage
 * collection on top). COPY costs one more round trip, worth it from a few tens of kilobytes.
 */
export const PG_COPY_MIN_CHARS = 64 * 1024;

/** Whether PostgreSQL loads these rows by COPY (else by one `unnest` INSERT). */
export function pgLoadsByCopy(rows: Cell[][], mode: 'insert' | 'ignore'): boolean {
  return mode === 'insert' && (rows.length >= PG_COPY_MIN_ROWS || muchText(rows));
}

/** Whether `rows` hold PG_COPY_MIN_CHARS characters of text or more. */
function muchText(rows: Cell[][]): boolean {
  let chars = 0;
  for (const row of rows) {
    for (const cell of row) if (typeof cell === 'string') chars += cell.length;
    if (chars >= PG_COPY_MIN_CHARS) return true;
  }
  return false;
}

/**
 * PostgreSQL: inserts rows (arrays in column order), skipping any whose `conflict` column value
 * is stored already or came earlier in `rows`, and returns the `conflict` values it inserted.
 * One `unnest` statement per PG_NEW_ROWS rows: knex's multi-row INSERT binds every value apart
 * (a run's messages, 500 rows of 9 columns a statement: ~20 ms each, 3 s at 1M keys).
 */
export async function pgInsertNew(
  db: Knex,
  table: string,
  columns: Column[],
  rows: Cell[][],
  conflict: string,
): Promise<Set<string>> {
  const inserted = new Set<string>();
  const names = columns.map((c) => quote(c.name)).join(', ');
  const casts = columns.map((c) => `?::${c.pgType}[]`).join(', ');
  const sql =
    `INSERT INTO ${quote(table)} (${names}) SELECT * FROM unnest(${casts}) ` +
    `ON CONFLICT (${quote(conflict)}) DO NOTHING RETURNING ${quote(conflict)}`;
  for (let at = 0; at < rows.length; at += PG_NEW_ROWS) {
    const arrays = columnArrays(columns, rows.slice(at, at + PG_NEW_ROWS));
    const result = (await db.raw(sql, arrays as Knex.RawBinding[])) as {
      rows: Record<string, unknown>[];
    };
    for (const r of result.rows) inserted.add(String(r[conflict]));
  }
  return inserted;
}

/** Rows per pgInsertNew statement: its arrays are built whole in memory. */
const PG_NEW_ROWS = 5_000;

export async function pgUnnest(
  trx: Knex.Transaction,
  table: string,
  columns: Column[],
  rows: Cell[][],
  mode: 'insert' | 'ignore',
): Promise<number> {
  const arrays = columnArrays(columns, rows);
  const names = columns.map((c) => quote(c.name)).join(', ');
  const tail = mode === 'ignore' ? ' ON CONFLICT DO NOTHING' : '';
  const client = await rawConnection<PoolClient>(trx);
  const result = await client.query(
    `INSERT INTO ${quote(table)} (${names}) SELECT * FROM unnest(${pgCasts(columns)})${tail}`,
    arrays,
  );
  return result.rowCount ?? 0;
}

export async function pgCopy(
  client: PoolClient,
  table: string,
  columns: Column[],
  rows: Cell[][],
): Promise<number> {
  const names = columns.map((c) => quote(c.name)).join(', ');
  return copyText(client, quote(table), names, copyLines(rows));
}

function* copyLines(rows: Cell[][]): Generator<string> {
  const CHUNK = 2000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    let text = '';
    const end = Math.min(i + CHUNK, rows.length);
    for (let r = i; r < end; r++) {
      const row = rows[r]!;
      let line = copyCell(row[0] ?? null);
      for (let c = 1; c < row.length; c++) line += '\t' + copyCell(row[c] ?? null);
      text += line + '\n';
    }
    yield text;
  }
}

/** Escapes one value for COPY text format; most values need no escaping, so test before replacing. */
export function copyCell(value: Cell): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(NEEDS_ESCAPE_ALL, (ch) => COPY_ESCAPES[ch]!);
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;

const NEEDS_ESCAPE_ALL = /[\\\t\n\r]/g;

const COPY_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};

let tempTables = 0;

/**
 * COPY that skips rows whose unique `key` is already in `table` (or repeats within the load).
 * The common case — none of them is there yet — goes straight into the table inside a savepoint
 * (1M events: ~7 s). Only on a unique violation does it roll back to the savepoint and take the
 * slower path: COPY into a temporary table, then INSERT … SELECT … ON CONFLICT DO NOTHING.
 * A stored key late in the load costs the work COPY did before it (at worst the whole COPY).
 * `text` yields COPY text lines and is called again for the fallback. Must run in a transaction.
 */
export async function pgCopyIgnore(
  trx: Knex.Transaction,
  table: string,
  columns: Column[],
  key: string[],
  text: () => Iterable<string>,
): Promise<number> {
  const client = await rawConnection<PoolClient>(trx);
  const names = columns.map((c) => quote(c.name)).join(', ');
  await client.query('SAVEPOINT tally_bulk_copy');
  try {
    const copied = await copyText(client, quote(table), names, text());
    await client.query('RELEASE SAVEPOINT tally_bulk_copy');
    return copied;
  } catch (error) {
    if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
    await client.query('ROLLBACK TO SAVEPOINT tally_bulk_copy');
    await client.query('RELEASE SAVEPOINT tally_bulk_copy');
  }
  const temp = await tempTableLike(
    client,
    table,
    columns.map((c) => c.name),
  );
  await copyText(client, temp, names, text());
  // Skipping stored keys by an anti-join first is ~1.8x quicker than letting ON CONFLICT find
  // each one (500,000 events all present: 1.3 s vs 2.3 s); ON CONFLICT still catches repeats
  // within the load and rows another transaction commits meanwhile. ANALYZE: temp tables have
  // no statistics otherwise, and the anti-join plan depends on the row count.
  await client.query(`ANALYZE ${temp}`);
  const stored = key.map((k) => `s.${quote(k)} = n.${quote(k)}`).join(' AND ');
  const result = await client.query(
    `INSERT INTO ${quote(table)} (${names}) SELECT ${names} FROM ${temp} AS n ` +
      `WHERE NOT EXISTS (SELECT 1 FROM ${quote(table)} AS s WHERE ${stored}) ON CONFLICT DO NOTHING`,
  );
  await client.query(`DROP TABLE ${temp}`);
  return result.rowCount ?? 0;
}

const UNIQUE_VIOLATION = '23505';

async function copyText(
  client: PoolClient,
  target: string,
  names: string,
  text: Iterable<string>,
): Promise<number> {
  const stream = client.query(copyFrom(`COPY ${target} (${names}) FROM STDIN`));
  await pipeline(Readable.from(text), stream);
  return stream.rowCount;
}

/** One array per column, for `unnest`. */
function columnArrays(columns: Column[], rows: Cell[][]): Cell[][] {
  return columns.map((_, c) => rows.map((r) => r[c] ?? null));
}

function pgCasts(columns: Column[]): string {
  return columns.map((c, i) => `$${i + 1}::${c.pgType}[]`).join(', ');
}

/**
 * One UPDATE by the first column (the primary key `id`), its values by `unnest` or, with much
 * text, by COPY into a temporary table.
 */
export async function pgUpdateById(
  trx: Knex.Transaction,
  table: string,
  columns: Column[],
  rows: Cell[][],
): Promise<void> {
  const [idColumn, ...rest] = columns;
  const alias = columns.map((c) => quote(c.name)).join(', ');
  const pgSets = rest.map((c) => `${quote(c.name)} = u.${quote(c.name)}`).join(', ');
  const client = await rawConnection<PoolClient>(trx);
  const where = `t.${quote(idColumn!.name)} = u.${quote(idColumn!.name)}`;
  if (muchText(rows)) {
    // much text (a run's evidence): COPY into a temporary table, as for inserts (pgLoadsByCopy)
    const temp = await updateTable(
      trx,
      client,
      table,
      columns.map((c) => c.name),
    );
    await copyText(client, temp, alias, copyLines(rows));
    // a temporary table has no statistics: without them the join may scan the whole table
    await client.query(`ANALYZE ${temp}`);
    await client.query(
      `UPDATE ${quote(table)} AS t SET ${pgSets} FROM ${temp} AS u WHERE ${where}`,
    );
    return;
  }
  const arrays = columnArrays(columns, rows);
  await client.query(
    `UPDATE ${quote(table)} AS t SET ${pgSets} FROM unnest(${pgCasts(columns)}) AS u(${alias}) WHERE ${where}`,
    arrays,
  );
}

/** The temporary tables of a transaction's updates by COPY, by table and columns. */
const updateTables = new WeakMap<Knex.Transaction, Map<string, string>>();

/**
 * The temporary table of an update by COPY (tempTableLike), made once per transaction (a save
 * updates in slices) and emptied for each use.
 */
async function updateTable(
  trx: Knex.Transaction,
  client: PoolClient,
  table: string,
  columns: string[],
): Promise<string> {
  const names = columns.map(quote).join(', ');
  let made = updateTables.get(trx);
  if (!made) updateTables.set(trx, (made = new Map()));
  const key = `${table}(${names})`;
  const kept = made.get(key);
  if (kept) {
    await client.query(`TRUNCATE ${kept}`);
    return kept;
  }
  const temp = await tempTableLike(client, table, columns);
  made.set(key, temp);
  return temp;
}

/**
 * An empty temporary table with `columns` of `table`, dropped at commit, its columns compressed
 * as `table`'s are (see compressLike): what goes through it keeps the table's compression.
 */
async function tempTableLike(
  client: PoolClient,
  table: string,
  columns: string[],
): Promise<string> {
  const temp = quote(`tally_bulk_${++tempTables}`);
  const names = columns.map(quote).join(', ');
  await client.query(
    `CREATE TEMP TABLE ${temp} ON COMMIT DROP AS SELECT ${names} FROM ${quote(table)} WITH NO DATA`,
  );
  await compressLike(client, table, temp, columns);
  return temp;
}

/**
 * Gives `temp`'s columns the compression `table`'s have (migration 015: lz4 for evidence), which
 * CREATE TABLE AS does not copy: a value keeps the compression it was stored with, so evidence
 * copied through a pglz temporary table stayed pglz in `table` (every continued exception of a
 * run's next-day save, undoing migration 015 from the second run on). Nothing to do before
 * PostgreSQL 14 (no column compression: attcompression read through jsonb is null there).
 */
async function compressLike(
  client: PoolClient,
  table: string,
  temp: string,
  columns: string[],
): Promise<void> {
  const { rows } = await client.query<{ name: string; method: string | null }>(
    `SELECT attname AS name, to_jsonb(a) ->> 'attcompression' AS method FROM pg_attribute a
     WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
    [quote(table)],
  );
  for (const { name, method } of rows) {
    const as = method === 'l' ? 'lz4' : method === 'p' ? 'pglz' : undefined;
    // only the columns the update carries are in the temporary table
    if (as && columns.includes(name))
      await client.query(`ALTER TABLE ${temp} ALTER COLUMN ${quote(name)} SET COMPRESSION ${as}`);
  }
}
