/**
 * The comparison table: every (sku, location, bucket) key id that the ledger or a snapshot
 * knows, with one Float64Array of quantities per source, indexed by key id.
 */
import type { Intake } from '../normalize/intake.ts';
import type { Expected } from '../ledger/expected.ts';
import { keyId } from '../model/skuloc.ts';
import { forEachLatestOf, intakeIndex, type RowScope } from '../normalize/sku-rows.ts';
import { FRESH } from '../normalize/scratch.ts';

export type KeySpace = {
  /** Number of key ids (skuLocs × 4). */
  size: number;
  /** 1 where the ledger or any snapshot has the key. */
  known: Uint8Array;
  expected: Float64Array;
  /** Per source index: quantity per key, or undefined when the source has no snapshot ≤ T. */
  quantities: (Float64Array | undefined)[];
  /**
   * Per source index: per sku × location id, the time of the source's latest rows there (0 where
   * it has none: compared as of T). A source is compared with the ledger as of that time.
   */
  snapshotAt: (Float64Array | undefined)[];
  /** Per source index: key → booked quantity that occurred after the source's snapshot there. */
  afterSnapshot: Map<number, number>[];
};

/** The ledger's quantity as of source `src`'s snapshot of the key. */
export function expectedFor(space: KeySpace, src: number, key: number): number {
  const after = space.afterSnapshot[src];
  const e = space.expected[key] ?? 0;
  return after && after.size > 0 ? e - (after.get(key) ?? 0) : e;
}

/** Whether something that occurred at `atMs` is after source `src`'s snapshot of the sku × location. */
export function afterSnapshotOf(
  space: KeySpace,
  src: number,
  skuLoc: number,
  atMs: number,
): boolean {
  const t = space.snapshotAt[src]?.[skuLoc] ?? 0;
  return t > 0 && atMs > t;
}

export function buildKeySpace(
  intake: Intake,
  asOfMs: number,
  ledger: Expected,
  scope?: RowScope,
): KeySpace {
  const t = intake.positions;
  const size = intake.skuLocs.size * 4;
  // The ledger's own arrays (the run reads them only through here): no copy of every key.
  const known = fit(ledger.known, size, Uint8Array);
  const expected = fit(ledger.expected, size, Float64Array);
  const quantities: (Float64Array | undefined)[] = intake.ctx.sources.map(() => undefined);
  const snapshotAt: (Float64Array | undefined)[] = intake.ctx.sources.map(() => undefined);
  const alloc = scope?.alloc ?? FRESH;
  const open = (src: number) => {
    quantities[src] = alloc.floats(size, 4);
    snapshotAt[src] = alloc.floats(size / 4, 1);
  };
  // Whether a source has a snapshot must not depend on the sku filter.
  if (scope) {
    const first = intakeIndex(intake).firstPositionAt;
    for (const [src, at] of first.entries()) if (at !== undefined && at <= asOfMs) open(src);
  }
  forEachLatestOf(t, asOfMs, scope?.positions, (row) => {
    const src = t.src.get(row);
    if (!quantities[src]) open(src);
    const q = quantities[src]!;
    const sl = t.sl.get(row);
    const key = keyId(sl, t.bucket.get(row));
    q[key] = (q[key] as number) + t.qty.get(row);
    known[key] = 1;
    const times = snapshotAt[src]!;
    if (t.asOf.get(row) > (times[sl] as number)) times[sl] = t.asOf.get(row);
  });
  const afterSnapshot = afterSnapshots(ledger, snapshotAt, size);
  return { size, known, expected, quantities, snapshotAt, afterSnapshot };
}

/** Per source: the booked quantity per key that occurred after the source's snapshot there. */
function afterSnapshots(
  ledger: Expected,
  snapshotAt: (Float64Array | undefined)[],
  size: number,
): Map<number, number>[] {
  const out = snapshotAt.map(() => new Map<number, number>());
  const { key, at, delta } = ledger.late;
  for (let i = 0; i < key.length; i++) {
    const k = key[i] as number;
    if (k >= size) continue;
    for (let src = 0; src < snapshotAt.length; src++) {
      const t = snapshotAt[src]?.[k >> 2] ?? 0;
      if (t === 0 || (at[i] as number) <= t) continue;
      const m = out[src]!;
      m.set(k, (m.get(k) ?? 0) + (delta[i] as number));
    }
  }
  return out;
}

function fit<A extends Uint8Array | Float64Array>(
  array: A,
  size: number,
  Make: new (n: number) => A,
): A {
  if (array.length >= size) return array.subarray(0, size) as A;
  const out = new Make(size);
  out.set(array);
  return out;
}
