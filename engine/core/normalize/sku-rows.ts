/**
 * Per-sku row lists of an intake's tables, kept up to date as rows are appended, so that an
 * incremental run (the live path: one event, a few keys) reads the rows of its skus only
 * instead of scanning millions. Also the few facts an incremental run needs over every sku,
 * kept the same way: whether a source has a snapshot at or before T, when each location's book
 * first opened, and each source's last event per location.
 */
import { IntColumn } from '../model/intern.ts';
import { LOCATION_CAPACITY } from '../model/keys.ts';
import type { Intake } from './intake.ts';
import type { SnapshotTable } from './tables.ts';
import { ScratchPool, type Allocator } from './scratch.ts';

/** The rows of some skus, ascending (the order a full scan visits them in). */
export type RowScope = {
  skus: Set<number>;
  events: number[];
  positions: number[];
  openings: number[];
  /** Where the run takes its per-key arrays: reused from run to run (scratch.ts). */
  alloc: Allocator;
  /** Gives the arrays back once the run is over (its results hold none of them). */
  done: () => void;
};

/** Row chains per sku over one table: first row and next row of the same sku. */
class SkuChains {
  private readonly first = new IntColumn();
  private readonly last = new IntColumn();
  private readonly next = new IntColumn();

  get indexed(): number {
    return this.next.length;
  }

  add(row: number, sku: number): void {
    while (this.first.length <= sku) {
      this.first.push(-1);
      this.last.push(-1);
    }
    this.next.push(-1);
    const tail = this.last.get(sku);
    if (tail < 0) this.first.set(sku, row);
    else this.next.set(tail, row);
    this.last.set(sku, row);
  }

  rows(sku: number, out: number[]): void {
    if (sku >= this.first.length) return;
    for (let r = this.first.get(sku); r >= 0; r = this.next.get(r)) out.push(r);
  }
}

class IntakeIndex {
  private readonly events = new SkuChains();
  private readonly positions = new SkuChains();
  private readonly openings = new SkuChains();
  /** Per source index: the earliest asOf of any position row. */
  readonly firstPositionAt: number[] = [];
  /** Per compare location: the earliest opening row of its book. */
  readonly firstBookOpeningAt = new Map<number, number>();
  /** source × LOCATION_CAPACITY + compare location → latest occurredAt of any event. */
  readonly lastEventAt = new Map<number, number>();
  private readonly scratch = new ScratchPool();

  constructor(private readonly intake: Intake) {}

  /** Indexes the rows appended since the last call. */
  catchUp(): void {
    const { events, positions, openings } = this.intake;
    for (let row = this.events.indexed; row < events.length; row++) {
      this.events.add(row, events.sku.get(row));
      const key = events.src.get(row) * LOCATION_CAPACITY + events.cmp.get(row);
      const at = events.occurred.get(row);
      if (at > (this.lastEventAt.get(key) ?? -Infinity)) this.lastEventAt.set(key, at);
    }
    for (let row = this.positions.indexed; row < positions.length; row++) {
      this.positions.add(row, positions.sku.get(row));
      const src = positions.src.get(row);
      const at = positions.asOf.get(row);
      if (!(at >= (this.firstPositionAt[src] ?? Infinity))) this.firstPositionAt[src] = at;
    }
    const sor = this.intake.ctx.systemOfRecord;
    for (let row = this.openings.indexed; row < openings.length; row++) {
      this.openings.add(row, openings.sku.get(row));
      const cmp = openings.cmp.get(row);
      if (sor.get(this.intake.locations.value(cmp)) !== openings.src.get(row)) continue;
      const at = openings.asOf.get(row);
      if (at < (this.firstBookOpeningAt.get(cmp) ?? Infinity)) {
        this.firstBookOpeningAt.set(cmp, at);
      }
    }
  }

  scope(skus: Set<number>): RowScope {
    const { alloc, done } = this.scratch.lease();
    const skuLocs = this.intake.skuLocs;
    // the pairs of these skus when the run ends (its replay may have added some)
    const release = () => done([...skus].flatMap((sku) => skuLocs.ofSku(sku)));
    const out: RowScope = { skus, events: [], positions: [], openings: [], alloc, done: release };
    for (const sku of skus) {
      this.events.rows(sku, out.events);
      this.positions.rows(sku, out.positions);
      this.openings.rows(sku, out.openings);
    }
    const up = (a: number, b: number) => a - b;
    out.events.sort(up);
    out.positions.sort(up);
    out.openings.sort(up);
    return out;
  }
}

const indexes = new WeakMap<Intake, IntakeIndex>();

/** The index of an intake, caught up with every row added so far (call after `flush`). */
export function intakeIndex(intake: Intake): IntakeIndex {
  let index = indexes.get(intake);
  if (!index) indexes.set(intake, (index = new IntakeIndex(intake)));
  index.catchUp();
  return index;
}

/** The rows of the given skus in every table. */
export function rowsOfSkus(intake: Intake, skus: Set<number>): RowScope {
  return intakeIndex(intake).scope(skus);
}

/** `table.forEachLatest`, over the scope's rows of the table only when rows are given. */
export function forEachLatestOf(
  table: SnapshotTable,
  asOfMs: number,
  rows: number[] | undefined,
  visit: (row: number) => void,
): void {
  if (!rows) return table.forEachLatest(asOfMs, visit);
  const asOf = table.asOf.data;
  const prev = table.prev.data;
  const superseded = table.superseded.data;
  for (const head of rows) {
    if (superseded[head] === 1) continue;
    let best = -1;
    for (let row = head; row >= 0; row = prev[row] as number) {
      const t = asOf[row] as number;
      if (t <= asOfMs && (best < 0 || t > (asOf[best] as number))) best = row;
    }
    if (best >= 0) visit(best);
  }
}
