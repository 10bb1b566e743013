/**
 * Month-end close (`tally close`): one row per period with its state, who closed it, the audit
 * chain's head at close and the digests `tally close verify` recomputes; and what the close
 * fixed: positions with their value, the exceptions open at close, the corrections applied in
 * the period and the journal for the ERP. Money is integer minor units (bigint), unit costs
 * decimal strings, so both engines read back the same values and hash them the same.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('close_periods', (t) => {
    t.string('period', 7).primary();
    t.string('starts_at', 30).notNullable();
    t.string('ends_at', 30).notNullable();
    t.string('state', 20).notNullable();
    t.string('closed_by', 100).notNullable();
    t.string('closed_at', 30).notNullable();
    t.integer('close_count').notNullable().defaultTo(1);
    t.string('currency', 3);
    t.string('ruleset_version', 100).notNullable();
    t.integer('audit_head_seq').notNullable();
    t.string('audit_head_hash', 64).notNullable();
    t.string('content_hash', 64).notNullable();
    t.string('corrections_hash', 64).notNullable();
    t.string('ledger_hash', 64).notNullable();
    t.integer('ledger_events').notNullable();
    t.integer('positions_count').notNullable();
    t.bigInteger('positions_value_minor').notNullable();
    t.integer('positions_without_cost').notNullable();
    t.integer('open_exceptions_count').notNullable();
    t.bigInteger('open_value_minor').notNullable();
    t.integer('corrections_count').notNullable();
    t.bigInteger('adjustments_value_minor').notNullable();
    t.bigInteger('journal_debit_minor').notNullable();
    t.bigInteger('journal_credit_minor').notNullable();
    t.string('reopened_by', 100);
    t.string('reopened_at', 30);
    t.text('reopen_reason');
  });
  await knex.schema.createTable('close_positions', (t) => {
    t.bigIncrements('id');
    t.string('period', 7).notNullable();
    t.string('sku', 100).notNullable();
    t.string('location', 100).notNullable();
    t.string('bucket', 20).notNullable();
    t.bigInteger('quantity').notNullable();
    t.string('unit_cost', 40);
    t.bigInteger('value_minor').notNullable();
    t.index(['period']);
  });
  await knex.schema.createTable('close_exceptions', (t) => {
    t.bigIncrements('id');
    t.string('period', 7).notNullable();
    t.integer('exception_id').notNullable();
    t.string('sku', 100).notNullable();
    t.string('location', 100).notNullable();
    t.string('bucket', 20).notNullable();
    t.string('source', 100).notNullable();
    t.string('cause', 100).notNullable();
    t.string('severity', 20).notNullable();
    t.string('owner', 100).notNullable();
    t.string('opened_at', 30).notNullable();
    t.bigInteger('variance').notNullable();
    t.bigInteger('value_minor').notNullable();
    t.index(['period']);
  });
  await knex.schema.createTable('close_corrections', (t) => {
    t.bigIncrements('id');
    t.string('period', 7).notNullable();
    t.integer('correction_id').notNullable();
    t.integer('exception_id').notNullable();
    t.string('system', 100).notNullable();
    t.string('sku', 100).notNullable();
    t.string('location', 100).notNullable();
    t.string('bucket', 20).notNullable();
    t.bigInteger('delta_quantity').notNullable();
    t.string('reason_code', 30).notNullable();
    t.bigInteger('value_minor').notNullable();
    t.string('applied_at', 30).notNullable();
    t.string('applied_by', 100).notNullable();
    t.index(['period']);
  });
  await knex.schema.createTable('close_journal', (t) => {
    t.bigIncrements('id');
    t.string('period', 7).notNullable();
    t.string('entry', 40).notNullable();
    t.integer('line').notNullable();
    t.string('posting_date', 10).notNullable();
    t.string('account', 64).notNullable();
    t.bigInteger('debit_minor').notNullable();
    t.bigInteger('credit_minor').notNullable();
    t.string('reason_code', 30).notNullable();
    t.string('sku', 100).notNullable();
    t.string('location', 100).notNullable();
    t.text('memo').notNullable();
    t.index(['period']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'close_journal',
    'close_corrections',
    'close_exceptions',
    'close_positions',
    'close_periods',
  ])
    await knex.schema.dropTableIfExists(table);
}
