/**
 * The reason-code catalogue for corrections, seeded from the codes 3PLs and marketplaces
 * already use: EDI 947 W19-01 adjustment reasons and Amazon inventory-adjustment reasons.
 * A Tally code is `<scheme>:<code>` so both vocabularies live side by side unchanged.
 */
import type { Knex } from 'knex';

export type ReasonDirection = 'increase' | 'decrease' | 'either';
export type Reason = {
  code: string;
  scheme: 'edi947' | 'amazon';
  schemeCode: string;
  label: string;
  direction: ReasonDirection;
};

const EDI_947: [string, string, ReasonDirection][] = [
  ['AA', 'Physical count', 'either'],
  ['AU', 'Damaged in facility', 'either'],
  ['AV', 'Damaged in transit', 'either'],
  ['AC', 'Condition change', 'either'],
  ['05', 'Put on hold', 'either'],
  ['55', 'Taken off hold', 'either'],
  ['07', 'Destroyed', 'decrease'],
  ['04', 'Receipt less than reported', 'decrease'],
  ['53', 'Shipment less than reported', 'increase'],
  ['56', 'Book adjustment increase', 'increase'],
  ['AB', 'Accounting error', 'either'],
  ['AY', 'Receipt error', 'either'],
  ['AR', 'Order shipment error', 'either'],
  ['AK', 'Transfer', 'either'],
  ['AG', 'Ownership change', 'either'],
  ['AW', 'Recall', 'decrease'],
  ['AX', 'Shelf-life obsolescence', 'decrease'],
  ['AN', 'Unit-of-issue change', 'either'],
  ['BS', 'Downgrade', 'either'],
  ['AH', 'Other', 'either'],
];

const AMAZON: [string, string, ReasonDirection][] = [
  ['1', 'Software correction', 'either'],
  ['2', 'Software correction', 'either'],
  ['J', 'Software correction', 'either'],
  ['3', 'Product redefinition', 'either'],
  ['4', 'Product redefinition', 'either'],
  ['5', 'Unrecoverable', 'decrease'],
  ['6', 'Inbound carrier damage', 'decrease'],
  ['7', 'Expired', 'decrease'],
  ['D', 'Destroyed', 'decrease'],
  ['E', 'Damaged at the fulfilment centre', 'either'],
  ['F', 'Found', 'increase'],
  ['H', 'Customer-return damage', 'either'],
  ['K', 'Item defect', 'either'],
  ['M', 'Misplaced', 'decrease'],
  ['P', 'Unsellable increase', 'either'],
];

export const REASONS: Reason[] = [
  ...EDI_947.map(([c, label, direction]) => ({
    code: `edi947:${c}`,
    scheme: 'edi947' as const,
    schemeCode: c,
    label,
    direction,
  })),
  ...AMAZON.map(([c, label, direction]) => ({
    code: `amazon:${c}`,
    scheme: 'amazon' as const,
    schemeCode: c,
    label,
    direction,
  })),
];

export const REASONS_BY_CODE: ReadonlyMap<string, Reason> = new Map(
  REASONS.map((r) => [r.code, r]),
);

export async function seedReasons(db: Knex): Promise<void> {
  const rows = REASONS.map((r) => ({
    code: r.code,
    scheme: r.scheme,
    scheme_code: r.schemeCode,
    label: r.label,
    direction: r.direction,
  }));
  await db('correction_reasons').insert(rows).onConflict('code').ignore();
}
