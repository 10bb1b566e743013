/**
 * SQLite's bulk paths: one prepared multi-row INSERT reused for every full chunk, run on the
 * transaction's own connection (knex's batchInsert is 3-4x slower and fails above 500 rows).
 */
import type { Knex } from 'knex';
import type { Database, Statement } from 'better-sqlite3';
import { quote, rawConnection, type Cell, type Column, type RowFiller } from './bulk-rows.ts';

const SQLITE_ROWS_PER_STATEMENT = 200;

/**
 * A row whose texts reach this many characters is inserted one a statement: wide rows cost more
 * in a multi-row VALUES than apart (a 1M-key run's 30,115 exceptions, ~4.4 KB each, statements
 * alone, 3 runs: 447–464 ms at 200 a statement, 396–409 ms at 1, 602–605 ms at 20), narrow ones
 * less (its 67,795 outbox rows: 178–184 ms at 200 against 224–245 ms at 1).
 */
const WIDE_ROW_CHARS = 2048;

/** Rows per statement for rows like row 0 (a call's rows are alike); fills `params` with it. */
function rowsPerStatement(fill: RowFiller, width: number, params: Cell[]): number {
  fill(0, params, 0);
  let chars = 0;
  for (let c = 0; c < width; c++) {
    const v = params[c];
    if (typeof v === 'string') chars += v.length;
  }
  return chars >= WIDE_ROW_CHARS ? 1 : SQLITE_ROWS_PER_STATEMENT;
}

const SQLITE_WIDE_CACHE_ROWS = 20_000;

/** Negative cache_size is KiB: 128 MiB, allocated only as pages are actually used. */
const SQLITE_WIDE_CACHE_KIB = -131_072;

/**
 * SQLite: inserts `count` rows that `fill` writes into a reused parameter array, so a caller can
 * bind straight from its own objects without building a row array each (1M events: ~0.7 s).
 * Must run inside a transaction.
 */
export async function sqliteInsertFilled(
  trx: Knex.Transaction,
  table: string,
  columns: Column[],
  count: number,
  fill: RowFiller,
  mode: 'insert' | 'ignore' = 'insert',
): Promise<number> {
  if (count === 0) return 0;
  return sqliteInsert(await rawConnection<Database>(trx), table, columns, count, fill, mode);
}

export function sqliteInsert(
  conn: Database,
  table: string,
  columns: Column[],
  count: number,
  fill: RowFiller,
  mode: 'insert' | 'ignore',
): number {
  const verb = mode === 'ignore' ? 'INSERT OR IGNORE' : 'INSERT';
  const head = `${verb} INTO ${quote(table)} (${columns.map((c) => quote(c.name)).join(', ')}) VALUES `;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const prepared = (n: number): Statement =>
    preparedOn(conn, head + Array.from({ length: n }, () => tuple).join(', '));
  const width = columns.length;
  const run = (statement: Statement, from: number, n: number): number => {
    const params: Cell[] = new Array<Cell>(n * width);
    for (let r = 0; r < n; r++) fill(from + r, params, r * width);
    return statement.run(params).changes;
  };
  const perStatement = Math.min(rowsPerStatement(fill, width, new Array<Cell>(width)), count);
  const full = prepared(perStatement);
  // One parameter array refilled per statement: slice().flat() per chunk cost ~1.7 s per 1M rows.
  const params: Cell[] = new Array<Cell>(perStatement * width);
  const restoreCache = widenCache(conn, count);
  try {
    let changes = 0;
    let i = 0;
    for (; i + perStatement <= count; i += perStatement) {
      for (let r = 0; r < perStatement; r++) fill(i + r, params, r * width);
      changes += full.run(params).changes;
    }
    if (i < count) changes += run(prepared(count - i), i, count - i);
    return changes;
  } finally {
    restoreCache();
  }
}

/**
 * SQLite: inserts `count` rows that `fill` writes (see RowFiller), skipping any whose `conflict`
 * column value is stored already, and returns the `conflict` values it inserted. One prepared
 * multi-row statement per full chunk on the transaction's connection: knex builds and compiles
 * each chunk's SQL again. Must run inside a transaction.
 *
 * Without RETURNING (the outbox's 67,795 rows of a 1M-key run, 4 runs: 269–311 ms against
 * 391–423 ms with it): a statement that inserted every row inserted every value; one that
 * skipped some gave the rows it inserted consecutive rowids ending at its last insert rowid
 * (the transaction is this connection's alone, and a new rowid is one past the largest), which
 * are read back.
 */
