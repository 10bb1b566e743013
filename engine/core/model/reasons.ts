/**
 * The one reason catalogue. A Tally reason code is a readable word (PHYSICAL_COUNT); each entry
 * says which EDI 947 W19-01 codes and Amazon adjustment codes mean it (inbound: a vendor code maps
 * to exactly one entry) and what to send back (outbound: the first W19 code on an exported 947,
 * the Shopify adjustment reason on a write-back). Connectors translate through this module only.
 */

export type ReasonDirection = 'increase' | 'decrease' | 'either';

/** Reasons `inventoryAdjustQuantities` accepts that mean something for a correction. */
export type ShopifyReason =
  | 'correction'
  | 'cycle_count_available'
  | 'damaged'
  | 'received'
  | 'restock'
  | 'shrinkage'
  | 'other';

type Entry = {
  label: string;
  direction: ReasonDirection;
  /** W19-01 codes; the first is written on an exported 947. */
  w19?: readonly string[];
  amazon?: readonly string[];
  /** Defaults to Shopify's generic `correction`. */
  shopify?: ShopifyReason;
};

const CATALOGUE = {
  PHYSICAL_COUNT: {
    label: 'Physical count',
    direction: 'either',
    w19: ['AA'],
    shopify: 'cycle_count_available',
  },
  DAMAGED_IN_FACILITY: {
    label: 'Damaged in facility',
    direction: 'either',
    w19: ['AU'],
    amazon: ['E'],
    shopify: 'damaged',
  },
  DAMAGED_IN_TRANSIT: {
    label: 'Damaged in transit',
    direction: 'either',
    w19: ['AV'],
    amazon: ['6'],
    shopify: 'damaged',
  },
  CONDITION_CHANGE: { label: 'Condition change', direction: 'either', w19: ['AC'] },
  PUT_ON_HOLD: { label: 'Put on hold', direction: 'either', w19: ['05'] },
  TAKEN_OFF_HOLD: { label: 'Taken off hold', direction: 'either', w19: ['55'] },
  DESTROYED: { label: 'Destroyed', direction: 'decrease', w19: ['07'], amazon: ['D'] },
  RECEIPT_SHORT: { label: 'Receipt less than reported', direction: 'decrease', w19: ['04'] },
  SHIPMENT_SHORT: { label: 'Shipment less than reported', direction: 'increase', w19: ['53'] },
  BOOK_ADJUSTMENT_INCREASE: {
    label: 'Book adjustment increase',
    direction: 'increase',
    w19: ['56'],
  },
  ACCOUNTING_ERROR: { label: 'Accounting error', direction: 'either', w19: ['AB'] },
  RECEIPT_ERROR: { label: 'Receipt error', direction: 'either', w19: ['AY'] },
  SHIPMENT_ERROR: { label: 'Order shipment error', direction: 'either', w19: ['AR'] },
  TRANSFER: { label: 'Transfer', direction: 'either', w19: ['AK'] },
  OWNERSHIP_CHANGE: {
    label: 'Ownership change',
    direction: 'either',
    w19: ['AG'],
    // inventory of another seller transferred to this account
    amazon: ['N'],
  },
  RECALL: { label: 'Recall', direction: 'decrease', w19: ['AW'] },
  OBSOLESCENCE: { label: 'Shelf-life obsolescence', direction: 'decrease', w19: ['AX'] },
  UNIT_OF_ISSUE_CHANGE: { label: 'Unit-of-issue change', direction: 'either', w19: ['AN'] },
  DOWNGRADE: { label: 'Downgrade', direction: 'either', w19: ['BS'] },
  SOFTWARE_CORRECTION: {
    label: 'Software correction',
    direction: 'either',
    amazon: ['1', '2', 'J'],
  },
  PRODUCT_REDEFINITION: {
    label: 'Product redefinition',
    direction: 'either',
    amazon: ['3', '4'],
  },
  UNRECOVERABLE: { label: 'Unrecoverable', direction: 'decrease', amazon: ['5'] },
  EXPIRED: { label: 'Expired', direction: 'decrease', amazon: ['7'] },
  CUSTOMER_DAMAGED: {
    label: 'Customer-return damage',
    direction: 'either',
    amazon: ['H'],
    shopify: 'damaged',
  },
  DEFECTIVE: { label: 'Item defect', direction: 'either', amazon: ['K'], shopify: 'damaged' },
  DAMAGED_BY_SUPPLIER: {
    label: 'Damaged by supplier',
    direction: 'either',
    amazon: ['U'],
    shopify: 'damaged',
  },
  // the increase half of a disposition change (follows a 6/7/E/H/K/U decrease)
  STATUS_CHANGE: { label: 'Disposition change', direction: 'either', amazon: ['P'] },
  FOUND: { label: 'Found', direction: 'increase', amazon: ['F'] },
  MISPLACED: { label: 'Misplaced', direction: 'decrease', amazon: ['M'], shopify: 'shrinkage' },
  SHRINKAGE: { label: 'Unrecorded shrinkage', direction: 'decrease', shopify: 'shrinkage' },
  OTHER: { label: 'Other', direction: 'either', w19: ['AH'], shopify: 'other' },
} as const satisfies Record<string, Entry>;

export type ReasonCode = keyof typeof CATALOGUE;

export type Reason = {
  code: ReasonCode;
  label: string;
  direction: ReasonDirection;
  w19: readonly string[];
  amazon: readonly string[];
  shopify: ShopifyReason;
};

export const REASONS: readonly Reason[] = Object.entries(CATALOGUE).map(
  ([code, e]: [string, Entry]) => ({
    code: code as ReasonCode,
    label: e.label,
    direction: e.direction,
    w19: e.w19 ?? [],
    amazon: e.amazon ?? [],
    shopify: e.shopify ?? 'correction',
  }),
);

/** W19-01 written for a reason that has no W19 code of its own. */
export const W19_OTHER = 'AH';

const byVendor = (pick: (r: Reason) => readonly string[]) =>
  new Map(REASONS.flatMap((r) => pick(r).map((c) => [c, r] as const)));
const BY_W19 = byVendor((r) => r.w19);
const BY_AMAZON = byVendor((r) => r.amazon);

/**
 * Canonical codes, and the `edi947:<W19>` / `amazon:<code>` forms rows carried before migration
 * 005, so old proposals, open Slack modals and audit entries keep their meaning.
 */
export const REASONS_BY_CODE: ReadonlyMap<string, Reason> = new Map([
  ...REASONS.flatMap((r) => [
    ...r.w19.map((c) => [`edi947:${c}`, r] as const),
    ...r.amazon.map((c) => [`amazon:${c}`, r] as const),
  ]),
  ...REASONS.map((r) => [r.code as string, r] as const),
]);

export function reasonFor(code: string): Reason | undefined {
  return REASONS_BY_CODE.get(code);
}

export function reasonForW19(w19Code: string): Reason | undefined {
  return BY_W19.get(w19Code.trim().toUpperCase());
}

export function reasonForAmazon(amazonCode: string): Reason | undefined {
  return BY_AMAZON.get(amazonCode.trim().toUpperCase());
}

/** The W19-01 code for a reason on an exported 947; reasons without one go out as AH (other). */
export function w19CodeFor(code: string): string {
  return reasonFor(code)?.w19[0] ?? W19_OTHER;
}

/** The Shopify adjustment reason for a write-back; unknown codes are a plain `correction`. */
export function shopifyReasonFor(code: string): ShopifyReason {
  return reasonFor(code)?.shopify ?? 'correction';
}
