/** The ledger accounts an event moves stock between, from its normalized parts. */
import { accountsFor } from '../model/accounts.ts';
import type { Interner } from '../model/intern.ts';
import type { EventType, RawEvent } from '../model/types.ts';
import { IGNORE } from './context.ts';
import { compareIdOf, fineIdOf, type LocationMemo, type StatusMemo } from './memo.ts';

/**
 * [from account, to account, signed quantity] of event `e` at `loc` (its counterpart `cp`, if
 * any), its from/to statuses, `magnitude` in base units. A transfer out names its destination
 * at compare level (the transit account), every other counterpart at fine level.
 */
export function eventAccounts(
  locations: Interner,
  e: RawEvent,
  loc: LocationMemo,
  cp: LocationMemo | undefined,
  from: StatusMemo,
  to: StatusMemo,
  magnitude: number,
): [number, number, number] {
  const counterpart = cp
    ? e.type === 'transfer_out'
      ? compareIdOf(locations, cp)
      : fineIdOf(locations, cp)
    : -1;
  return accountsFor({
    type: e.type as EventType,
    location: fineIdOf(locations, loc),
    counterpart,
    fromBucket: bucketOrUndefined(from),
    toBucket: bucketOrUndefined(to),
    quantity: e.quantity < 0 ? -magnitude : magnitude,
  });
}

/** Bucket of an event status; IGNORE and absent both mean the default account. */
function bucketOrUndefined(s: StatusMemo): number | undefined {
  return s.bucket === IGNORE ? undefined : s.bucket;
}
