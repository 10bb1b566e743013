/** Builds every fact of engine/core/facts.ts for one comparison (key × source). */
import type { Facts } from '../facts.ts';
import type { Intake } from '../normalize/intake.ts';
import type { MatchResult, Unmatched } from '../match/match.ts';
import type { ToleranceEntry } from '../rules/types.ts';
import { isWithinTolerance, resolveTolerance } from '../rules/tolerance.ts';
import { currencyOfRules } from '../rules/types.ts';
import { decimalText, extendMinor, majorOfMinor } from '../model/money.ts';
import { BUCKET_COUNT, bucketOf, LOCATION_CAPACITY } from '../model/keys.ts';
import { EVENT_TYPES } from '../model/types.ts';
import { afterSnapshotOf, expectedFor, type KeySpace } from './keyspace.ts';
import { duplicateShare, effectOn, varianceShare } from './effects.ts';
import { isLate } from './late.ts';
import { agreement, bookedAdjustments, unmatchedFacts } from './cause-facts.ts';
import { isUnitMultiple } from './unit-multiple.ts';
import { statusMovesInWindowQuantity } from './status-moves.ts';

const ADJUSTMENT = EVENT_TYPES.indexOf('adjustment');
const SELLABLE = 0;

export type FactInputs = {
  intake: Intake;
  space: KeySpace;
  match: MatchResult;
  asOfMs: number;
  /** skuLoc id → events of that sku at that location (any source), for the keys in play. */
  keyEvents: Map<number, number[]>;
};

export type Built = {
  facts: Facts;
  tolerance: ToleranceEntry | null;
  unmatched: { u: Unmatched; share: number }[];
  /** |variance| × unit cost in the currency's minor units, exact. */
  valueAtRiskMinor: number;
  /** The item's unit cost as exact decimal text, when it has one. */
  unitCost: string | undefined;
};

const quantityAt = (space: KeySpace, src: number, key: number) => space.quantities[src]?.[key] ?? 0;

export function buildFacts(inp: FactInputs, k: number, src: number): Built {
  const { intake, space } = inp;
  const skuLoc = k >> 2;
  const [sku, cmp, bucket] = [
    intake.skuLocs.skuOf.get(skuLoc),
    intake.skuLocs.locOf.get(skuLoc),
    k & 3,
  ];
  const skuName = intake.skus.value(sku);
  const location = intake.locations.value(cmp);
  const source = intake.ctx.sources[src]!;
  const item = intake.itemOf(sku);
  const sorIndex = intake.ctx.systemOfRecord.get(location);
  const expected = expectedFor(space, src, k);
  const actual = space.quantities[src]?.[k] ?? 0;
  const variance = actual - expected;
  const absVariance = Math.abs(variance);
  const variancePct = (absVariance / Math.max(Math.abs(expected), 1)) * 100;
  const currency = currencyOfRules(intake.ruleset);
  const valueAtRiskMinor = item.unitCost ? extendMinor(item.unitCost, absVariance, currency) : 0;
  const valueAtRisk = majorOfMinor(valueAtRiskMinor, currency);
  const tolerance = resolveTolerance(intake.ruleset.tolerances, {
    sku: skuName,
    skuClass: item.skuClass,
    location,
    bucket: bucketOf(bucket),
    sources: comparedPair(source.def.id, intake.ctx.sources[sorIndex ?? -1]?.def.id),
  });
  const events = eventFacts(inp, { skuLoc, cmp, bucket, src, sorIndex });
  const transit = inp.match.transit.get(skuLoc);
  const last = inp.match.lastEventAt.get(src * LOCATION_CAPACITY + cmp);
  const facts: Facts = {
    sku: skuName,
    skuClass: item.skuClass,
    category: item.category,
    location,
    locationType: intake.ruleset.mappings.locations.get(location)?.type ?? '',
    bucket: bucketOf(bucket),
    source: source.def.id,
    sourceRole: source.def.role,
    isSystemOfRecord: sorIndex === src,
    expectedQuantity: expected,
    sourceQuantity: actual,
    variance,
    absVariance,
    variancePct,
    valueAtRisk,
    withinTolerance: isWithinTolerance(tolerance, { absVariance, variancePct, valueAtRisk }),
    toleranceAbsolute: tolerance?.absolute ?? -1,
    tolerancePercent: tolerance?.percent ?? -1,
    pendingInTransit: transit?.pending ?? 0,
    overdueInTransit: transit?.overdue ?? 0,
    ...events.counts,
    ...unmatchedFacts(intake, events.unmatched, src),
    statusMovesInWindowQuantity: statusMovesInWindowQuantity(
      intake,
      inp.keyEvents.get(skuLoc) ?? [],
      { cmp, bucket, src, sorIndex },
      inp.asOfMs,
    ),
    adjustmentsBySystemOfRecord: bookedAdjustments(
      intake,
      inp.keyEvents.get(skuLoc) ?? [],
      cmp,
      bucket,
    ),
    ...agreement(intake, space, k, src),
    netVarianceAcrossBuckets: netVariance(space, src, skuLoc, source.buckets),
    uomRounding: intake.roundingKeys.has(k),
    varianceIsUnitMultiple: isUnitMultiple(
      intake,
      sku,
      { expected, actual, src },
      events.unmatched,
    ),
    hoursSinceSourceEvent: last === undefined ? -1 : (inp.asOfMs - last) / 3_600_000,
    expectedSellable: expectedFor(space, src, skuLoc * 4 + SELLABLE),
    channelSellable: source.isChannel ? quantityAt(space, src, skuLoc * 4 + SELLABLE) : -1,
  };
  const unitCost = item.unitCost && decimalText(item.unitCost);
  return { facts, tolerance, unmatched: events.unmatched, valueAtRiskMinor, unitCost };
}

