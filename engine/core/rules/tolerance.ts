/**
 * Tolerance lookup. An entry applies when every selector field it sets equals the difference's
 * (the source pair is unordered). Among those that apply, the most specific wins — the one
 * setting the most selector fields — and on a tie the one listed first.
 */
import type { Bucket } from '../model/types.ts';
import type { ToleranceEntry, Tolerances } from './types.ts';

export type ToleranceContext = {
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
 * Within tolerance when every limit the entry sets holds (absVariance ≤ absolute,
 * variancePct ≤ percent, valueAtRisk ≤ value). Without an entry nothing is tolerated except
 * no difference at all.
 */
export function isWithinTolerance(entry: ToleranceEntry | null, m: VarianceMeasures): boolean {
  if (entry === null) return m.absVariance === 0;
  if (entry.absolute !== undefined && m.absVariance > entry.absolute) return false;
  if (entry.percent !== undefined && m.variancePct > entry.percent) return false;
  if (entry.value !== undefined && m.valueAtRisk > entry.value) return false;
  return true;
}
