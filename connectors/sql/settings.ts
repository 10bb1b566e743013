/** Settings of a `sql` source: which driver, where the URL lives, which query set. */
import type { SourceDef } from '../../engine/core/rules/types.ts';
import { InputError } from '../../engine/core/errors.ts';

export const CLIENTS = ['pg', 'mysql2', 'better-sqlite3'] as const;
export type SqlClient = (typeof CLIENTS)[number];
export const QUERY_SETS = ['erpnext', 'odoo', 'custom'] as const;
export type QuerySetName = (typeof QUERY_SETS)[number];

export type SqlSettings = {
  client: SqlClient;
  /** Name of the environment variable holding the connection URL (never the URL itself). */
  connectionEnv: string;
  querySet: QuerySetName;
  /** PostgreSQL schema or MySQL/MariaDB database that holds the ERP tables. */
  schema?: string;
  /** custom: SQL returning Tally's column names (see docs/connectors/sql.md). */
  queries: { positions?: string; events?: string };
  batchSize: number;
  /** How long to wait for the database to accept a connection. */
  connectTimeoutSeconds: number;
  /** How long one query (a page, or a custom query) may take before the pull fails. */
  queryTimeoutSeconds: number;
};

export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 15;
export const DEFAULT_QUERY_TIMEOUT_SECONDS = 300;

const where = (source: SourceDef) => ({ file: source.file, line: source.line });

export function checkSqlSettings(source: SourceDef): string[] {
  const s = source.settings;
  const problems: string[] = [];
  if (!CLIENTS.includes(s.client as SqlClient))
    problems.push(
      `settings.client: expected one of ${CLIENTS.join(', ')}, got ${JSON.stringify(s.client)}`,
    );
  if (typeof s.connectionEnv !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(s.connectionEnv))
    problems.push(
      'settings.connectionEnv: expected the name of an environment variable, e.g. ERP_DATABASE_URL',
    );
  if (!QUERY_SETS.includes(s.querySet as QuerySetName))
    problems.push(
      `settings.querySet: unknown query set ${JSON.stringify(s.querySet)}; expected one of ${QUERY_SETS.join(', ')}`,
    );
  if (s.schema !== undefined && (typeof s.schema !== 'string' || s.schema === ''))
    problems.push('settings.schema: expected a schema (PostgreSQL) or database (MySQL) name');
  if (s.schema !== undefined && s.client === 'better-sqlite3')
    problems.push('settings.schema: not supported with better-sqlite3 (one file is one database)');
  if (s.batchSize !== undefined && !(Number.isInteger(s.batchSize) && (s.batchSize as number) > 0))
    problems.push('settings.batchSize: expected a positive integer');
  for (const key of ['connectTimeoutSeconds', 'queryTimeoutSeconds'] as const)
    if (s[key] !== undefined && !(typeof s[key] === 'number' && (s[key] as number) > 0))
      problems.push(`settings.${key}: expected a positive number of seconds`);
  const queries = (s.queries ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(queries))
    if (!['positions', 'events'].includes(key) || typeof queries[key] !== 'string')
      problems.push(`settings.queries.${key}: expected positions/events → SQL text`);
  if (s.querySet === 'custom' && !queries.positions && !queries.events)
    problems.push(
      'settings.queries: querySet custom needs queries.positions and/or queries.events',
    );
  if (s.querySet !== 'custom' && s.queries !== undefined)
    problems.push('settings.queries: only used with querySet custom');
  return problems;
}

export function parseSqlSettings(source: SourceDef): SqlSettings {
  const problems = checkSqlSettings(source);
  if (problems.length > 0) {
    const code = problems.some((p) => p.startsWith('settings.querySet'))
      ? 'SQL_UNKNOWN_QUERY_SET'
      : 'SQL_BAD_SETTINGS';
    throw new InputError(code, `source ${source.id}: ${problems.join('; ')}`, where(source));
  }
  const s = source.settings;
  return {
    client: s.client as SqlClient,
    connectionEnv: s.connectionEnv as string,
    querySet: s.querySet as QuerySetName,
    schema: s.schema as string | undefined,
    queries: (s.queries ?? {}) as SqlSettings['queries'],
    batchSize: (s.batchSize as number | undefined) ?? 5000,
    connectTimeoutSeconds:
      (s.connectTimeoutSeconds as number | undefined) ?? DEFAULT_CONNECT_TIMEOUT_SECONDS,
    queryTimeoutSeconds:
      (s.queryTimeoutSeconds as number | undefined) ?? DEFAULT_QUERY_TIMEOUT_SECONDS,
  };
}

/** The URL from the environment; a missing variable is a configuration error, named. */
export function connectionUrl(source: SourceDef, settings: SqlSettings, env = process.env): string {
  const url = env[settings.connectionEnv];
  if (!url)
    throw new InputError(
      'SQL_MISSING_ENV',
      `source ${source.id}: environment variable ${settings.connectionEnv} (settings.connectionEnv) is not set`,
      where(source),
    );
  return url;
}
