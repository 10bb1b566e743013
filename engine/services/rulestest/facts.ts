/**
 * The fact set of a facts test: what the test gives, the rest neutral (0, false, "", and −1
 * for the facts where −1 means "none"), so no rule fires on a fact the test did not mention.
 * Variance facts follow from sourceQuantity and expectedQuantity when the test omits them.
 */
import { FACTS, FACT_NAMES, type Facts } from '../../core/facts.ts';

const NONE_IS_MINUS_ONE = new Set([
  'toleranceAbsolute',
  'tolerancePercent',
  'hoursSinceSourceEvent',
  'channelSellable',
]);

export function neutralFacts(): Facts {
  const out: Record<string, unknown> = {};
  for (const name of FACT_NAMES) {
    const type = FACTS[name].type as string;
    out[name] =
      type === 'number' ? (NONE_IS_MINUS_ONE.has(name) ? -1 : 0) : type === 'boolean' ? false : '';
  }
  return out as Facts;
}

export function factsFor(given: Record<string, string | number | boolean>): Facts {
  const f = { ...neutralFacts(), ...given } as Facts;
  const has = (k: string) => Object.prototype.hasOwnProperty.call(given, k);
  if (!has('variance') && (has('sourceQuantity') || has('expectedQuantity'))) {
    f.variance = f.sourceQuantity - f.expectedQuantity;
  }
  if (!has('absVariance')) f.absVariance = Math.abs(f.variance);
  if (!has('variancePct'))
    f.variancePct = (f.absVariance / Math.max(Math.abs(f.expectedQuantity), 1)) * 100;
  // one bucket differing alone: otherwise a zero net would read as a status mismapping
  if (!has('netVarianceAcrossBuckets')) f.netVarianceAcrossBuckets = f.variance;
  return f;
}
