/** Databases for bot tests: a fresh SQLite file, or a fresh schema on TEST_DATABASE_URL. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knex from 'knex';
import { openDb, type Db } from '../../engine/services/store/db.ts';

export async function sqliteDb(): Promise<Db> {
  const dir = mkdtempSync(join(tmpdir(), 'tally-bot-'));
  return openDb({ url: join(dir, 'tally.db') });
}

export const PG_URL = process.env.TEST_DATABASE_URL;

/** A fresh schema; returns a factory so several "replicas" can open their own pools on it. */
export async function pgSchema(): Promise<{ open: () => Promise<Db>; drop: () => Promise<void> }> {
  if (!PG_URL) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `bot_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = knex({ client: 'pg', connection: PG_URL, pool: { min: 0, max: 1 } });
  await admin.raw(`create schema ${schema}`);
  let migrated = false;
  return {
    async open() {
      const db = await openDb({ url: PG_URL, schema, migrate: !migrated, poolMax: 4 });
      migrated = true;
      return db;
    },
    async drop() {
      await admin.raw(`drop schema ${schema} cascade`);
      await admin.destroy();
    },
  };
}
