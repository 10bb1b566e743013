/**
 * Indexes for the live path, which touches a few keys per event in tables of a million-key
 * deployment: the exceptions of some skus (persisting an incremental run), a run's results of
 * some skus (when they last matched), and what one run changed (the Slack updates it queues).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('exceptions', (t) => {
    t.index(['sku'], 'exceptions_sku_index');
    t.index(['last_run_id'], 'exceptions_last_run_id_index');
    t.index(['first_run_id'], 'exceptions_first_run_id_index');
  });
  await knex.schema.alterTable('exception_history', (t) => {
    t.index(['run_id'], 'exception_history_run_id_index');
  });
  await knex.schema.alterTable('run_results', (t) => {
    t.index(['run_id', 'sku'], 'run_results_run_id_sku_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('run_results', (t) => {
    t.dropIndex(['run_id', 'sku'], 'run_results_run_id_sku_index');
  });
  await knex.schema.alterTable('exception_history', (t) => {
    t.dropIndex(['run_id'], 'exception_history_run_id_index');
  });
  await knex.schema.alterTable('exceptions', (t) => {
    t.dropIndex(['first_run_id'], 'exceptions_first_run_id_index');
    t.dropIndex(['last_run_id'], 'exceptions_last_run_id_index');
    t.dropIndex(['sku'], 'exceptions_sku_index');
  });
}
