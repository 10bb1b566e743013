/**
 * The plain "what to do next" line of an exception message: what the cause asks a person to
 * check, and which button moves the exception on from its state.
 */
import type { ExceptionCard } from '../card.ts';
import { mention, signed } from './format.ts';
import { formatMoney } from '../../engine/core/model/money.ts';

/** What to look at first, per likely cause; the thread has the evidence behind it. */
const CHECK: Record<string, string> = {
  MISSING_POSTING: 'find the movement {source} has not posted and post it there',
  DUPLICATE_EVENT: 'find the movement recorded twice and reverse the copy',
  UOM_MISMATCH: 'check the unit of measure (case vs each) {source} uses for this item',
  STATUS_MISMAPPED: 'check how {source} maps this status to a bucket',
  MANUAL_ADJUSTMENT_WRONG_SYSTEM:
    'reverse the hand adjustment in {source} and book it in the system of record',
  PHANTOM_STOCK: 'count the location: {source} shows stock the books do not have',
  UNRECORDED_SHRINKAGE: 'count the location and record the loss if the stock is gone',
  OVERSELL_RISK: 'stop or limit selling until the channel stock is corrected',
  LOST_IN_TRANSIT: 'trace the transfer with the carrier or the sending location',
  MISSING_RECEIPT: 'check whether the receipt was booked in {source}',
};

function check(c: ExceptionCard): string {
  const cause = c.causes[0] ?? c.cause;
  const template = CHECK[cause] ?? 'compare the sources in the thread to find which one is wrong';
  return template.replace('{source}', c.source);
}

export function nextStep(c: ExceptionCard): string {
  const k = c.correction;
  switch (c.state) {
    case 'resolved':
      return 'Nothing: the sources agree again.';
    case 'explained':
      return 'Nothing now: the next run closes it if the explanation holds, or raises it again.';
    case 'applied':
      return 'Nothing now: the correction is applied; the next run confirms and closes it.';
    case 'approved':
      return k
        ? `Correction #${k.id} is approved; it is being written to ${k.system}.`
        : 'The correction is approved and waits to be applied.';
    case 'correction_proposed':
      return k
        ? `An approver other than ${mention(k.proposer)} approves or rejects correction #${k.id} ` +
            `(${k.system} ${signed(k.deltaQuantity)}, worth ${formatMoney(k.valueMinor, k.currency)}).`
        : 'An approver approves or rejects the proposed correction.';
    case 'assigned':
      return `${mention(c.assignee)}: ${check(c)}; then *Explain* it, or *Propose correction*.`;
    default:
      return `*Assign* someone to ${check(c)}; then *Explain* it, or *Propose correction*.`;
  }
}
