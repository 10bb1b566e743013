/**
 * A stored run says what it could not vouch for: its run findings (a source that failed or
 * contributed nothing, a file whose rows all stayed out) and the comparisons it left out
 * because a row was refused or repeated, or a source failed. The per-file row accounting lives
 * in the existing `inputs` JSON (read = accepted + rejected + outsideAsOf + keptOut + duplicate).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('runs', (t) => {
    t.text('run_findings').notNullable().defaultTo('[]');
    t.text('not_compared').notNullable().defaultTo('[]');
    t.integer('not_compared_count').notNullable().defaultTo(0);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('runs', (t) => {
    t.dropColumn('run_findings');
    t.dropColumn('not_compared');
    t.dropColumn('not_compared_count');
  });
}
