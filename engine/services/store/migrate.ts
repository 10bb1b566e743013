import type { Knex } from 'knex';
import { migrationSource, type Migration } from './migrations/index.ts';
import { seedReasons } from './seed-reasons.ts';

const config: Knex.MigratorConfig = { migrationSource, tableName: 'tally_migrations' };

export type MigrationStatus = { applied: string[]; pending: string[] };

/** Applies pending migrations and seeds reference data (idempotent). Returns names applied. */
export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(config)) as [number, string[]];
  await seedReasons(db);
  return applied;
}

export async function migrationStatus(db: Knex): Promise<MigrationStatus> {
  const [done, pending] = (await db.migrate.list(config)) as [{ name: string }[], Migration[]];
  return { applied: done.map((m) => m.name), pending: pending.map((m) => m.name) };
}