/**
 * The source pair a tolerance's `sources` selector is matched against: the compared source and
 * the location's system of record, whose booked events make the expected position. The system
 * of record's own comparison (and one at a location without a system of record) pairs the
 * source with itself, which no selector names (the rules refuse a pair of one source twice):
 * only entries without a pair apply there.
 */
function comparedPair(source: string, systemOfRecord: string | undefined): [string, string] {
  return [source, systemOfRecord ?? source];
}

/** One comparison: sku × compare location, bucket, compared source, the location's system of record. */
type Comparison = {
  skuLoc: number;
  cmp: number;
  bucket: number;
  src: number;
  sorIndex: number | undefined;
};

function eventFacts(inp: FactInputs, c: Comparison) {
  const { intake } = inp;
  const { skuLoc, cmp, bucket, src, sorIndex } = c;
  const counts = {
    unmatchedInWindow: 0,
    unmatchedInWindowQuantity: 0,
    unmatchedOutsideWindow: 0,
    unmatchedOutsideWindowQuantity: 0,
    lateEvents: 0,
    duplicateEvents: 0,
    duplicateQuantity: 0,
    adjustmentsOutsideSystemOfRecord: 0,
    adjustmentsOutsideSystemOfRecordQuantity: 0,
  };
  const unmatched: Built['unmatched'] = [];
  // a movement after the source's snapshot is in neither it nor the ledger it is compared with
  const after = (i: number) =>
    afterSnapshotOf(inp.space, src, skuLoc, intake.events.occurred.get(i));
  for (const u of inp.match.unmatched.get(skuLoc) ?? []) {
    if (after(u.event)) continue;
    const share = varianceShare(intake, u, src, effectOn(intake, u.event, cmp, bucket));
    if (share === 0) continue;
    unmatched.push({ u, share });
    if (u.status === 'timing') {
      counts.unmatchedInWindow++;
      counts.unmatchedInWindowQuantity += share;
    } else {
      counts.unmatchedOutsideWindow++;
      counts.unmatchedOutsideWindowQuantity += share;
    }
    const ev = intake.events;
    if (ev.type.get(u.event) === ADJUSTMENT && ev.src.get(u.event) === src && src !== sorIndex) {
      counts.adjustmentsOutsideSystemOfRecord++;
      counts.adjustmentsOutsideSystemOfRecordQuantity += share;
    }
  }
  for (const i of inp.match.duplicates.get(skuLoc) ?? []) {
    if (after(i)) continue;
    const share = duplicateShare(intake, i, src, effectOn(intake, i, cmp, bucket));
    if (share === 0) continue;
    counts.duplicateEvents++;
    counts.duplicateQuantity += share;
  }
  counts.lateEvents = countLate(inp, c);
  return { counts, unmatched };
}

function countLate(inp: FactInputs, c: Comparison): number {
  const { skuLoc, cmp, bucket, src, sorIndex } = c;
  const ev = inp.intake.events;
  let late = 0;
  for (const i of inp.keyEvents.get(skuLoc) ?? []) {
    const from = ev.src.get(i);
    if (from !== src && from !== sorIndex) continue;
    if (effectOn(inp.intake, i, cmp, bucket) === 0) continue;
    const def = inp.intake.ctx.sources[from]!.def;
    if (isLate(def, ev.occurred.get(i), ev.recorded.get(i))) late++;
  }
  return late;
}

function netVariance(space: KeySpace, src: number, skuLoc: number, buckets: Set<number>) {
  let net = 0;
  for (let b = 0; b < BUCKET_COUNT; b++) {
    if (!buckets.has(b)) continue;
    const key = skuLoc * 4 + b;
    net += quantityAt(space, src, key) - expectedFor(space, src, key);
  }
  return net;
}
