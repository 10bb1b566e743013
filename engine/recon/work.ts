/**
 * The compare loop: every key × source that covers it. Equal and quiet comparisons are counted
 * as matches right here; the rest (a difference, or something pending) go to classification.
 */
import type { Intake } from '../normalize/intake.ts';
import type { MatchResult } from '../match/match.ts';
import { keyBucket, keyLocation, keySku, packSkuLocation } from '../model/keys.ts';
import type { KeySpace } from './keyspace.ts';

export type Work = {
  keys: number;
  compared: number;
  matched: number;
  /** Pairs of (dense key index, source index) to classify. */
  todo: Int32Array;
  skuLocations: Set<number>;
};

function coverage(intake: Intake): Set<number>[] {
  return intake.ctx.sources.map(
    (s) => new Set(s.def.locations.map((l) => intake.locations.find(l) ?? -1)),
  );
}

export function findWork(
  intake: Intake,
  space: KeySpace,
  match: MatchResult,
  filter: Set<number> | undefined,
): Work {
  const attention = new Set<number>([
    ...match.unmatched.keys(),
    ...match.duplicates.keys(),
    ...match.transit.keys(),
  ]);
  const covers = coverage(intake);
  const sources = intake.ctx.sources.filter((s) => space.quantities[s.index] !== undefined);
  const todo: number[] = [];
  const skuLocations = new Set<number>();
  let keys = 0;
  let compared = 0;
  let matched = 0;
  for (let k = 0; k < space.keys.length; k++) {
    const key = space.keys[k] as number;
    if (filter && !filter.has(key)) continue;
    keys++;
    const [cmp, bucket] = [keyLocation(key), keyBucket(key)];
    const skuLoc = packSkuLocation(keySku(key), cmp);
    const flagged = attention.has(skuLoc) || intake.roundingKeys.has(key);
    const expected = space.expected[k] as number;
    for (const s of sources) {
      if (!covers[s.index]!.has(cmp) || !s.buckets.has(bucket)) continue;
      compared++;
      if (!flagged && (space.quantities[s.index] as Float64Array)[k] === expected) {
        matched++;
        continue;
      }
      todo.push(k, s.index);
      skuLocations.add(skuLoc);
    }
  }
  return { keys, compared, matched, todo: Int32Array.from(todo), skuLocations };
}

/** Events (≤ T) of the given (sku, location)s, for history, lateness and evidence. */
export function indexKeyEvents(
  intake: Intake,
  asOfMs: number,
  skuLocations: Set<number>,
): Map<number, number[]> {
  const ev = intake.events;
  const out = new Map<number, number[]>();
  if (skuLocations.size === 0) return out;
  for (let i = 0; i < ev.length; i++) {
    if (ev.occurred.get(i) > asOfMs) continue;
    const skuLoc = packSkuLocation(ev.sku.get(i), ev.cmp.get(i));
    if (!skuLocations.has(skuLoc)) continue;
    const list = out.get(skuLoc);
    if (list) list.push(i);
    else out.set(skuLoc, [i]);
  }
  return out;
}
