/** What a movement does to one key, and which movements concern a comparison. */
import type { Intake } from '../normalize/intake.ts';
import { accountBucket, accountLocation } from '../model/accounts.ts';
import type { Unmatched } from '../match/match.ts';

/** Signed quantity event `i` moves into (sku's) key at compare location `cmp`, bucket. */
export function effectOn(intake: Intake, i: number, cmp: number, bucket: number): number {
  const ev = intake.events;
  const q = ev.qty.get(i);
  const into = isAt(intake, ev.to.get(i), cmp, bucket) ? q : 0;
  return into - (isAt(intake, ev.from.get(i), cmp, bucket) ? q : 0);
}

function isAt(intake: Intake, account: number, cmp: number, bucket: number): boolean {
  if (account < 0 || accountBucket(account) !== bucket) return false;
  return intake.compareOf(accountLocation(account)) === cmp;
}

/**
 * The part of source `src`'s variance an unmatched event accounts for: +effect when the
 * source has a movement the ledger lacks, −effect when the source lacks a booked movement,
 * 0 when it does not concern this source.
 */
export function varianceShare(intake: Intake, u: Unmatched, src: number, effect: number): number {
  const booked = intake.events.booked.get(u.event) === 1;
  if (intake.events.src.get(u.event) === src) return booked ? 0 : effect;
  // A source lacking a movement the ledger lacks too (another non-booked one) is unaffected.
  return booked && u.missingIn.includes(src) ? -effect : 0;
}

/** Same for a duplicate: it inflates its own source, or the ledger when it was booked. */
export function duplicateShare(intake: Intake, i: number, src: number, effect: number): number {
  const ev = intake.events;
  if (ev.booked.get(i) === 1) return -effect;
  return ev.src.get(i) === src ? effect : 0;
}
