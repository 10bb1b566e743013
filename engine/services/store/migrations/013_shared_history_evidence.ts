/**
 * A history row written by a run no longer copies the exception's evidence (about 4 KB, a
 * quarter of a 1M run's file): `evidence_of_exception` = 1 says its evidence is the one the
 * exception row carries. Before a run overwrites an exception's evidence, the rows that share
 * it get their own copy (engine/services/exceptions/history.ts), so each stays as it was
 * written. Rows stored before this keep their copy (0).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('exception_history', (t) => {
    t.integer('evidence_of_exception').notNullable().defaultTo(0);
  });
}

export async function down(knex: Knex): Promise<void> {
  // a row that shares the exception's evidence gets its copy back before the column goes
  await knex.raw(
    'UPDATE exception_history SET evidence = (SELECT x.evidence FROM exceptions x ' +
      'WHERE x.id = exception_history.exception_id) WHERE evidence_of_exception = 1',
  );
  await knex.schema.alterTable('exception_history', (t) => {
    t.dropColumn('evidence_of_exception');
  });
}
