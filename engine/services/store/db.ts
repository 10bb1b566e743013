/**
 * The database handle. SQLite (better-sqlite3) is the embedded default: `.tally/tally.db` under
 * the working directory, created on first use. `TALLY_DATABASE_URL` (postgres://…) selects
 * PostgreSQL, the engine for production and for several replicas.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import knex, { type Knex } from 'knex';
import { ExternalError } from '../../core/errors.ts';
import { TALLY_HOME } from './home.ts';
import { migrateLatest } from './migrate.ts';

export type Db = Knex;
export type Dialect = 'sqlite' | 'pg';

export type OpenOptions = {
  /** postgres://… or a SQLite file path; defaults to TALLY_DATABASE_URL, then the default file. */
  url?: string;
  /** Working directory for the default SQLite file. */
  cwd?: string;
  /** PostgreSQL schema to use (tests isolate themselves this way). */
  schema?: string;
  /** Run pending migrations on open (default true: commands work in a fresh folder). */
  migrate?: boolean;
  /** PostgreSQL pool size (default 10). */
  poolMax?: number;
  /**
   * How long a query waits for a PostgreSQL connection before failing as DB_UNAVAILABLE (default
   * 60 s; a server answering requests wants less, so a lost database is answered, not waited on).
   */
  acquireTimeoutMs?: number;
};

export const DEFAULT_SQLITE_PATH = join(TALLY_HOME, 'tally.db');

type Target = { dialect: 'pg'; url: string } | { dialect: 'sqlite'; file: string };

/** Which database the options (then TALLY_DATABASE_URL, then the default file) point at. */
function targetOf(opts: OpenOptions): Target {
  const url = opts.url || process.env.TALLY_DATABASE_URL || undefined;
  if (url && isPostgresUrl(url)) return { dialect: 'pg', url };
  return {
    dialect: 'sqlite',
    file: resolve(opts.cwd ?? process.cwd(), url ?? DEFAULT_SQLITE_PATH),
  };
}

export function describeTarget(opts: OpenOptions = {}): string {
  const t = targetOf(opts);
  return t.dialect === 'pg' ? t.url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@') : t.file;
}

export async function openDb(opts: OpenOptions = {}): Promise<Db> {
  const t = targetOf(opts);
  const db = t.dialect === 'pg' ? openPostgres(t.url, opts) : openSqlite(t.file);
  try {
    if (t.dialect === 'pg') await db.raw('select 1');
    if (opts.migrate !== false) await migrateLatest(db);
  } catch (error) {
    await db.destroy();
    if (t.dialect === 'pg' && isConnectionError(error)) {
      throw new ExternalError(
        'postgresql',
        'DB_UNREACHABLE',
        `cannot reach ${describeTarget(opts)}: ${String((error as Error).message)}`,
        { cause: error, retryable: true },
      );
    }
    throw error;
  }
  return db;
}

export function dialectOf(db: Knex): Dialect {
  const client = String(db.client.config.client);
  return client === 'pg' || client === 'postgres' || client === 'postgresql' ? 'pg' : 'sqlite';
}

function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code ?? '';
  return ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', '28P01', '3D000'].includes(code);
}

/** The connection failure surfaces once as an ExternalError; knex would also print its stack. */
const QUIET_CONNECT_ERRORS = {
  warn(message: unknown): void {
    if (String(message).startsWith('Acquire connection error')) return;
    process.stderr.write(`knex: ${String(message)}\n`);
  },
};

function openPostgres(url: string, opts: OpenOptions): Knex {
  return knex({
    client: 'pg',
    connection: url,
    searchPath: opts.schema ? [opts.schema] : undefined,
    pool: { min: 0, max: opts.poolMax ?? 10 },
    acquireConnectionTimeout: opts.acquireTimeoutMs ?? 60_000,
    log: QUIET_CONNECT_ERRORS,
  });
}

/** The page size of a new SQLite database. */
export const SQLITE_PAGE_BYTES = 16_384;

/**
 * One connection: better-sqlite3 is synchronous, so a second connection waiting on a lock would
 * block the event loop while the first one cannot finish. knex queues transactions on the pool;
 * the conditional updates that guard approvals hold either way.
 */
function openSqlite(file: string): Knex {
  mkdirSync(dirname(file), { recursive: true });
  return knex({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate: (
        conn: { pragma: (s: string) => unknown },
        done: (e: Error | null, c: unknown) => void,
      ) => {
        // before the first table: a run's evidence and messages are kilobytes a row, and 16 KiB
        // pages (SQLite's advice for large values) save a 1M-key run ~2 s of its ~11 s save;
        // a database made with other pages keeps them (WAL cannot change its page size)
        conn.pragma(`page_size = ${SQLITE_PAGE_BYTES}`);
        conn.pragma('journal_mode = WAL');
        conn.pragma('synchronous = NORMAL');
        conn.pragma('busy_timeout = 5000');
        conn.pragma('foreign_keys = ON');
        done(null, conn);
      },
    },
  });
}

/** The id of a one-row `insert(...).returning('id')`: `{ id }` on PostgreSQL and SQLite alike. */
export function insertedId(rows: unknown[]): number {
  const row = rows[0] as { id: number | string } | number | string;
  return Number(typeof row === 'object' ? row.id : row);
}

/** Runs `fn` in a transaction unless `db` already is one. */
export async function inTransaction<T>(
  db: Knex,
  fn: (trx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return fn(db as Knex.Transaction);
  return db.transaction(fn);
}

/** Opens the configured database (migrating on first use), runs `fn`, always closes. */
export async function withDb<T>(fn: (db: Knex) => Promise<T>, opts: OpenOptions = {}): Promise<T> {
  const db = await openDb(opts);
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

export { databaseFailure } from './failure.ts';