export async function sqliteInsertNew(
  trx: Knex.Transaction,
  table: string,
  columns: Column[],
  count: number,
  fill: RowFiller,
  conflict: string,
): Promise<Set<string>> {
  const inserted = new Set<string>();
  if (count === 0) return inserted;
  const conn = await rawConnection<Database>(trx);
  const head = `INSERT INTO ${quote(table)} (${columns.map((c) => quote(c.name)).join(', ')}) VALUES `;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const tail = ` ON CONFLICT (${quote(conflict)}) DO NOTHING`;
  const prepared = (n: number): Statement =>
    preparedOn(conn, head + Array.from({ length: n }, () => tuple).join(', ') + tail);
  const landed = (): Statement =>
    preparedOn(
      conn,
      `SELECT ${quote(conflict)} FROM ${quote(table)} WHERE rowid > ? AND rowid <= ?`,
      true,
    );
  const width = columns.length;
  const at = columns.findIndex((c) => c.name === conflict);
  if (at < 0) throw new Error(`${conflict} is not one of the columns inserted in ${table}`);
  const insert = (statement: Statement, from: number, n: number, params: Cell[]): void => {
    for (let r = 0; r < n; r++) fill(from + r, params, r * width);
    const { changes, lastInsertRowid } = statement.run(params);
    if (changes === n) {
      for (let r = 0; r < n; r++) inserted.add(String(params[r * width + at]));
    } else if (changes > 0) {
      const last = BigInt(lastInsertRowid);
      for (const [value] of landed().all(last - BigInt(changes), last) as [string][])
        inserted.add(value);
    }
  };
  const perStatement = Math.min(SQLITE_ROWS_PER_STATEMENT, count);
  const full = prepared(perStatement);
  const params: Cell[] = new Array<Cell>(perStatement * width);
  const restoreCache = widenCache(conn, count);
  try {
    let i = 0;
    for (; i + perStatement <= count; i += perStatement) insert(full, i, perStatement, params);
    if (i < count) {
      const n = count - i;
      insert(prepared(n), i, n, new Array<Cell>(n * width));
    }
    return inserted;
  } finally {
    restoreCache();
  }
}

/** Statements by text, per connection: a run's slices reuse their wide INSERTs. */
const statements = new WeakMap<Database, Map<string, Statement>>();

const STATEMENTS_KEPT = 256;

/**
 * The connection's prepared statement for `sql` (`raw`: rows as arrays). Preparing a 200-row
 * INSERT compiles thousands of parameters: at 90,000 exceptions, saved 250 a slice, preparing
 * again each time cost ~0.8 s.
 */
function preparedOn(conn: Database, sql: string, raw = false): Statement {
  let kept = statements.get(conn);
  if (!kept) statements.set(conn, (kept = new Map()));
  const key = raw ? `raw:${sql}` : sql;
  let statement = kept.get(key);
  if (!statement) {
    if (kept.size >= STATEMENTS_KEPT) kept.clear();
    statement = conn.prepare(sql);
    if (raw) statement.raw(true);
    kept.set(key, statement);
  }
  return statement;
}

/**
 * A large load touches index pages all over the B-trees; the default 2 MiB page cache spills
 * them to the WAL again and again (1M events: 8.3 s with it, 6.2 s with 128 MiB). The wider
 * cache lasts for the load only; durability settings (WAL, synchronous=NORMAL) are unchanged.
 */
function widenCache(conn: Database, rowCount: number): () => void {
  if (rowCount < SQLITE_WIDE_CACHE_ROWS) return () => undefined;
  const before = conn.pragma('cache_size', { simple: true }) as number;
  conn.pragma(`cache_size = ${SQLITE_WIDE_CACHE_KIB}`);
  return () => conn.pragma(`cache_size = ${before}`);
}

/** One prepared UPDATE per row, by the first column (the primary key `id`). */
export function sqliteUpdateById(
  conn: Database,
  table: string,
  columns: Column[],
  rows: Cell[][],
): void {
  const [idColumn, ...rest] = columns;
  const sets = rest.map((c) => `${quote(c.name)} = ?`).join(', ');
  const stmt = preparedOn(
    conn,
    `UPDATE ${quote(table)} SET ${sets} WHERE ${quote(idColumn!.name)} = ?`,
  );
  for (const row of rows) stmt.run([...row.slice(1), row[0] ?? null]);
}
