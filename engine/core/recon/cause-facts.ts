/**
 * The facts that tell causes apart: what the unmatched events are (types, reasons, who lacks
 * them), the counts and adjustments booked by the system of record, and whether this source
 * agrees with another one (a channel that mirrors the ERP inherits the ERP's problem).
 */
import type { Intake } from '../normalize/intake.ts';
import type { Unmatched } from '../match/match.ts';
import { EVENT_TYPES } from '../model/types.ts';
import { expectedFor, type KeySpace } from './keyspace.ts';
import { effectOn } from './effects.ts';

const ADJUSTMENT = EVENT_TYPES.indexOf('adjustment');
const CYCLE_COUNT = EVENT_TYPES.indexOf('cycle_count');
const isCountType = (type: number) => type === ADJUSTMENT || type === CYCLE_COUNT;

export type CauseFacts = {
  unmatchedTypes: string;
  unmatchedReasonCodes: string;
  missingSide: string;
  unmatchedCountAdjustments: number;
  unmatchedCountAdjustmentQuantity: number;
  adjustmentsBySystemOfRecord: number;
  agreesWithSource: string;
  agreeingSources: number;
};

type Shared = { u: Unmatched; share: number }[];

/** Facts over the unmatched events that concern this comparison (share ≠ 0). */
export function unmatchedFacts(intake: Intake, unmatched: Shared, src: number) {
  const ev = intake.events;
  const types = new Set<string>();
  const reasons = new Set<string>();
  let [sourceLacks, bookLacks, counts, countQuantity] = [false, false, 0, 0];
  for (const { u, share } of unmatched) {
    const type = ev.type.get(u.event);
    types.add(EVENT_TYPES[type]!);
    const reason = ev.reason.get(u.event);
    if (reason >= 0) reasons.add(intake.reasons.value(reason));
    const booked = ev.booked.get(u.event) === 1;
    // the source lacks a booked movement, or has one the book lacks
    if (booked && ev.src.get(u.event) !== src) sourceLacks = true;
    else bookLacks = true;
    if (booked && u.status === 'break' && isCountType(type)) {
      counts++;
      countQuantity += share;
    }
  }
  return {
    unmatchedTypes: [...types].sort().join(','),
    unmatchedReasonCodes: [...reasons].sort().join(','),
    missingSide:
      sourceLacks && bookLacks ? 'both' : sourceLacks ? 'source' : bookLacks ? 'book' : '',
    unmatchedCountAdjustments: counts,
    unmatchedCountAdjustmentQuantity: countQuantity,
  };
}

/** Adjustments and counts the system of record booked that move this key. */
export function bookedAdjustments(
  intake: Intake,
  events: number[],
  cmp: number,
  bucket: number,
): number {
  const ev = intake.events;
  let n = 0;
  for (const i of events) {
    if (ev.booked.get(i) !== 1 || !isCountType(ev.type.get(i))) continue;
    if (ev.type.get(i) === CYCLE_COUNT || effectOn(intake, i, cmp, bucket) !== 0) n++;
  }
  return n;
}

/**
 * Other sources reporting exactly this source's quantity for the key while it differs from the
 * expected one: a channel that mirrors the ERP shows the ERP's error, not one of its own.
 */
export function agreement(intake: Intake, space: KeySpace, key: number, src: number) {
  const quantity = space.quantities[src]?.[key] ?? 0;
  const expected = expectedFor(space, src, key);
  const agreeing: string[] = [];
  if (quantity === expected) return { agreesWithSource: '', agreeingSources: 0 };
  const cmp = intake.locations.value(intake.skuLocs.locOf.get(key >> 2));
  for (const other of intake.ctx.sources) {
    if (other.index === src || !other.buckets.has(key & 3)) continue;
    if (!other.def.locations.includes(cmp)) continue;
    const theirs = space.quantities[other.index];
    if (theirs !== undefined && theirs[key] === quantity) agreeing.push(other.def.id);
  }
  agreeing.sort();
  return { agreesWithSource: agreeing[0] ?? '', agreeingSources: agreeing.length };
}
