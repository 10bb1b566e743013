/**
 * The database engines storage tests run on: SQLite always (a temp file), PostgreSQL when
 * TEST_DATABASE_URL is set. With TALLY_REQUIRE_PG=1 a missing or unreachable PostgreSQL fails
 * the tests; it never skips them. Each PostgreSQL case works in a fresh schema, dropped at
 * close, because several test files run at once against the same database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import knex from 'knex';
import { openDb, type Db, type OpenOptions } from '../../engine/services/store/db.ts';

export type EngineName = 'sqlite' | 'postgres';

export type TestDatabase = {
  name: EngineName;
  /** Opens (and migrates) a fresh database; `close` drops it. */
  open(opts?: Pick<OpenOptions, 'poolMax' | 'migrate'>): Promise<Db>;
  close(): Promise<void>;
};

export function testDatabases(): TestDatabase[] {
  const engines: TestDatabase[] = [sqliteDatabase()];
  const url = process.env.TEST_DATABASE_URL;
  if (url) engines.push(postgresDatabase(url));
  else if (process.env.TALLY_REQUIRE_PG === '1') engines.push(missingPostgres());
  return engines;
}

function sqliteDatabase(): TestDatabase {
  let dir: string | undefined;
  const opened: Db[] = [];
  return {
    name: 'sqlite',
    async open(opts = {}) {
      dir ??= mkdtempSync(join(tmpdir(), 'tally-test-'));
      const db = await openDb({ url: join(dir, 'tally.db'), ...opts });
      opened.push(db);
      return db;
    },
    async close() {
      for (const db of opened.splice(0)) await db.destroy();
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    },
  };
}

function postgresDatabase(url: string): TestDatabase {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const opened: Db[] = [];
  let created = false;
  return {
    name: 'postgres',
    async open(opts = {}) {
      if (!created) {
        await withAdmin(url, (admin) => admin.raw(`create schema "${schema}"`));
        created = true;
      }
      const db = await openDb({ url, schema, ...opts });
      opened.push(db);
      return db;
    },
    async close() {
      for (const db of opened.splice(0)) await db.destroy();
      if (created)
        await withAdmin(url, (admin) => admin.raw(`drop schema if exists "${schema}" cascade`));
      created = false;
    },
  };
}

function missingPostgres(): TestDatabase {
  return {
    name: 'postgres',
    open: () => Promise.reject(new Error('TALLY_REQUIRE_PG=1 but TEST_DATABASE_URL is not set')),
    close: async () => {},
  };
}

async function withAdmin(url: string, fn: (db: knex.Knex) => Promise<unknown>): Promise<void> {
  const admin = knex({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
  try {
    await fn(admin);
  } finally {
    await admin.destroy();
  }
}
