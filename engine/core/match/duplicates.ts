/**
 * Duplicates within one source. Under the same reference: same source, reference and quantity
 * under a new id. Under a different reference (a delivery posted twice under two voucher
 * numbers): same source, sku, location, type and quantity close in time to another event of
 * that source, where the repeat found no counterpart in the book (or, booked, in the systems
 * that should record it) and its twin did. Requiring the missing counterpart keeps two genuine
 * sales of one quantity in the same minute from being called duplicates: both pair. "Close"
 * is the posting lag between the book and that source (at least five minutes): a clerk who
 * posts a delivery again does it while postings of that movement are still expected.
 */
import type { Intake } from '../normalize/intake.ts';
import type { MatchResult, Unmatched } from './match.ts';

/** Two postings of one movement this close together are one movement recorded twice. */
export const DUPLICATE_PROXIMITY_MS = 5 * 60_000;

/** How far apart a repeat may be from its twin: the source's posting lag, at least the above. */
export type ProximityMs = (event: number) => number;

function push<T>(map: Map<number, T[]>, key: number, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Same source, reference, quantity, new id: every repeat after the first (in time order). */
export function markDuplicates(
  intake: Intake,
  skuLocation: number,
  events: number[],
  result: MatchResult,
): void {
  const ev = intake.events;
  for (let a = 1; a < events.length; a++) {
    const i = events[a] as number;
    const ref = ev.ref.get(i);
    if (ref < 0) continue;
    for (let b = 0; b < a; b++) {
      const j = events[b] as number;
      if (ev.ref.get(j) !== ref || ev.src.get(j) !== ev.src.get(i)) continue;
      if (ev.qty.get(j) !== ev.qty.get(i)) continue;
      push(result.duplicates, skuLocation, i);
      break;
    }
  }
}

/**
 * Among the group's unmatched events (`fresh`, this group's share of the sku × location's list),
 * those with a paired twin of the same source under another reference, within `windowMs`.
 * `events` is the group (one sku, location and type) in time order.
 */
export function markProximityDuplicates(
  intake: Intake,
  skuLocation: number,
  events: number[],
  fresh: Unmatched[],
  result: MatchResult,
  windowMs: ProximityMs = () => DUPLICATE_PROXIMITY_MS,
): void {
  if (fresh.length === 0) return;
  const ev = intake.events;
  const unmatched = new Set(fresh.map((u) => u.event));
  const already = new Set(result.duplicates.get(skuLocation) ?? []);
  for (const u of fresh) {
    const i = u.event;
    if (already.has(i)) continue;
    const twin = events.find(
      (j) =>
        j !== i &&
        !unmatched.has(j) &&
        ev.src.get(j) === ev.src.get(i) &&
        ev.qty.get(j) === ev.qty.get(i) &&
        ev.ref.get(j) !== ev.ref.get(i) &&
        Math.abs(ev.occurred.get(j) - ev.occurred.get(i)) <=
          Math.max(DUPLICATE_PROXIMITY_MS, windowMs(i)),
    );
    if (twin !== undefined) push(result.duplicates, skuLocation, i);
  }
}
