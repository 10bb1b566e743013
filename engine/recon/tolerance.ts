/**
 * Tolerance lookup. Private equivalent of the rules package's helpers (not published there
 * yet): the most specific matching entry wins, ties go to the first listed.
 */
import type { ToleranceEntry, Tolerances } from '../rules/types.ts';

export type ToleranceQuery = {
  skuClass: string;
  location: string;
  bucket: string;
  source: string;
  /** The other side of the comparison: the location's system of record (the ledger's owner). */
  counterpart: string | undefined;
};

export function findTolerance(t: Tolerances, q: ToleranceQuery): ToleranceEntry | undefined {
  let best: ToleranceEntry | undefined;
  for (const e of t.entries) {
    const s = e.selector;
    if (s.skuClass !== undefined && s.skuClass !== q.skuClass) continue;
    if (s.location !== undefined && s.location !== q.location) continue;
    if (s.bucket !== undefined && s.bucket !== q.bucket) continue;
    if (s.sources && !pairMatches(s.sources, q)) continue;
    if (!best || e.specificity > best.specificity) best = e;
  }
  return best;
}

function pairMatches(pair: [string, string], q: ToleranceQuery): boolean {
  if (!pair.includes(q.source)) return false;
  const other = pair[0] === q.source ? pair[1] : pair[0];
  return q.counterpart === undefined || other === q.counterpart || q.source === q.counterpart;
}

/** Within when any declared bound holds; with no entry, only an exact match is within. */
export function within(
  e: ToleranceEntry | undefined,
  absVariance: number,
  variancePct: number,
  valueAtRisk: number,
): boolean {
  if (absVariance === 0) return true;
  if (!e) return false;
  if (e.absolute !== undefined && absVariance <= e.absolute) return true;
  if (e.percent !== undefined && variancePct <= e.percent) return true;
  return e.value !== undefined && valueAtRisk <= e.value;
}
