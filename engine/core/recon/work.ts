/**
 * The compare loop: every key × source that covers it. Equal and quiet comparisons are counted
 * as matches right here; the rest (a difference, or something pending) go to classification.
 * Pending is judged per comparison, as the facts see it: an unmatched or duplicate event at the
 * sku × location that does not concern this source and bucket (share 0) leaves it quiet.
 */
import type { Intake } from '../normalize/intake.ts';
import type { MatchResult } from '../match/match.ts';
import { afterSnapshotOf, type KeySpace } from './keyspace.ts';
import { createComparedTable } from './compared-by.ts';
import { duplicateShare, effectOn, varianceShare } from './effects.ts';
import type { Blocked } from './blocked.ts';

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

/** Per source index, 1 at each compare location id the source covers. */
function coverage(intake: Intake): Uint8Array[] {
  return intake.ctx.sources.map((s) => {
    const covered = new Uint8Array(intake.locations.size);
    for (const l of s.def.locations) {
      const id = intake.locations.find(l);
      if (id !== undefined) covered[id] = 1;
    }
    return covered;
  });
}

/** 1 at every sku × location with an unmatched or duplicate event or a transfer in transit. */
function attentionMarks(intake: Intake, match: MatchResult): Uint8Array {
  const marks = new Uint8Array(intake.skuLocs.size);
  for (const m of [match.unmatched, match.duplicates, match.transit]) {
    for (const sl of m.keys()) marks[sl] = 1;
  }
  return marks;
}

// Runs over every key × source (3M comparisons on the bench): typed arrays, no Set lookups.
export function findWork(
  intake: Intake,
  space: KeySpace,
  match: MatchResult,
  filter: Set<number> | undefined,
  blocked?: Blocked,
): Work {
  const attention = attentionMarks(intake, match);
  const covers = coverage(intake);
  // A failed source may have delivered part of its rows: it is still in the loop, so that each
  // comparison it would have made is counted as not compared.
  const sources = intake.ctx.sources.filter(
    (s) => space.quantities[s.index] !== undefined || blocked?.sources[s.index] === 1,
  );
  const srcIndex = sources.map((s) => s.index);
  const srcCovers = sources.map((s) => covers[s.index] as Uint8Array);
  const srcBuckets = sources.map((s) => [...s.buckets].reduce((mask, b) => mask | (1 << b), 0));
  const srcQuantities = sources.map((s) => space.quantities[s.index] ?? new Float64Array(0));
  const check = blocked?.any ? blocked : undefined;
  const locOf = intake.skuLocs.locOf.data;
  const { known, expected, afterSnapshot } = space;
  const rounding = intake.roundingKeys;
  const todo: number[] = [];
  const skuLocations = new Set<number>();
  const width = intake.ctx.sources.length;
  const comparedAt = createComparedTable(intake);
  let [keys, compared, matched] = [0, 0, 0];
  // An incremental run visits its few keys, in the order a full scan would.
  const wanted = filter ? [...filter].filter((k) => k < space.size).sort((a, b) => a - b) : null;
  const count = wanted ? wanted.length : space.size;
  for (let at = 0; at < count; at++) {
    const key = wanted ? (wanted[at] as number) : at;
    if (known[key] !== 1) continue;
    keys++;
    const sl = key >> 2;
    const cmp = locOf[sl] as number;
    const bit = 1 << (key & 3);
    const quiet = rounding.size === 0 || !rounding.has(key);
    const busy = attention[sl] === 1;
    const want = expected[key] as number;
    for (let j = 0; j < sources.length; j++) {
      if (srcCovers[j]![cmp] !== 1 || (srcBuckets[j]! & bit) === 0) continue;
      const src = srcIndex[j] as number;
      if (check && check.skip(key, cmp, src)) continue;
      compared++;
      comparedAt[cmp * width + src]! += 1;
      // compared with the ledger as of the source's own snapshot (keyspace.ts)
      const late = afterSnapshot[src]!;
      const wanted = late.size === 0 ? want : want - (late.get(key) ?? 0);
      const equal = srcQuantities[j]![key] === wanted;
      if (equal && quiet && !(busy && pendingFor(intake, space, match, key, src))) {
        matched++;
        continue;
      }
      todo.push(key, src);
      skuLocations.add(sl);
    }
  }
  return { keys, compared, matched, todo: Int32Array.from(todo), skuLocations, comparedAt };
}

/** Whether a transfer in transit, an unmatched or a duplicate event concerns this comparison. */
function pendingFor(
  intake: Intake,
  space: KeySpace,
  match: MatchResult,
  key: number,
  src: number,
): boolean {
  const sl = key >> 2;
  const after = (i: number) => afterSnapshotOf(space, src, sl, intake.events.occurred.get(i));
  const [cmp, bucket] = [intake.skuLocs.locOf.get(sl), key & 3];
  const transit = match.transit.get(sl);
  // in transit applies to every bucket of the destination (the facts give it to each)
  if (transit && (transit.pending !== 0 || transit.overdue !== 0)) return true;
  for (const u of match.unmatched.get(sl) ?? []) {
    if (after(u.event)) continue;
    if (varianceShare(intake, u, src, effectOn(intake, u.event, cmp, bucket)) !== 0) return true;
  }
  for (const i of match.duplicates.get(sl) ?? []) {
    if (after(i)) continue;
    if (duplicateShare(intake, i, src, effectOn(intake, i, cmp, bucket)) !== 0) return true;
  }
  return false;
}

/**
 * Events (≤ T) of the given (sku, location)s, for history, lateness and evidence; `rows`, when
 * given, holds every event of their skus (an incremental run's scope).
 */
export function indexKeyEvents(
  intake: Intake,
  asOfMs: number,
  skuLocations: Set<number>,
  rows?: number[],
): Map<number, number[]> {
  const ev = intake.events;
  const out = new Map<number, number[]>();
  if (skuLocations.size === 0) return out;
  const wanted = new Uint8Array(intake.skuLocs.size);
  for (const sl of skuLocations) wanted[sl] = 1;
  const [occurred, sls] = [ev.occurred.data, ev.sl.data];
  const n = rows ? rows.length : ev.length;
  for (let k = 0; k < n; k++) {
    const i = rows ? (rows[k] as number) : k;
    const sl = sls[i] as number;
    if (wanted[sl] !== 1 || (occurred[i] as number) > asOfMs) continue;
    const list = out.get(sl);
    if (list) list.push(i);
    else out.set(sl, [i]);
  }
  return out;
}
