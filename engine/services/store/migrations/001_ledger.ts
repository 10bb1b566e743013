/**
 * Sources, snapshots, positions, the event ledger and runs. Times are ISO-8601 UTC strings and
 * JSON is text on both engines, so values read back identically from SQLite and PostgreSQL
 * (and hash identically in the audit chain).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sources', (t) => {
    t.string('id', 100).primary();
    t.string('connector', 100).notNullable().defaultTo('');
    t.string('role', 30).notNullable().defaultTo('');
    t.string('owner', 100).notNullable().defaultTo('');
    t.string('last_snapshot_at', 30);
    t.string('last_event_at', 30);
    t.string('updated_at', 30).notNullable();
  });
  await knex.schema.createTable('snapshots', (t) => {
    t.increments('id');
    t.string('source', 100).notNullable();
    t.string('as_of', 30).notNullable();
    t.string('file_sha256', 64).notNullable().defaultTo('');
    t.string('run_id', 64);
    t.integer('row_count').notNullable().defaultTo(0);
    t.string('loaded_at', 30).notNullable();
    t.index(['source', 'as_of']);
  });
  await knex.schema.createTable('positions', (t) => {
    t.bigIncrements('id');
    t.integer('snapshot_id').notNullable();
    t.string('source', 100).notNullable();
    t.string('sku', 100).notNullable();
    t.string('location', 100).notNullable();
    t.string('bucket', 20).notNullable();
    t.bigInteger('quantity').notNullable();
    t.string('raw_status', 100).notNullable().defaultTo('');
    t.string('as_of', 30).notNullable();
    t.index(['snapshot_id']);
  });
  await knex.schema.createTable('events', (t) => {
    t.bigIncrements('id');
    t.string('source', 100).notNullable();
    t.string('source_event_id', 200).notNullable();
    t.string('type', 30).notNullable();
    t.string('sku', 100).notNullable();
    t.string('from_location', 100);
    t.string('from_bucket', 20);
    t.string('from_outside', 20);
    t.string('to_location', 100);
    t.string('to_bucket', 20);
    t.string('to_outside', 20);
    t.bigInteger('quantity').notNullable();
    t.string('raw_from_status', 100);
    t.string('raw_to_status', 100);
    t.string('occurred_at', 30).notNullable();
    t.string('recorded_at', 30).notNullable();
    t.string('reference', 200);
    t.string('reason_code', 50);
    t.integer('exception_id');
    t.integer('correction_id');
    t.unique(['source', 'source_event_id']);
    t.index(['sku', 'occurred_at']);
  });
  await knex.schema.createTable('runs', (t) => {
    t.string('id', 64).primary();
    t.string('as_of', 30).notNullable();
    t.string('started_at', 30).notNullable();
    t.string('finished_at', 30);
    t.string('mode', 20).notNullable();
    t.string('status', 20).notNullable();
    t.string('ruleset_version', 100).notNullable();
    t.string('ruleset_hash', 64).notNullable();
    t.text('inputs').notNullable();
    t.text('summary').notNullable();
    t.text('durations').notNullable();
    t.integer('keys_count').notNullable();
    t.integer('compared_count').notNullable();
    t.integer('matched_count').notNullable();
    t.integer('explained_count').notNullable();
    t.integer('exception_count').notNullable();
    t.integer('findings_count').notNullable();
    t.integer('persist_ms');
    t.index(['as_of']);
  });
  // Compared keys per location and source, so accuracy = matched ÷ compared is computable.
  await knex.schema.createTable('run_counts', (t) => {
    t.string('run_id', 64).notNullable();
    t.string('location', 100).notNullable();
    t.string('source', 100).notNullable();
    t.string('sku', 100).notNullable().defaultTo('');
    t.integer('compared').notNullable();
    t.primary(['run_id', 'location', 'source', 'sku']);
  });
  await knex.schema.createTable('run_results', (t) => {
    t.bigIncrements('id');
    t.string('run_id', 64).notNullable();
    t.string('sku', 100).notNullable();
    t.string('location', 100).notNullable();
    t.string('bucket', 20).notNullable();
    t.string('source', 100).notNullable();
    t.string('outcome', 20).notNullable();
    t.string('code', 100).notNullable();
    t.string('severity', 20);
    t.bigInteger('variance').notNullable();
    t.double('value_at_risk').notNullable();
    t.string('fingerprint', 32);
    t.string('owner', 100);
    t.string('risk', 20);
    t.index(['run_id']);
    t.index(['fingerprint']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'run_results',
    'run_counts',
    'runs',
    'events',
    'positions',
    'snapshots',
    'sources',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
