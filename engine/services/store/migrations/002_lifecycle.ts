/** Exceptions and their history, corrections, the audit chain, the outbox, job claims, KPIs. */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('exceptions', (t) => {
    t.increments('id');
    t.string('fingerprint', 32).notNullable().unique();
    t.string('sku', 100).notNullable();
    t.string('location', 100).notNullable();
    t.string('bucket', 20).notNullable();
    t.string('source', 100).notNullable();
    t.string('cause', 100).notNullable();
    t.text('causes').notNullable();
    t.string('severity', 20).notNullable();
    t.string('state', 30).notNullable();
    t.string('owner', 100).notNullable();
    t.string('assignee', 100);
    t.string('explanation', 200);
    t.bigInteger('variance').notNullable();
    t.double('value_at_risk').notNullable();
    t.string('first_seen_at', 30).notNullable();
    t.string('last_seen_at', 30).notNullable();
    t.string('opened_at', 30).notNullable();
    t.string('resolved_at', 30);
    t.string('first_run_id', 64).notNullable();
    t.string('last_run_id', 64).notNullable();
    t.integer('recurrence_count').notNullable().defaultTo(1);
    // Times of the last occurrences (raise or reopen) within 30 days, for the process-failure flag.
    t.text('recent_occurrences').notNullable();
    t.integer('process_failure').notNullable().defaultTo(0);
    t.text('evidence').notNullable();
    t.string('ruleset_version', 100).notNullable();
    t.string('slack_channel', 100);
    t.string('slack_ts', 50);
    t.integer('version').notNullable().defaultTo(1);
    t.string('updated_at', 30).notNullable();
    t.index(['state']);
    t.index(['owner']);
    t.index(['location']);
  });
  await knex.schema.createTable('exception_history', (t) => {
    t.increments('id');
    t.integer('exception_id').notNullable();
    t.string('from_state', 30);
    t.string('to_state', 30).notNullable();
    t.string('actor', 100).notNullable();
    t.string('at', 30).notNullable();
    t.text('reason').notNullable();
    t.string('run_id', 64);
    t.text('evidence');
    t.index(['exception_id']);
  });
  await knex.schema.createTable('correction_reasons', (t) => {
    t.string('code', 30).primary();
    t.string('scheme', 20).notNullable();
    t.string('scheme_code', 10).notNullable();
    t.string('label', 200).notNullable();
    t.string('direction', 10).notNullable();
  });
  await knex.schema.createTable('corrections', (t) => {
    t.increments('id');
    t.integer('exception_id').notNullable();
    t.string('system', 100).notNullable();
    t.string('sku', 100).notNullable();
    t.string('location', 100).notNullable();
    t.string('bucket', 20).notNullable();
    t.bigInteger('delta_quantity').notNullable();
    t.double('unit_value').notNullable();
    t.double('value').notNullable();
    t.string('reason_code', 30).notNullable();
    t.text('note').notNullable();
    t.string('proposer', 100).notNullable();
    t.string('proposed_at', 30).notNullable();
    t.string('state', 20).notNullable();
    t.integer('approvals_needed').notNullable();
    t.integer('approval_count').notNullable().defaultTo(0);
    t.string('approver1', 100);
    t.string('approver2', 100);
    t.string('decided_at', 30);
    t.string('rejected_by', 100);
    t.text('rejection_reason');
    t.string('idempotency_key', 64).notNullable().unique();
    t.string('params_hash', 64).notNullable();
    t.string('ruleset_version', 100).notNullable();
    t.string('applied_at', 30);
    t.string('applied_by', 100);
    t.text('execution_result');
    t.index(['exception_id']);
  });
  await knex.schema.createTable('correction_approvals', (t) => {
    t.increments('id');
    t.integer('correction_id').notNullable();
    t.string('approver', 100).notNullable();
    t.string('decision', 10).notNullable();
    t.string('at', 30).notNullable();
    t.unique(['correction_id', 'approver']);
  });
  await knex.schema.createTable('audit_log', (t) => {
    t.integer('seq').primary();
    t.string('at', 30).notNullable();
    t.string('actor', 100).notNullable();
    t.string('action', 60).notNullable();
    t.string('entity_type', 30).notNullable();
    t.string('entity_id', 100).notNullable();
    t.string('ruleset_version', 100).notNullable();
    t.text('before');
    t.text('after');
    t.string('prev_hash', 64).notNullable();
    t.string('hash', 64).notNullable();
    t.index(['at']);
  });
  await knex.schema.createTable('outbox', (t) => {
    t.increments('id');
    t.string('kind', 30).notNullable();
    t.string('channel', 100).notNullable();
    t.text('payload').notNullable();
    t.string('outbox_key', 200).notNullable().unique();
    t.string('state', 20).notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('next_attempt_at', 30).notNullable();
    t.string('external_ts', 100);
    t.text('result');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['state', 'next_attempt_at']);
  });
  await knex.schema.createTable('job_claims', (t) => {
    t.increments('id');
    t.string('job', 100).notNullable();
    t.string('fire_time', 30).notNullable();
    t.string('claimed_by', 100).notNullable();
    t.string('claimed_at', 30).notNullable();
    t.string('finished_at', 30);
    t.string('status', 20).notNullable().defaultTo('running');
    t.unique(['job', 'fire_time']);
  });
  await knex.schema.createTable('kpi_snapshots', (t) => {
    t.increments('id');
    t.string('taken_at', 30).notNullable();
    t.string('period_from', 30).notNullable();
    t.string('period_to', 30).notNullable();
    t.string('group_by', 20).notNullable();
    t.text('payload').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  const tables = [
    'kpi_snapshots',
    'job_claims',
    'outbox',
    'audit_log',
    'correction_approvals',
    'corrections',
    'correction_reasons',
    'exception_history',
    'exceptions',
  ];
  for (const table of tables) await knex.schema.dropTableIfExists(table);
}
