/**
 * The ledger: booked movements (system-of-record events) replayed as double entries up to T.
 * Order of arrival never matters: only occurredAt ≤ T counts, and cycle counts — the one
 * order-dependent entry (counted − book) — are replayed in occurredAt order.
 */
import type { Intake } from '../normalize/intake.ts';
import type { SnapshotTable } from '../normalize/tables.ts';
import { EVENT_TYPES } from '../model/types.ts';
import { packKey } from '../model/keys.ts';
import { accountBucket, accountLocation, FOUND, SHRINKAGE, stock } from '../model/accounts.ts';
import { forEachLatestOf, intakeIndex, type RowScope } from '../normalize/sku-rows.ts';

const CYCLE_COUNT = EVENT_TYPES.indexOf('cycle_count');

/** One ledger entry side: `delta` into `account` (stock ≥ 0, outside < 0); event -1 = opening. */
export type Post = (sku: number, account: number, delta: number, event: number) => void;

const fineKey = (sku: number, account: number) =>
  packKey(sku, accountLocation(account), accountBucket(account));

/**
 * Opening balances of each location's system of record; returns opening time per location.
 * A location whose book has no opening row at or before T opens instead on the book's own
 * snapshot (its latest rows at or before T): expected = that snapshot + the booked events
 * after it, the same as the snapshot rolled back through its booked events and replayed.
 */
function postOpenings(intake: Intake, asOfMs: number, scope: RowScope | undefined, post: Post) {
  const openingAt = new Map<number, number>();
  const explicit = explicitOpenings(intake, asOfMs, scope);
  const sor = intake.ctx.systemOfRecord;
  const skus = scope?.skus;
  const postFrom = (t: SnapshotTable, derived: boolean, rows: number[] | undefined) =>
    forEachLatestOf(t, asOfMs, rows, (row) => {
      const sku = t.sku.get(row);
      if (skus && !skus.has(sku)) return;
      const cmp = t.cmp.get(row);
      if (explicit.has(cmp) === derived) return;
      if (sor.get(intake.locations.value(cmp)) !== t.src.get(row)) return;
      post(sku, stock(t.fine.get(row), t.bucket.get(row)), t.qty.get(row), -1);
      const at = t.asOf.get(row);
      if (at > (openingAt.get(cmp) ?? -Infinity)) openingAt.set(cmp, at);
    });
  postFrom(intake.openings, false, scope?.openings);
  postFrom(intake.positions, true, scope?.positions);
  return { openingAt, explicit };
}

/** Compare locations whose book has an opening row at or before T, whatever the sku filter. */
function explicitOpenings(intake: Intake, asOfMs: number, scope?: RowScope): Set<number> {
  if (scope) {
    const first = intakeIndex(intake).firstBookOpeningAt;
    return new Set([...first].filter(([, at]) => at <= asOfMs).map(([cmp]) => cmp));
  }
  const t = intake.openings;
  const sor = intake.ctx.systemOfRecord;
  const out = new Set<number>();
  for (let row = 0; row < t.length; row++) {
    const cmp = t.cmp.get(row);
    if (out.has(cmp) || t.asOf.get(row) > asOfMs) continue;
    if (sor.get(intake.locations.value(cmp)) === t.src.get(row)) out.add(cmp);
  }
  return out;
}

/** Is event `i` part of the ledger as of T (booked, in the sku filter, not after T)? */
function inScope(intake: Intake, i: number, asOfMs: number, skus: Set<number> | undefined) {
  const ev = intake.events;
  if (ev.booked.get(i) !== 1 || ev.occurred.get(i) > asOfMs) return false;
  return !skus || skus.has(ev.sku.get(i));
}

/**
 * `openingAt`: per compare location, when its opening balance stands (booked events at or
 * before it are in the opening, not replayed). `matchFrom`: the same for explicit openings
 * only — events before an opening file are not matched; with an opening derived from the
 * book's snapshot every event is.
 */
export type Replay = { openingAt: Map<number, number>; matchFrom: Map<number, number> };

