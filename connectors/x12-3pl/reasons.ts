/**
 * W19-01 "Quantity or Status Adjustment Reason Code" ↔ Tally's reason catalogue.
 * `kind` says how the line moves stock: an `adjustment` changes the quantity on hand (the sign
 * of W19-02 gives the direction); a `status` reason moves units between raw statuses inside
 * the warehouse (good → damaged, good → hold, hold → good) and leaves on-hand unchanged.
 */
export type TallyReason =
  | 'PHYSICAL_COUNT'
  | 'DAMAGED_IN_FACILITY'
  | 'DAMAGED_IN_TRANSIT'
  | 'CONDITION_CHANGE'
  | 'PUT_ON_HOLD'
  | 'TAKEN_OFF_HOLD'
  | 'DESTROYED'
  | 'RECEIPT_SHORT'
  | 'SHIPMENT_SHORT'
  | 'BOOK_ADJUSTMENT_INCREASE'
  | 'ACCOUNTING_ERROR'
  | 'RECEIPT_ERROR'
  | 'SHIPMENT_ERROR'
  | 'TRANSFER'
  | 'OWNERSHIP_CHANGE'
  | 'RECALL'
  | 'OBSOLESCENCE'
  | 'UNIT_OF_ISSUE_CHANGE'
  | 'DOWNGRADE'
  | 'OTHER';

export type StatusMove = 'to_damaged' | 'to_hold' | 'from_hold';
export type ReasonRule = { reason: TallyReason; move?: StatusMove };

export const W19_REASONS: Readonly<Record<string, ReasonRule>> = {
  AA: { reason: 'PHYSICAL_COUNT' },
  AU: { reason: 'DAMAGED_IN_FACILITY', move: 'to_damaged' },
  AV: { reason: 'DAMAGED_IN_TRANSIT', move: 'to_damaged' },
  AC: { reason: 'CONDITION_CHANGE', move: 'to_damaged' },
  '05': { reason: 'PUT_ON_HOLD', move: 'to_hold' },
  '55': { reason: 'TAKEN_OFF_HOLD', move: 'from_hold' },
  '07': { reason: 'DESTROYED' },
  '04': { reason: 'RECEIPT_SHORT' },
  '53': { reason: 'SHIPMENT_SHORT' },
  '56': { reason: 'BOOK_ADJUSTMENT_INCREASE' },
  AB: { reason: 'ACCOUNTING_ERROR' },
  AY: { reason: 'RECEIPT_ERROR' },
  AR: { reason: 'SHIPMENT_ERROR' },
  AK: { reason: 'TRANSFER' },
  AG: { reason: 'OWNERSHIP_CHANGE' },
  AW: { reason: 'RECALL' },
  AX: { reason: 'OBSOLESCENCE' },
  AN: { reason: 'UNIT_OF_ISSUE_CHANGE' },
  BS: { reason: 'DOWNGRADE', move: 'to_damaged' },
  AH: { reason: 'OTHER' },
};

/** Tally reason → the W19-01 code written on an exported 947; unknown reasons go out as AH. */
export function w19CodeFor(reason: string): string {
  for (const [code, rule] of Object.entries(W19_REASONS)) if (rule.reason === reason) return code;
  return 'AH';
}
