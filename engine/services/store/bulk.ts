/**
 * Bulk paths: inserts and updates of many rows in one transaction, each on its engine's fast
 * path (bulk-sqlite.ts, bulk-pg.ts).
 */
import type { Knex } from 'knex';
import type { Database } from 'better-sqlite3';
import type { PoolClient } from 'pg';
import { dialectOf } from './db.ts';
import { pgCopy, pgLoadsByCopy, pgUnnest, pgUpdateById } from './bulk-pg.ts';
import { rawConnection, type Cell, type Column, type RowFiller } from './bulk-rows.ts';
import { sqliteInsert, sqliteUpdateById } from './bulk-sqlite.ts';

export { rawConnection, type Cell, type Column, type PgType, type RowFiller } from './bulk-rows.ts';
export { sqliteInsertFilled, sqliteInsertNew } from './bulk-sqlite.ts';
export {
  PG_COPY_MIN_CHARS,
  PG_COPY_MIN_ROWS,
  copyCell,
  pgCopyIgnore,
  pgInsertNew,
  pgLoadsByCopy,
} from './bulk-pg.ts';

/** Inserts rows (arrays in column order). Must run inside a transaction. */
export async function bulkInsert(
  trx: Knex.Transaction,
  table: string,
  columns: Column[],
  rows: Cell[][],
  mode: 'insert' | 'ignore' = 'insert',
): Promise<number> {
  if (rows.length === 0) return 0;
  if (dialectOf(trx) === 'sqlite') {
    const fill: RowFiller = (i, params, at) => {
      const row = rows[i]!;
      for (let c = 0; c < columns.length; c++) params[at + c] = row[c] ?? null;
    };
    return sqliteInsert(
      await rawConnection<Database>(trx),
      table,
      columns,
      rows.length,
      fill,
      mode,
    );
  }
  if (pgLoadsByCopy(rows, mode))
    return pgCopy(await rawConnection<PoolClient>(trx), table, columns, rows);
  return pgUnnest(trx, table, columns, rows, mode);
}

/**
 * Updates many rows by primary key `id` (the first column): SQLite one prepared UPDATE per row;
 * PostgreSQL one statement (bulk-pg.ts). Must run inside a transaction.
 */
export async function bulkUpdateById(
  trx: Knex.Transaction,
  table: string,
  columns: Column[],
  rows: Cell[][],
): Promise<void> {
  if (rows.length === 0 || columns.length === 0) return;
  if (dialectOf(trx) === 'sqlite')
    return sqliteUpdateById(await rawConnection<Database>(trx), table, columns, rows);
  return pgUpdateById(trx, table, columns, rows);
}
