/**
 * Money in integer minor units. Values at risk and correction values were doubles
 * (642.1800000000001); they become whole minor units of the rules' currency in bigint columns
 * named for their unit, and a correction's unit cost becomes exact decimal text. Exceptions keep
 * the item's unit cost so a correction's value is the exact product, not a quotient.
 *
 * Existing rows are converted assuming a currency with two decimals (USD, EUR, …: the default);
 * the audit log is append-only and keeps what it recorded.
 */
import type { Knex } from 'knex';
import { canonicalJson, sha256Hex } from '../../../core/model/canonical.ts';
import { decimalOfNumber, decimalText, minorOfNumber } from '../../../core/model/money.ts';

type CorrectionRow = {
  id: number;
  exception_id: number | string;
  system: string;
  sku: string;
  location: string;
  bucket: string;
  delta_quantity: number | string;
  ruleset_version: string;
  reason_code: string;
  note: string;
  unit_value: number | string;
  value: number | string;
  params_hash: string;
};

/** The parameter hash proposeCorrection stores, with the unit value named either way. */
function paramsHash(r: CorrectionRow, unit: Record<string, number | string>): string {
  return sha256Hex(
    canonicalJson({
      exceptionId: Number(r.exception_id),
      system: r.system,
      sku: r.sku,
      location: r.location,
      bucket: r.bucket,
      deltaQuantity: Number(r.delta_quantity),
      rulesetVersion: r.ruleset_version,
      reasonCode: r.reason_code,
      note: r.note,
      ...unit,
    }),
  );
}

const CENTS = 'CAST(ROUND(value_at_risk * 100) AS BIGINT)';

async function valueAtRiskToMinor(knex: Knex, table: string): Promise<void> {
  await knex.schema.alterTable(table, (t) => {
    t.bigInteger('value_at_risk_minor').notNullable().defaultTo(0);
  });
  await knex(table).update({ value_at_risk_minor: knex.raw(CENTS) });
  await knex.schema.alterTable(table, (t) => t.dropColumn('value_at_risk'));
}

async function correctionsToMinor(knex: Knex): Promise<void> {
  await knex.schema.alterTable('corrections', (t) => {
    t.text('unit_cost').notNullable().defaultTo('0');
    t.bigInteger('value_minor').notNullable().defaultTo(0);
    t.string('currency', 3).notNullable().defaultTo('USD');
  });
  const rows = (await knex('corrections').select()) as CorrectionRow[];
  for (const r of rows) {
    const unit = decimalOfNumber(Number(r.unit_value));
    const unitCost = unit ? decimalText(unit) : '0';
    const patch: Record<string, string | number> = {
      unit_cost: unitCost,
      value_minor: minorOfNumber(Number(r.value)),
    };
    // the default parameter hash named the unit value as a number; it now names the decimal,
    // so a repeated proposal after the upgrade still finds its first one
    if (paramsHash(r, { unitValue: Number(r.unit_value) }) === r.params_hash)
      patch.params_hash = paramsHash(r, { unitCost });
    await knex('corrections').where({ id: r.id }).update(patch);
  }
  await knex.schema.alterTable('corrections', (t) => {
    t.dropColumn('unit_value');
    t.dropColumn('value');
  });
}

export async function up(knex: Knex): Promise<void> {
  await valueAtRiskToMinor(knex, 'exceptions');
  await valueAtRiskToMinor(knex, 'run_results');
  await knex.schema.alterTable('exceptions', (t) => {
    t.text('unit_cost');
    t.string('currency', 3).notNullable().defaultTo('USD');
  });
  await correctionsToMinor(knex);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['exceptions', 'run_results']) {
    await knex.schema.alterTable(table, (t) => {
      t.double('value_at_risk').notNullable().defaultTo(0);
    });
    await knex(table).update({ value_at_risk: knex.raw('value_at_risk_minor / 100.0') });
    await knex.schema.alterTable(table, (t) => t.dropColumn('value_at_risk_minor'));
  }
  await knex.schema.alterTable('exceptions', (t) => {
    t.dropColumn('unit_cost');
    t.dropColumn('currency');
  });
  await knex.schema.alterTable('corrections', (t) => {
    t.double('unit_value').notNullable().defaultTo(0);
    t.double('value').notNullable().defaultTo(0);
  });
  await knex('corrections').update({
    unit_value: knex.raw('CAST(unit_cost AS DOUBLE PRECISION)'),
    value: knex.raw('value_minor / 100.0'),
  });
  await knex.schema.alterTable('corrections', (t) => {
    t.dropColumn('unit_cost');
    t.dropColumn('value_minor');
    t.dropColumn('currency');
  });
}
