/**
 * The owner of a run's matched keys per location and source, so accuracy by owner has a
 * denominator: an owner's keys are its matched keys plus the explained and exception results
 * routed to it. Runs stored before this have no owner on their counts.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('run_counts', (t) => {
    t.string('owner', 100);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('run_counts', (t) => {
    t.dropColumn('owner');
  });
}
