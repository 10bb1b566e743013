/**
 * Tolerance lookup. An entry applies when every selector field it sets equals the difference's
 * (the source pair is unordered). Among those that apply, the most specific wins — one naming
 * the SKU beats every one that does not, then the one setting the most selector fields — and
 * on a tie the one listed first.
 */
import type { Bucket } from '../model/types.ts';
import type { ToleranceEntry, Tolerances } from './types.ts';

export type ToleranceContext = {
  /** Canonical SKU; a context without one never meets an entry that names a SKU. */
  sku?: string;
  skuClass: string;
  location: string;
  bucket: Bucket;
  sources: [string, string];
};

export function resolveTolerance(
  tolerances: Tolerances,
  ctx: ToleranceContext,
): ToleranceEntry | null {
  let best: ToleranceEntry | null = null;
  for (const entry of tolerances.entries) {
    if (!applies(entry, ctx)) continue;
    if (best === null || entry.specificity > best.specificity) best = entry;
  }
  return best;
}

function applies(entry: ToleranceEntry, ctx: ToleranceContext): boolean {
  const s = entry.selector;
  if (s.sku !== undefined && s.sku !== ctx.sku) return false;
  if (s.skuClass !== undefined && s.skuClass !== ctx.skuClass) return false;
  if (s.location !== undefined && s.location !== ctx.location) return false;
  if (s.bucket !== undefined && s.bucket !== ctx.bucket) return false;
  if (s.sources !== undefined) {
    const [a, b] = s.sources;
    const [x, y] = ctx.sources;
    if (!((a === x && b === y) || (a === y && b === x))) return false;
  }
  return true;
}

export type VarianceMeasures = { absVariance: number; variancePct: number; valueAtRisk: number };

/**
 * Within tolerance when the value limit holds (valueAtRisk ≤ value, when set) and the quantity
 * limits hold as the entry combines them: with 'smaller' (default) every one it sets
 * (absVariance ≤ absolute and variancePct ≤ percent), with 'larger' either one. Without an
 * entry nothing is tolerated except no difference at all.
 */
export function isWithinTolerance(entry: ToleranceEntry | null, m: VarianceMeasures): boolean {
  if (entry === null) return m.absVariance === 0;
  if (entry.value !== undefined && m.valueAtRisk > entry.value) return false;
  const limits: boolean[] = [];
  if (entry.absolute !== undefined) limits.push(m.absVariance <= entry.absolute);
  if (entry.percent !== undefined) limits.push(m.variancePct <= entry.percent);
  if (limits.length === 0) return true;
  return entry.combine === 'larger' ? limits.some(Boolean) : limits.every(Boolean);
}
