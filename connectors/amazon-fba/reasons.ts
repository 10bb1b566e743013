/**
 * Amazon inventory adjustment reason codes (ledger detail `Reason`, Inventory Adjustments
 * report) mapped to Tally's reason catalogue. Codes not listed keep their identity as
 * AMAZON_<code> so that nothing is silently merged into a wrong reason.
 */
export const TALLY_REASONS = [
  'PHYSICAL_COUNT',
  'SOFTWARE_CORRECTION',
  'PRODUCT_REDEFINITION',
  'UNRECOVERABLE',
  'DAMAGED_IN_FACILITY',
  'DAMAGED_IN_TRANSIT',
  'DAMAGED_BY_SUPPLIER',
  'CUSTOMER_DAMAGED',
  'DEFECTIVE',
  'EXPIRED',
  'DESTROYED',
  'FOUND',
  'MISPLACED',
  'OWNERSHIP_CHANGE',
  'STATUS_CHANGE',
] as const;
export type TallyReason = (typeof TALLY_REASONS)[number];

export const AMAZON_ADJUSTMENT_REASONS: Readonly<Record<string, TallyReason>> = {
  '1': 'SOFTWARE_CORRECTION',
  '2': 'SOFTWARE_CORRECTION',
  J: 'SOFTWARE_CORRECTION',
  '3': 'PRODUCT_REDEFINITION',
  '4': 'PRODUCT_REDEFINITION',
  '5': 'UNRECOVERABLE',
  '6': 'DAMAGED_IN_TRANSIT',
  '7': 'EXPIRED',
  D: 'DESTROYED',
  E: 'DAMAGED_IN_FACILITY',
  F: 'FOUND',
  H: 'CUSTOMER_DAMAGED',
  K: 'DEFECTIVE',
  M: 'MISPLACED',
  // Inventory assigned to another seller transferred to this account.
  N: 'OWNERSHIP_CHANGE',
  // The increase half of a disposition change (always follows a 6/7/E/H/K/U decrease).
  P: 'STATUS_CHANGE',
  U: 'DAMAGED_BY_SUPPLIER',
};

export function tallyReason(amazonCode: string | undefined): string | undefined {
  const code = amazonCode?.trim().toUpperCase();
  if (!code) return undefined;
  return AMAZON_ADJUSTMENT_REASONS[code] ?? `AMAZON_${code}`;
}

/** Decreases Amazon documents as "always followed by a P code increase" elsewhere. */
const PAIRED_DECREASES = new Set(['6', '7', 'E', 'H', 'K', 'U']);

/**
 * Whether an adjustment row can be one half of a disposition change. Only the documented
 * halves pair; a loss (M) and a find (F) on the same day stay two separate adjustments.
 */
export function isDispositionChangeHalf(amazonCode: string | undefined, quantity: number): boolean {
  const code = amazonCode?.trim().toUpperCase() ?? '';
  return quantity < 0 ? PAIRED_DECREASES.has(code) : code === 'P';
}
