/**
 * A read-only knex handle on the ERP database. Driver failures become ExternalError: the
 * database being down or a table missing is not a defect in Tally.
 */
import type { Knex } from 'knex';
import { ExternalError } from '../../engine/core/errors.ts';
import type { SqlSettings } from './settings.ts';

export type Db = {
  knex: Knex;
  settings: SqlSettings;
  /** A table, qualified by settings.schema when set. */
  table(name: string, alias?: string): Knex.QueryBuilder;
  /** A column read as text, so timestamps keep their microseconds and no driver applies a time zone. */
  text(column: string, as: string): Knex.Raw;
  /** Keyset pages ordered by `keys`; `after` is the last key of the previous page. */
  pages<T extends Record<string, unknown>>(
    build: () => Knex.QueryBuilder,
    keys: { column: string; field: string }[],
    after?: unknown[],
  ): AsyncGenerator<T[]>;
};

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
  '28P01',
  '28000',
  '3D000',
  'ER_ACCESS_DENIED_ERROR',
  'ER_BAD_DB_ERROR',
  'SQLITE_CANTOPEN',
]);

export function externalError(error: unknown, what: string): ExternalError {
  const e = error as { code?: string; message?: string };
  const message = e?.message ?? String(error);
  if (
    (e?.code && CONNECTION_CODES.has(e.code)) ||
    /Timeout acquiring a connection|unable to open database|Cannot open database/i.test(message)
  )
    return new ExternalError(
      'sql',
      'SQL_CONNECTION_FAILED',
      `cannot connect to the database: ${message}`,
      {
        cause: error,
        retryable: true,
      },
    );
  return new ExternalError('sql', 'SQL_QUERY_FAILED', `${what} failed: ${message}`, {
    cause: error,
  });
}

/** knex's pool prints each failed attempt; the failure reaches the user once, as a finding. */
const QUIET = { warn() {}, error() {}, deprecate() {}, debug() {} };

function config(settings: SqlSettings, url: string): Knex.Config {
  const pool = { min: 0, max: 2 };
  const connectMs = settings.connectTimeoutSeconds * 1000;
  if (settings.client === 'better-sqlite3') {
    const filename = url.replace(/^(sqlite|file):(\/\/)?/, '');
    return {
      client: 'better-sqlite3',
      connection: { filename, options: { readonly: true } },
      useNullAsDefault: true,
      pool,
      log: QUIET,
    };
  }
  // the driver's own connect timeout names the fault; knex's acquire timeout is the backstop
  const connection =
    settings.client === 'pg'
      ? { connectionString: url, connectionTimeoutMillis: connectMs }
      : { uri: url, connectTimeout: connectMs };
  return {
    client: settings.client,
    connection: connection as Knex.StaticConnectionConfig,
    pool,
    acquireConnectionTimeout: connectMs + 1000,
    log: QUIET,
  };
}

/** A query that outlived settings.queryTimeoutSeconds (knex cancels it on the server). */
function timedOut(error: unknown): boolean {
  return (error as { name?: string })?.name === 'KnexTimeoutError';
}

/** The fault of a query, with the timeout named in the settings' words. */
export function queryError(error: unknown, what: string, settings: SqlSettings): ExternalError {
  if (!timedOut(error)) return externalError(error, what);
  return new ExternalError(
    'sql',
    'SQL_QUERY_TIMEOUT',
    `${what} got no answer within ${settings.queryTimeoutSeconds} s (settings.queryTimeoutSeconds)`,
    { cause: error, retryable: true },
  );
}

/** Runs a query under settings.queryTimeoutSeconds. */
export function withTimeout<T>(q: Knex.QueryBuilder | Knex.Raw, settings: SqlSettings): Promise<T> {
  // SQLite runs in this process and cannot be cancelled: its query is only given up on
  const cancel = settings.client !== 'better-sqlite3';
  return q.timeout(settings.queryTimeoutSeconds * 1000, { cancel }) as unknown as Promise<T>;
}

export async function openDb(settings: SqlSettings, url: string): Promise<Db> {
  // loaded here, not at import: commands that only check the rules never pay for the driver
  const { default: knexFactory } = await import('knex');
  const knex = knexFactory(config(settings, url));
  try {
    await knex.raw('select 1');
  } catch (error) {
    await knex.destroy();
    throw connectError(error, settings);
  }
  const client = settings.client;
  return {
    knex,
    settings,
    table(name, alias) {
      const ref = alias ? `${name} as ${alias}` : name;
      return settings.schema ? knex.withSchema(settings.schema).from(ref) : knex.from(ref);
    },
    text(column, as) {
      if (client === 'pg') return knex.raw('??::text as ??', [column, as]);
      if (client === 'mysql2') return knex.raw('cast(?? as char) as ??', [column, as]);
      return knex.raw('?? as ??', [column, as]);
    },
    async *pages<T extends Record<string, unknown>>(
      build: () => Knex.QueryBuilder,
      keys: { column: string; field: string }[],
      after?: unknown[],
    ) {
      let last = after;
      for (;;) {
        const q = build().limit(settings.batchSize);
        for (const k of keys) q.orderBy(k.column);
        if (last) {
          const cols = keys.map(() => '??').join(', ');
          const vals = keys.map(() => '?').join(', ');
          q.whereRaw(`(${cols}) > (${vals})`, [
            ...keys.map((k) => k.column),
            ...(last as Knex.Value[]),
          ]);
        }
        let rows: T[];
        try {
          rows = await withTimeout<T[]>(q, settings);
        } catch (error) {
          throw queryError(error, 'query', settings);
        }
        if (rows.length === 0) return;
        yield rows;
        const tail = rows[rows.length - 1]!;
        last = keys.map((k) => tail[k.field]);
        if (rows.length < settings.batchSize) return;
      }
    },
  };
}

/** A connection refused, unanswered or denied; the URL (and its password) is never shown. */
function connectError(error: unknown, settings: SqlSettings): ExternalError {
  const message = (error as { message?: string })?.message ?? '';
  if (/timeout/i.test(message))
    return new ExternalError(
      'sql',
      'SQL_CONNECTION_FAILED',
      `cannot connect to the database: no answer within ${settings.connectTimeoutSeconds} s (settings.connectTimeoutSeconds)`,
      { cause: error, retryable: true },
    );
  return externalError(error, 'connecting');
}
