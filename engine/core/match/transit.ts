/**
 * Transfers in transit: a booked transfer_out leaves the quantity in the destination's
 * in_transit bucket until a booked transfer_in with the same reference, sku and quantity.
 * Pending inside the in-transit window, overdue past it.
 */
import type { Intake } from '../normalize/intake.ts';
import { EVENT_TYPES } from '../model/types.ts';
import { createTransitLookup } from './windows.ts';
import type { EventGroups } from './groups.ts';

const TRANSFER_OUT = EVENT_TYPES.indexOf('transfer_out');
const TRANSFER_IN = EVENT_TYPES.indexOf('transfer_in');

export type Transit = { pending: number; overdue: number; events: number[] };

export function findTransit(
  intake: Intake,
  asOfMs: number,
  groups: EventGroups,
): Map<number, Transit> {
  const ev = intake.events;
  const hours = createTransitLookup(intake.ruleset.timing);
  const out = new Map<number, Transit>();
  const received = new Set<number>();
  groups.forEach((_sl, _type, events) => {
    for (const i of events) {
      const dest = ev.counterpart.get(i);
      if (ev.booked.get(i) !== 1 || dest < 0) continue;
      const destKey = intake.skuLocs.find(ev.sku.get(i), dest);
      if (destKey === undefined) continue;
      const ins = groups.of(destKey, TRANSFER_IN);
      const receipt = ins.find(
        (j) =>
          !received.has(j) &&
          ev.booked.get(j) === 1 &&
          ev.ref.get(j) === ev.ref.get(i) &&
          ev.qty.get(j) === ev.qty.get(i),
      );
      if (receipt !== undefined) {
        received.add(receipt);
        continue;
      }
      const from = intake.locations.value(ev.cmp.get(i));
      const windowMs = hours(from, intake.locations.value(dest)) * 3_600_000;
      const t = out.get(destKey) ?? { pending: 0, overdue: 0, events: [] };
      if (ev.occurred.get(i) + windowMs >= asOfMs) t.pending += ev.qty.get(i);
      else t.overdue += ev.qty.get(i);
      t.events.push(i);
      out.set(destKey, t);
    }
  }, TRANSFER_OUT);
  return out;
}
