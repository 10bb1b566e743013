/** Evidence for a non-matching comparison: quantities, history, unmatched events, the rules. */
import type { Intake } from '../normalize/intake.ts';
import type { Account, MovementEvent } from '../model/types.ts';
import type { Interner } from '../model/intern.ts';
import { EVENT_TYPES } from '../model/types.ts';
import { decodeAccount } from '../model/accounts.ts';
import { sortByTime } from '../ledger/project.ts';
import type { Evidence, UnmatchedEvent } from './types.ts';
import type { Built } from './facts-builder.ts';
import type { Decision } from '../classify/classifier.ts';
import type { RuleTrace } from './types.ts';
import type { KeySpace } from './keyspace.ts';
import type { MatchResult } from '../match/match.ts';
import { effectOn } from './effects.ts';

const HISTORY_LIMIT = 50;
const CYCLE_COUNT = EVENT_TYPES.indexOf('cycle_count');

/**
 * ISO text of a time, as Date#toISOString writes it. Evidence lists ~100,000 event times for
 * 30,000 differences and a Date per time dominated it; times on a whole minute (nearly all:
 * a week of events has ~10,000 distinct minutes) are kept by minute, others go to a Date.
 */
const wholeMinutes = new Map<number, string>();
const MINUTE_CACHE_LIMIT = 100_000;

export function iso(ms: number): string {
  const minute = ms / 60_000;
  if (!Number.isInteger(minute)) return new Date(ms).toISOString();
  let text = wholeMinutes.get(minute);
  if (text === undefined) {
    text = new Date(ms).toISOString();
    if (wholeMinutes.size >= MINUTE_CACHE_LIMIT) wholeMinutes.clear();
    wholeMinutes.set(minute, text);
  }
  return text;
}

/**
 * Accounts by code, one frozen object each for the run's location interner: every movement in
 * the evidence names two, kept until the run is saved; at 1M keys, 105,200 movements made
 * 210,400 objects for a few hundred accounts.
 */
const accountsBy = new WeakMap<Interner, Map<number, Account>>();

function accountOf(code: number, locations: Interner): Account {
  let known = accountsBy.get(locations);
  if (!known) accountsBy.set(locations, (known = new Map()));
  let account = known.get(code);
  if (account === undefined) {
    account = Object.freeze(decodeAccount(code, locations));
    known.set(code, account);
  }
  return account;
}

function valueOrUndefined(id: number, values: { value(id: number): string }): string | undefined {
  return id >= 0 ? values.value(id) : undefined;
}

export function toMovementEvent(intake: Intake, i: number): MovementEvent {
  const ev = intake.events;
  const e: MovementEvent = {
    source: intake.ctx.sources[ev.src.get(i)]!.def.id,
    sourceEventId: ev.id(i),
    type: EVENT_TYPES[ev.type.get(i)]!,
    sku: intake.skus.value(ev.sku.get(i)),
    from: accountOf(ev.from.get(i), intake.locations),
    to: accountOf(ev.to.get(i), intake.locations),
    quantity: ev.qty.get(i),
    occurredAt: iso(ev.occurred.get(i)),
    recordedAt: '',
  };
  const recorded = ev.recorded.get(i);
  e.recordedAt = recorded === ev.occurred.get(i) ? e.occurredAt : iso(recorded);
  const opt = valueOrUndefined;
  const ref = opt(ev.ref.get(i), intake.refs);
  if (ref !== undefined) e.reference = ref;
  const reason = opt(ev.reason.get(i), intake.reasons);
  if (reason !== undefined) e.reasonCode = reason;
  const rawFrom = opt(ev.rawFrom.get(i), intake.statuses);
  if (rawFrom !== undefined) e.rawFromStatus = rawFrom;
  const rawTo = opt(ev.rawTo.get(i), intake.statuses);
  if (rawTo !== undefined) e.rawToStatus = rawTo;
  if (ev.file.get(i) >= 0)
    e.origin = { file: intake.files.value(ev.file.get(i)), line: ev.line.get(i) };
  return e;
}

function history(
  intake: Intake,
  events: number[],
  key: number,
  pairedBy: MatchResult['pairedBy'],
): MovementEvent[] {
  const [cmp, bucket] = [intake.skuLocs.locOf.get(key >> 2), key & 3];
  const ev = intake.events;
  const touching: number[] = [];
  for (const i of events) {
    const counted = ev.type.get(i) === CYCLE_COUNT && ev.to.get(i) % 4 === bucket;
    if (counted || effectOn(intake, i, cmp, bucket) !== 0) touching.push(i);
  }
  const latest = sortByTime(intake, touching).slice(-HISTORY_LIMIT);
  const out: MovementEvent[] = [];
  for (const i of latest) {
    const e = toMovementEvent(intake, i);
    const paired = pairedBy.get(i);
    if (paired && paired.method !== 'reference') {
      const p = paired.partner;
      e.pairedWith = {
        source: intake.ctx.sources[intake.events.src.get(p)]!.def.id,
        sourceEventId: intake.events.id(p),
        method: paired.method,
      };
    }
    out.push(e);
  }
  return out;
}

function unmatchedEvents(intake: Intake, built: Built): UnmatchedEvent[] {
  const ev = intake.events;
  return built.unmatched.map(({ u }) => {
    const out: UnmatchedEvent = {
      source: intake.ctx.sources[ev.src.get(u.event)]!.def.id,
      sourceEventId: ev.id(u.event),
      type: EVENT_TYPES[ev.type.get(u.event)]!,
      quantity: ev.qty.get(u.event),
      occurredAt: iso(ev.occurred.get(u.event)),
      missingIn: u.missingIn.map((s) => intake.ctx.sources[s]!.def.id),
      status: u.status,
    };
    const ref = ev.ref.get(u.event);
    if (ref >= 0) out.reference = intake.refs.value(ref);
    return out;
  });
}

export function buildEvidence(
  intake: Intake,
  space: KeySpace,
  k: number,
  built: Built,
  decision: Decision,
  rules: RuleTrace[],
  events: number[],
  pairedBy: MatchResult['pairedBy'] = new Map(),
): Evidence {
  const key = k;
  const quantities: Record<string, number> = {};
  const location = intake.locations.value(intake.skuLocs.locOf.get(key >> 2));
  for (const s of intake.ctx.sources) {
    const q = space.quantities[s.index];
    if (!q || !s.def.locations.includes(location) || !s.buckets.has(key & 3)) continue;
    quantities[s.def.id] = q[k] as number;
  }
  const t = built.tolerance;
  const d = decision.decidedBy;
  return {
    quantities,
    expected: built.facts.expectedQuantity,
    variance: built.facts.variance,
    unit: intake.unitSpec(intake.skuLocs.skuOf.get(key >> 2)).baseUnit,
    history: history(intake, events, key, pairedBy),
    unmatched: unmatchedEvents(intake, built),
    decidedBy: d ? { rule: d.name, file: d.file, line: d.line } : null,
    rules,
    tolerance: t
      ? { absolute: t.absolute, percent: t.percent, value: t.value, from: `${t.file}:${t.line}` }
      : null,
    facts: built.facts,
    rulesetVersion: intake.ruleset.version.label,
  };
}
