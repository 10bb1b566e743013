/**
 * The compare loop: every key × source that covers it. Equal and quiet comparisons are counted
 * as matches right here; the rest (a difference, or something pending) go to classification.
 * Pending is judged per comparison, as the facts see it: an unmatched or duplicate event at the
 * sku × location that does not concern this source and bucket (share 0) leaves it quiet.
 */
import type { Intake } from '../normalize/intake.ts';
import type { MatchResult } from '../match/match.ts';
import type { KeySpace } from './keyspace.ts';
import { createComparedTable } from './compared-by.ts';
import { duplicateShare, effectOn, varianceShare } from './effects.ts';

export type Work = {
  keys: number;
  compared: number;
  matched: number;
  /** Pairs of (key id, source index) to classify. */
  todo: Int32Array;
  skuLocations: Set<number>;
  /** Comparisons per compare location × source (see compared-by.ts). */
  comparedAt: Int32Array;
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
  const locOf = intake.skuLocs.locOf.data;
  const todo: number[] = [];
  const skuLocations = new Set<number>();
  const width = intake.ctx.sources.length;
  const comparedAt = createComparedTable(intake);
  let [keys, compared, matched] = [0, 0, 0];
  for (let key = 0; key < space.size; key++) {
    if (space.known[key] !== 1 || (filter && !filter.has(key))) continue;
    keys++;
    const sl = key >> 2;
    const [cmp, bucket] = [locOf[sl] as number, key & 3];
    const rounding = intake.roundingKeys.has(key);
    const busy = attention.has(sl);
    const expected = space.expected[key] as number;
    for (const s of sources) {
      if (!covers[s.index]!.has(cmp) || !s.buckets.has(bucket)) continue;
      compared++;
      comparedAt[cmp * width + s.index]! += 1;
      const equal = (space.quantities[s.index] as Float64Array)[key] === expected;
      if (equal && !rounding && !(busy && pendingFor(intake, match, key, s.index))) {
        matched++;
        continue;
      }
      todo.push(key, s.index);
      skuLocations.add(sl);
    }
  }
  return { keys, compared, matched, todo: Int32Array.from(todo), skuLocations, comparedAt };
}

/** Whether a transfer in transit, an unmatched or a duplicate event concerns this comparison. */
function pendingFor(intake: Intake, match: MatchResult, key: number, src: number): boolean {
  const sl = key >> 2;
  const [cmp, bucket] = [intake.skuLocs.locOf.get(sl), key & 3];
  const transit = match.transit.get(sl);
  // in transit applies to every bucket of the destination (the facts give it to each)
  if (transit && (transit.pending !== 0 || transit.overdue !== 0)) return true;
  for (const u of match.unmatched.get(sl) ?? []) {
    if (varianceShare(intake, u, src, effectOn(intake, u.event, cmp, bucket)) !== 0) return true;
  }
  for (const i of match.duplicates.get(sl) ?? []) {
    if (duplicateShare(intake, i, src, effectOn(intake, i, cmp, bucket)) !== 0) return true;
  }
  return false;
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
    const sl = ev.sl.get(i);
    if (!skuLocations.has(sl)) continue;
    const list = out.get(sl);
    if (list) list.push(i);
    else out.set(sl, [i]);
  }
  return out;
}
