/**
 * PostgreSQL: the evidence columns compressed by lz4 rather than pglz, where the server has it
 * (14 and later, built with lz4, as Debian's and the official images are). An exception's
 * evidence is ~4 KB of JSON, above the size from which PostgreSQL compresses a value: storing a
 * 1M-key run's ~120 MB of it took the server 4.4–4.6 s of its save with pglz and 3.5–3.6 s with
 * lz4 (the whole save 9.4–10.3 s against 7.9–8.4 s). Values already stored keep their
 * compression; both read alike. SQLite: nothing to do.
 *
 * A dump of such a database restores into a server without lz4 only with pg_dump's
 * `--no-toast-compression` (docs/deploy.md).
 */
import type { Knex } from 'knex';

const EVIDENCE = [
  ['exceptions', 'evidence'],
  ['exception_history', 'evidence'],
] as const;

export async function up(knex: Knex): Promise<void> {
  if (!(await hasLz4(knex))) return;
  for (const [table, column] of EVIDENCE)
    await knex.raw('ALTER TABLE ?? ALTER COLUMN ?? SET COMPRESSION lz4', [table, column]);
}

export async function down(knex: Knex): Promise<void> {
  if (!(await hasLz4(knex))) return;
  for (const [table, column] of EVIDENCE)
    await knex.raw('ALTER TABLE ?? ALTER COLUMN ?? SET COMPRESSION DEFAULT', [table, column]);
}

/** Whether this is PostgreSQL and it can compress by lz4. */
export async function hasLz4(knex: Knex): Promise<boolean> {
  if ((knex.client as { dialect?: string }).dialect !== 'postgresql') return false;
  const result = (await knex.raw(
    "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)",
  )) as { rows: unknown[] };
  return result.rows.length > 0;
}
