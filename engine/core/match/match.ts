/**
 * Event-level matching: every booked (system-of-record) movement must appear in the systems
 * that also record it (the other movement recorders covering the location — the ERP where a
 * WMS, 3PL or POS is the book, the WMS or 3PL where the ERP is; a channel for the shipments of
 * its orders, named by its `orderReferences`),
 * by reference, sku and quantity. What is missing is timing inside the posting-lag window and
 * a break past it, naming the event and the system that lacks it. Also: duplicates, transfers
 * still in transit, and each source's last event per location.
 */
import type { Intake } from '../normalize/intake.ts';
import { EVENT_TYPES } from '../model/types.ts';
import { LOCATION_CAPACITY } from '../model/keys.ts';
import { createLagLookup } from './windows.ts';
import { findTransit, type Transit } from './transit.ts';
import { markDuplicates, markProximityDuplicates } from './duplicates.ts';
import { createLinker } from './crosswalk.ts';
import type { PairMethod } from './pair.ts';
import { EventGroups } from './groups.ts';
import { intakeIndex, type RowScope } from '../normalize/sku-rows.ts';

/** 1 at each type code that is matched across systems. */
const MATCHED = Uint8Array.from(EVENT_TYPES, (t) =>
  ['receipt', 'shipment', 'transfer_out', 'transfer_in', 'return', 'adjustment'].includes(t)
    ? 1
    : 0,
);
const SHIPMENT = EVENT_TYPES.indexOf('shipment');

export type Unmatched = {
  event: number;
  /** Source indexes lacking the movement. */
  missingIn: number[];
  status: 'timing' | 'break';
};

export type MatchResult = {
  /** skuLoc id → events lacking a counterpart */
  unmatched: Map<number, Unmatched[]>;
  /** skuLoc id → events repeating another of the same source under a new id */
  duplicates: Map<number, number[]>;
  /** skuLoc id of the destination → transfers not yet received */
  transit: Map<number, Transit>;
  /** source index × LOCATION_CAPACITY + compare location → last occurredAt (ms) */
  lastEventAt: Map<number, number>;
  /** event → how it was paired with its counterpart, for pairs not linked by equal references */
  pairedBy: Map<number, { partner: number; method: PairMethod }>;
};

