/**
 * One reason catalogue with readable codes (PHYSICAL_COUNT) instead of two vendor vocabularies
 * side by side (`edi947:AA`, `amazon:F`). The reference table takes the catalogue's shape (each
 * reason with its W19, Amazon and Shopify codes; seeded by migrateLatest) and corrections move
 * to the canonical codes, their parameter hash recomputed so that a repeated proposal under the
 * same idempotency key is still recognised as the same. Ledger events and audit entries keep the
 * code they were written with (both are append-only); the catalogue resolves the old forms.
 * The mapping is frozen here, as it was on the day of the migration.
 */
import type { Knex } from 'knex';
import { canonicalJson, sha256Hex } from '../../../core/model/canonical.ts';

const LEGACY: Record<string, string> = {
  'edi947:AA': 'PHYSICAL_COUNT',
  'edi947:AU': 'DAMAGED_IN_FACILITY',
  'edi947:AV': 'DAMAGED_IN_TRANSIT',
  'edi947:AC': 'CONDITION_CHANGE',
  'edi947:05': 'PUT_ON_HOLD',
  'edi947:55': 'TAKEN_OFF_HOLD',
  'edi947:07': 'DESTROYED',
  'edi947:04': 'RECEIPT_SHORT',
  'edi947:53': 'SHIPMENT_SHORT',
  'edi947:56': 'BOOK_ADJUSTMENT_INCREASE',
  'edi947:AB': 'ACCOUNTING_ERROR',
  'edi947:AY': 'RECEIPT_ERROR',
  'edi947:AR': 'SHIPMENT_ERROR',
  'edi947:AK': 'TRANSFER',
  'edi947:AG': 'OWNERSHIP_CHANGE',
  'edi947:AW': 'RECALL',
  'edi947:AX': 'OBSOLESCENCE',
  'edi947:AN': 'UNIT_OF_ISSUE_CHANGE',
  'edi947:BS': 'DOWNGRADE',
  'edi947:AH': 'OTHER',
  'amazon:1': 'SOFTWARE_CORRECTION',
  'amazon:2': 'SOFTWARE_CORRECTION',
  'amazon:J': 'SOFTWARE_CORRECTION',
  'amazon:3': 'PRODUCT_REDEFINITION',
  'amazon:4': 'PRODUCT_REDEFINITION',
  'amazon:5': 'UNRECOVERABLE',
  'amazon:6': 'DAMAGED_IN_TRANSIT',
  'amazon:7': 'EXPIRED',
  'amazon:D': 'DESTROYED',
  'amazon:E': 'DAMAGED_IN_FACILITY',
  'amazon:F': 'FOUND',
  'amazon:H': 'CUSTOMER_DAMAGED',
  'amazon:K': 'DEFECTIVE',
  'amazon:M': 'MISPLACED',
  'amazon:P': 'STATUS_CHANGE',
};

type Row = {
  id: number;
  exception_id: number;
  system: string;
  sku: string;
  location: string;
  bucket: string;
  delta_quantity: number | string;
  ruleset_version: string;
  reason_code: string;
  note: string;
  unit_value: number | string;
  params_hash: string;
};

/** The parameter hash proposeCorrection stored, for a row with the given reason code. */
function paramsHash(r: Row, reasonCode: string): string {
  return sha256Hex(
    canonicalJson({
      exceptionId: Number(r.exception_id),
      system: r.system,
      sku: r.sku,
      location: r.location,
      bucket: r.bucket,
      deltaQuantity: Number(r.delta_quantity),
      rulesetVersion: r.ruleset_version,
      reasonCode,
      note: r.note,
      unitValue: Number(r.unit_value),
    }),
  );
}

async function recode(knex: Knex, map: (code: string) => string | undefined): Promise<void> {
  const rows = (await knex('corrections').select(
    'id',
    'exception_id',
    'system',
    'sku',
    'location',
    'bucket',
    'delta_quantity',
    'ruleset_version',
    'reason_code',
    'note',
    'unit_value',
    'params_hash',
  )) as Row[];
  for (const r of rows) {
    const code = map(r.reason_code);
    if (code === undefined) continue;
    const patch: Record<string, string> = { reason_code: code };
    // a hash given by a caller's own scheme is left alone; only the stored default is redone
    if (paramsHash(r, r.reason_code) === r.params_hash) patch.params_hash = paramsHash(r, code);
    await knex('corrections').where({ id: r.id }).update(patch);
  }
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.dropTable('correction_reasons');
  await knex.schema.createTable('correction_reasons', (t) => {
    t.string('code', 30).primary();
    t.string('label', 200).notNullable();
    t.string('direction', 10).notNullable();
    t.string('w19_codes', 100).notNullable();
    t.string('amazon_codes', 100).notNullable();
    t.string('shopify_reason', 40).notNullable();
  });
  await recode(knex, (code) => LEGACY[code]);
}

export async function down(knex: Knex): Promise<void> {
  const back = new Map<string, string>();
  for (const [old, code] of Object.entries(LEGACY)) if (!back.has(code)) back.set(code, old);
  await recode(knex, (code) => back.get(code));
  await knex.schema.dropTable('correction_reasons');
  await knex.schema.createTable('correction_reasons', (t) => {
    t.string('code', 30).primary();
    t.string('scheme', 20).notNullable();
    t.string('scheme_code', 10).notNullable();
    t.string('label', 200).notNullable();
    t.string('direction', 10).notNullable();
  });
}
