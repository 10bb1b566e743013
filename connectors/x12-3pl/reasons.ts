/**
 * W19-01 "Quantity or Status Adjustment Reason Code" read through the reason catalogue
 * (engine/core/model/reasons.ts holds which W19 code means which Tally reason). What stays
 * here is how a 3PL's line moves stock: an adjustment changes the quantity on hand (the sign of
 * W19-02 gives the direction); a status reason moves units between raw statuses inside the
 * warehouse (good → damaged, good → hold, hold → good) and leaves on-hand unchanged.
 */
import { reasonForW19, type ReasonCode } from '../../engine/core/model/reasons.ts';

export { w19CodeFor } from '../../engine/core/model/reasons.ts';

export type StatusMove = 'to_damaged' | 'to_hold' | 'from_hold';
export type W19Reading = { reason: ReasonCode; move?: StatusMove };

const STATUS_MOVES: Partial<Record<ReasonCode, StatusMove>> = {
  DAMAGED_IN_FACILITY: 'to_damaged',
  DAMAGED_IN_TRANSIT: 'to_damaged',
  CONDITION_CHANGE: 'to_damaged',
  DOWNGRADE: 'to_damaged',
  PUT_ON_HOLD: 'to_hold',
  TAKEN_OFF_HOLD: 'from_hold',
};

/** The catalogue reason of a W19-01 code and the status move it implies; undefined if unknown. */
export function readW19(code: string): W19Reading | undefined {
  const reason = reasonForW19(code);
  if (!reason) return undefined;
  const move = STATUS_MOVES[reason.code];
  return move ? { reason: reason.code, move } : { reason: reason.code };
}
