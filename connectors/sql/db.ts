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

function config(settings: SqlSettings, url: string): Knex.Config {
  const pool = { min: 0, max: 2 };
  if (settings.client === 'better-sqlite3') {
    const filename = url.replace(/^(sqlite|file):(\/\/)?/, '');
    return {
      client: 'better-sqlite3',
      connection: { filename, options: { readonly: true } },
      useNullAsDefault: true,
      pool,
    };
  }
  return { client: settings.client, connection: url, pool, acquireConnectionTimeout: 15_000 };
}

export async function openDb(settings: SqlSettings, url: string): Promise<Db> {
  // loaded here, not at import: commands that only check the rules never pay for the driver
  const { default: knexFactory } = await import('knex');
  const knex = knexFactory(config(settings, url));
  try {
    await knex.raw('select 1');
  } catch (error) {
    await knex.destroy();
    throw externalError(error, 'connecting');
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
          rows = (await q) as T[];
        } catch (error) {
          throw externalError(error, 'query');
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