function push<T>(map: Map<number, T[]>, key: number, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

type Scope = { asOfMs: number; rows: RowScope | undefined; matchFrom: Map<number, number> };

/** Each source's last event (at or before T) per location, over every sku. */
function lastEvents(intake: Intake, asOfMs: number, lastEventAt: Map<number, number>): void {
  const ev = intake.events;
  for (let i = 0; i < ev.length; i++) {
    const occurred = ev.occurred.get(i);
    if (occurred > asOfMs) continue;
    const lastKey = ev.src.get(i) * LOCATION_CAPACITY + ev.cmp.get(i);
    if (occurred > (lastEventAt.get(lastKey) ?? -Infinity)) lastEventAt.set(lastKey, occurred);
  }
}

/**
 * An incremental run takes the last events from the intake's index, kept as rows arrive; when
 * some event lies after T the latest per location may be too, and every event is read.
 */
function lastEventsOf(intake: Intake, asOfMs: number, lastEventAt: Map<number, number>): void {
  const latest = intakeIndex(intake).lastEventAt;
  for (const at of latest.values()) {
    if (at > asOfMs) return lastEvents(intake, asOfMs, lastEventAt);
  }
  for (const [key, at] of latest) lastEventAt.set(key, at);
}

/** Groups visible events of the matched types by (sku, location, type). */
function groupEvents(intake: Intake, scope: Scope, lastEventAt: Map<number, number>) {
  const ev = intake.events;
  const rows = scope.rows?.events;
  // Over every sku, so an incremental run sees the same "last event" as a full one.
  if (rows) lastEventsOf(intake, scope.asOfMs, lastEventAt);
  const n = rows ? rows.length : ev.length;
  const [occurredOf, cmpOf, srcOf, typeOf] = [
    ev.occurred.data,
    ev.cmp.data,
    ev.src.data,
    ev.type.data,
  ];
  const matchFrom = matchFromOf(intake, scope.matchFrom);
  const kept = new Int32Array(n);
  let count = 0;
  for (let k = 0; k < n; k++) {
    const i = rows ? (rows[k] as number) : k;
    const occurred = occurredOf[i]!;
    if (occurred > scope.asOfMs) continue;
    const cmp = cmpOf[i]!;
    if (!rows) {
      const lastKey = srcOf[i]! * LOCATION_CAPACITY + cmp;
      if (occurred > (lastEventAt.get(lastKey) ?? -Infinity)) lastEventAt.set(lastKey, occurred);
    }
    if (MATCHED[typeOf[i]!] !== 1) continue;
    if (occurred <= (matchFrom[cmp] ?? -Infinity)) continue;
    kept[count++] = i;
  }
  return rows
    ? scopedGroups(intake, kept.subarray(0, count))
    : new EventGroups(intake, kept.subarray(0, count), intake.skuLocs.size, (sl) => sl);
}

/** Per compare location id, the time up to which its events are the opening's (see ledger). */
function matchFromOf(intake: Intake, matchFrom: Map<number, number>): number[] {
  const out: number[] = [];
  for (const [cmp, at] of matchFrom) out[cmp] = at;
  return out;
}

/** An incremental run's few sku × locations, numbered densely in the order they appear. */
function scopedGroups(intake: Intake, kept: Int32Array): EventGroups {
  const slots = new Map<number, number>();
  const sls = intake.events.sl.data;
  for (const i of kept) if (!slots.has(sls[i]!)) slots.set(sls[i]!, slots.size);
  return new EventGroups(intake, kept, slots.size, (sl) => slots.get(sl) ?? -1);
}

export function matchEvents(
  intake: Intake,
  asOfMs: number,
  matchFrom: Map<number, number>,
  rows?: RowScope,
): MatchResult {
  const result: MatchResult = {
    unmatched: new Map(),
    duplicates: new Map(),
    transit: new Map(),
    lastEventAt: new Map(),
    pairedBy: new Map(),
  };
  const groups = groupEvents(intake, { asOfMs, rows, matchFrom }, result.lastEventAt);
  const matcher = createGroupMatcher(intake, asOfMs, result);
  groups.forEach((sl, _type, events) => matcher(sl, events));
  result.transit = findTransit(intake, asOfMs, groups);
  return result;
}

function createGroupMatcher(intake: Intake, asOfMs: number, result: MatchResult) {
  const ev = intake.events;
  const ctx = intake.ctx;
  const lag = createLagLookup(intake.ruleset.timing);
  const lagMs = ctx.sources.map((a) => ctx.sources.map((b) => lag(a.def.id, b.def.id) * 60_000));
  const late = (i: number, a: number, b: number) =>
    ev.occurred.get(i) + (lagMs[a]![b] as number) <= asOfMs;
  // per reference id: 1 + a bit per channel source whose orderReferences name it (0: not read
  // yet; left zeroed, not filled: a live event's run reads a few of 1.5M references)
  const channels = ctx.sources.filter((t) => t.orders !== undefined);
  const orderOf = new Uint32Array(channels.length ? intake.refs.size : 0);
  const channelsOf = (ref: number): number => {
    let known = orderOf[ref] as number;
    if (known === 0) {
      const text = intake.refs.value(ref);
      let mask = 0;
      for (const t of channels) if (t.orders!(text)) mask |= 1 << t.index;
      orderOf[ref] = known = mask + 1;
    }
    return known - 1;
  };
  // per compare location (and, for a channel order's shipment, its channels), the sources that
  // must record the event
  const requiredAt: number[][] = [];
  const requiredFor = new Map<number, number[]>();
  const required = (i: number, cmp: number, location: string, sor: number): number[] => {
    const ref = ev.ref.get(i);
    const mask = channels.length && ev.type.get(i) === SHIPMENT && ref >= 0 ? channelsOf(ref) : 0;
    // a mask has a bit per source (fewer than 31, as pairedMask below): cmp × 2^31 + mask
    const key = cmp * 2147483648 + mask;
    let out = mask === 0 ? requiredAt[cmp] : requiredFor.get(key);
    if (!out) {
      out = (ctx.recorders.get(location) ?? []).filter((s) => s !== sor);
      for (const s of ctx.channelSources.get(location) ?? [])
        if (s !== sor && (mask & (1 << s)) !== 0) out.push(s);
      if (mask === 0) requiredAt[cmp] = out;
      else requiredFor.set(key, out);
    }
    return out;
  };
  // per compare location id, its name and its system of record (-1: none)
  const names: string[] = [];
  const books: number[] = [];
  const placeOf = (cmp: number) => {
    if (names[cmp] === undefined) {
      names[cmp] = intake.locations.value(cmp);
      books[cmp] = ctx.systemOfRecord.get(names[cmp]) ?? -1;
    }
    return names[cmp];
  };
  // Per group (a few events): plain loops, a bit mask of sources paired per booked event.
  const booked: number[] = [];
  const pairedMask: number[] = [];
  const leftovers: number[] = [];
  const link = createLinker(intake, lagMs, result.pairedBy);
  return (skuLocation: number, events: number[]): void => {
    const cmp = ev.cmp.get(events[0] as number);
    const location = placeOf(cmp);
    const sor = books[cmp] as number;
    markDuplicates(intake, skuLocation, events, result);
    if (sor < 0) return;
    const before = result.unmatched.get(skuLocation)?.length ?? 0;
    booked.length = 0;
    pairedMask.length = 0;
    leftovers.length = 0;
    for (const i of events) {
      if (ev.booked.get(i) === 1) {
        booked.push(i);
        pairedMask.push(0);
      }
    }
    for (const i of events) {
      if (ev.booked.get(i) === 1) continue;
      const bit = 1 << ev.src.get(i);
      let partner = -1;
      for (let b = 0; b < booked.length && partner < 0; b++) {
        const j = booked[b] as number;
        const free = ((pairedMask[b] as number) & bit) === 0;
        if (free && ev.ref.get(j) === ev.ref.get(i) && ev.qty.get(j) === ev.qty.get(i)) partner = b;
      }
      if (partner >= 0) {
        pairedMask[partner] = (pairedMask[partner] as number) | bit;
        continue;
      }
      leftovers.push(i);
    }
    for (const i of link(sor, booked, pairedMask, leftovers)) {
      const status = late(i, sor, ev.src.get(i)) ? 'break' : 'timing';
      push(result.unmatched, skuLocation, { event: i, missingIn: [sor], status });
    }
    for (let b = 0; b < booked.length; b++) {
      const j = booked[b] as number;
      const missing: number[] = [];
      let anyLate = false;
      for (const s of required(j, cmp, location, sor)) {
        if (((pairedMask[b] as number) & (1 << s)) !== 0) continue;
        missing.push(s);
        anyLate ||= late(j, sor, s);
      }
      if (missing.length === 0) continue;
      push(result.unmatched, skuLocation, {
        event: j,
        missingIn: missing,
        status: anyLate ? 'break' : 'timing',
      });
    }
    const fresh = result.unmatched.get(skuLocation)?.slice(before) ?? [];
    markProximityDuplicates(intake, skuLocation, events, fresh, result, (i) =>
      ev.src.get(i) === sor ? 0 : (lagMs[sor]![ev.src.get(i)] as number),
    );
  };
}