/** Replays the ledger to T (the scope's skus only, when given), calling `post` for every entry side. */
export function replay(
  intake: Intake,
  asOfMs: number,
  scope: RowScope | undefined,
  post: Post,
): Replay {
  const ev = intake.events;
  const skus = scope?.skus;
  const rows = scope?.events;
  const n = rows ? rows.length : ev.length;
  const counted = new Set<number>();
  for (let k = 0; k < n; k++) {
    const i = rows ? (rows[k] as number) : k;
    if (ev.type.get(i) === CYCLE_COUNT && inScope(intake, i, asOfMs, skus)) {
      counted.add(fineKey(ev.sku.get(i), ev.to.get(i)));
    }
  }
  const balances = new Map<number, number>();
  const { openingAt, explicit } = postOpenings(
    intake,
    asOfMs,
    scope,
    (sku, account, delta, event) => {
      const key = fineKey(sku, account);
      if (counted.has(key)) balances.set(key, (balances.get(key) ?? 0) + delta);
      post(sku, account, delta, event);
    },
  );
  const reports = new Map<number, Set<number>>();
  const bookReports = (cmp: number) => {
    let buckets = reports.get(cmp);
    if (!buckets) {
      const sor = intake.ctx.systemOfRecord.get(intake.locations.value(cmp));
      buckets = sor === undefined ? new Set() : intake.ctx.sources[sor]!.buckets;
      reports.set(cmp, buckets);
    }
    return buckets;
  };
  const after = (account: number, occurred: number) => {
    if (account < 0) return true;
    const cmp = intake.compareOf(accountLocation(account));
    // A snapshot stands only for the buckets its book can report (a POS has no in_transit).
    if (!explicit.has(cmp) && !bookReports(cmp).has(accountBucket(account))) return true;
    return occurred > (openingAt.get(cmp) ?? -Infinity);
  };
  const ordered: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = rows ? (rows[k] as number) : k;
    if (!inScope(intake, i, asOfMs, skus)) continue;
    const sku = ev.sku.get(i);
    if (
      counted.size > 0 &&
      (touches(counted, sku, ev.from.get(i)) || touches(counted, sku, ev.to.get(i)))
    ) {
      ordered.push(i);
      continue;
    }
    postSides(intake, i, after, post);
  }
  replayOrdered(intake, sortByTime(intake, ordered), after, balances, post);
  const matchFrom = new Map([...openingAt].filter(([cmp]) => explicit.has(cmp)));
  return { openingAt, matchFrom };
}

function touches(counted: Set<number>, sku: number, account: number): boolean {
  return account >= 0 && counted.has(fineKey(sku, account));
}

function postSides(intake: Intake, i: number, after: After, post: Post): void {
  const ev = intake.events;
  const occurred = ev.occurred.get(i);
  const sku = ev.sku.get(i);
  const q = ev.qty.get(i);
  const from = ev.from.get(i);
  const to = ev.to.get(i);
  // Both sides or neither: a side at a location whose opening already holds it is skipped.
  if (after(from, occurred)) post(sku, from, -q, i);
  if (after(to, occurred)) post(sku, to, q, i);
}

type After = (account: number, occurred: number) => boolean;

/** Ties on occurredAt break on source and source event id, never on arrival order. */
export function sortByTime(intake: Intake, events: number[]): number[] {
  return events.sort(byTime(intake));
}

/** The order of sortByTime, as a comparator of event indexes. */
export function byTime(intake: Intake): (a: number, b: number) => number {
  const ev = intake.events;
  return (a, b) => {
    const d = ev.occurred.get(a) - ev.occurred.get(b);
    if (d !== 0) return d;
    const s = ev.src.get(a) - ev.src.get(b);
    if (s !== 0) return s;
    return ev.compareIds(a, b);
  };
}

function replayOrdered(
  intake: Intake,
  ordered: number[],
  after: After,
  balances: Map<number, number>,
  post: Post,
): void {
  const ev = intake.events;
  const track: Post = (sku, account, delta, event) => {
    if (account >= 0) {
      const key = fineKey(sku, account);
      if (balances.has(key) || delta !== 0) balances.set(key, (balances.get(key) ?? 0) + delta);
    }
    post(sku, account, delta, event);
  };
  for (const i of ordered) {
    if (ev.type.get(i) !== CYCLE_COUNT) {
      postSides(intake, i, after, track);
      continue;
    }
    const sku = ev.sku.get(i);
    const account = ev.to.get(i);
    if (!after(account, ev.occurred.get(i))) continue;
    const delta = ev.qty.get(i) - (balances.get(fineKey(sku, account)) ?? 0);
    if (delta === 0) continue;
    track(sku, delta < 0 ? SHRINKAGE : FOUND, -delta, i);
    track(sku, account, delta, i);
  }
}
