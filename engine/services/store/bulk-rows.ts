/** What the bulk paths share: rows as arrays of cells in column order, and the raw connection. */
import type { Knex } from 'knex';

export type Cell = string | number | null;

export type PgType = 'text' | 'int' | 'bigint' | 'float8';

export type Column = { name: string; pgType: PgType };

/** Writes row `index`'s values, in column order, into `params` from position `at`. */
export type RowFiller = (index: number, params: Cell[], at: number) => void;

/** The raw driver connection of a transaction (better-sqlite3 Database or pg client). */
export async function rawConnection<T>(trx: Knex.Transaction): Promise<T> {
  return (await trx.client.acquireConnection()) as T;
}

export function quote(identifier: string): string {
  return `"${identifier}"`;
}
