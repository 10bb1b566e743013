/**
 * Bulk paths. SQLite: one prepared multi-row INSERT reused for every full chunk, run on the
 * transaction's own connection (knex's batchInsert is 3-4x slower and fails above 500 rows).
 * PostgreSQL: COPY FROM STDIN for large loads; `unnest` of typed arrays for the rest (one round
 * trip, no 65,535-parameter limit).
 */
import type { Knex } from 'knex';
import type { Database, Statement } from 'better-sqlite3';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { dialectOf } from './db.ts';

export type Cell = string | number | null;
export type PgType = 'text' | 'int' | 'bigint' | 'float8';
export type Column = { name: string; pgType: PgType };

const SQLITE_ROWS_PER_STATEMENT = 200;

/** The raw driver connection of a transaction (better-sqlite3 Database or pg client). */
export async function rawConnection<T>(trx: Knex.Transaction): Promise<T> {
  return (await trx.client.acquireConnection()) as T;
}

/** Inserts rows (arrays in column order). Must run inside a transaction. */
export async function bulkInsert(
  trx: Knex.Transaction,
  table: string,
  columns: Column[],
  rows: Cell[][],
  mode: 'insert' | 'ignore' = 'insert',
): Promise<number> {
  if (rows.length === 0) return 0;
  if (dialectOf(trx) === 'sqlite')
    return sqliteInsert(await rawConnection<Database>(trx), table, columns, rows, mode);
  if (rows.length >= 20_000 && mode === 'insert')
    return pgCopy(await rawConnection<PoolClient>(trx), table, columns, rows);
  return pgUnnest(trx, table, columns, rows, mode);
}

function sqliteInsert(
  conn: Database,
  table: string,
  columns: Column[],
  rows: Cell[][],
  mode: 'insert' | 'ignore',
): number {
  const verb = mode === 'ignore' ? 'INSERT OR IGNORE' : 'INSERT';
  const head = `${verb} INTO ${quote(table)} (${columns.map((c) => quote(c.name)).join(', ')}) VALUES `;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const prepared = (n: number): Statement =>
    conn.prepare(head + Array.from({ length: n }, () => tuple).join(', '));
  const full = prepared(Math.min(SQLITE_ROWS_PER_STATEMENT, rows.length));
  let changes = 0;
  let i = 0;
  for (; i + SQLITE_ROWS_PER_STATEMENT <= rows.length; i += SQLITE_ROWS_PER_STATEMENT) {
    changes += full.run(rows.slice(i, i + SQLITE_ROWS_PER_STATEMENT).flat()).changes;
  }
  if (i < rows.length) changes += prepared(rows.length - i).run(rows.slice(i).flat()).changes;
  return changes;
}

async function pgUnnest(
  trx: Knex.Transaction,
  table: string,
  columns: Column[],
  rows: Cell[][],
  mode: 'insert' | 'ignore',
): Promise<number> {
  const arrays = columns.map((_, c) => rows.map((r) => r[c] ?? null));
  const names = columns.map((c) => quote(c.name)).join(', ');
  const tail = mode === 'ignore' ? ' ON CONFLICT DO NOTHING' : '';
  const client = await rawConnection<PoolClient>(trx);
  const result = await client.query(
    `INSERT INTO ${quote(table)} (${names}) SELECT * FROM unnest(${pgCasts(columns)})${tail}`,
    arrays,
  );
  return result.rowCount ?? 0;
}

async function pgCopy(
  client: PoolClient,
  table: string,
  columns: Column[],
  rows: Cell[][],
): Promise<number> {
  const names = columns.map((c) => quote(c.name)).join(', ');
  const stream = client.query(copyFrom(`COPY ${quote(table)} (${names}) FROM STDIN`));
  await pipeline(Readable.from(copyLines(rows)), stream);
  return rows.length;
}

function* copyLines(rows: Cell[][]): Generator<string> {
  const CHUNK = 1000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    let text = '';
    for (const row of rows.slice(i, i + CHUNK)) text += row.map(copyCell).join('\t') + '\n';
    yield text;
  }
}

function copyCell(value: Cell): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  return value.replace(
    /[\\\t\n\r]/g,
    (ch) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[ch]!,
  );
}

function pgCasts(columns: Column[]): string {
  return columns.map((c, i) => `$${i + 1}::${c.pgType}[]`).join(', ');
}

function quote(identifier: string): string {
  return `"${identifier}"`;
}

/** Updates many rows by primary key `id` in one statement per dialect fast path. */
export async function bulkUpdateById(
  trx: Knex.Transaction,
  table: string,
  columns: Column[],
  rows: Cell[][],
): Promise<void> {
  if (rows.length === 0) return;
  const [idColumn, ...rest] = columns;
  if (!idColumn) return;
  const sets = rest.map((c) => `${quote(c.name)} = ?`).join(', ');
  if (dialectOf(trx) === 'sqlite') {
    const conn = await rawConnection<Database>(trx);
    const stmt = conn.prepare(
      `UPDATE ${quote(table)} SET ${sets} WHERE ${quote(idColumn.name)} = ?`,
    );
    for (const row of rows) stmt.run([...row.slice(1), row[0] ?? null]);
    return;
  }
  const arrays = columns.map((_, c) => rows.map((r) => r[c] ?? null));
  const alias = columns.map((c) => quote(c.name)).join(', ');
  const pgSets = rest.map((c) => `${quote(c.name)} = u.${quote(c.name)}`).join(', ');
  const client = await rawConnection<PoolClient>(trx);
  const where = `t.${quote(idColumn.name)} = u.${quote(idColumn.name)}`;
  await client.query(
    `UPDATE ${quote(table)} AS t SET ${pgSets} FROM unnest(${pgCasts(columns)}) AS u(${alias}) WHERE ${where}`,
    arrays,
  );
}
