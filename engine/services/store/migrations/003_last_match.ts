/** Last run in which an exception's key matched, kept across runs for the evidence. */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('exceptions', (t) => {
    t.string('last_matched_run_id', 64);
    t.string('last_matched_at', 30);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('exceptions', (t) => {
    t.dropColumn('last_matched_run_id');
    t.dropColumn('last_matched_at');
  });
}
