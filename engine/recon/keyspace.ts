/**
 * The comparison table: every (sku, location, bucket) key that the ledger or any snapshot
 * knows, as a dense index with one Float64Array of quantities per source.
 */
import type { Intake } from '../normalize/intake.ts';
import { packKey } from '../model/keys.ts';

export type KeySpace = {
  index: Map<number, number>;
  keys: number[];
  expected: Float64Array;
  /** Per source index: quantity per key, or undefined when the source has no snapshot ≤ T. */
  quantities: (Float64Array | undefined)[];
  /** Per source index: the latest snapshot time used (ms), or -1. */
  snapshotAt: number[];
};

function keyOf(space: { index: Map<number, number>; keys: number[] }, key: number): number {
  let k = space.index.get(key);
  if (k === undefined) {
    k = space.keys.length;
    space.index.set(key, k);
    space.keys.push(key);
  }
  return k;
}

export function buildKeySpace(
  intake: Intake,
  asOfMs: number,
  expected: Map<number, number>,
  skus?: Set<number>,
): KeySpace {
  const t = intake.positions;
  const space = { index: new Map<number, number>(), keys: [] as number[] };
  for (const key of expected.keys()) keyOf(space, key);
  const rows: number[] = [];
  const rowKeys: number[] = [];
  const snapshotAt = intake.ctx.sources.map(() => -1);
  t.forEachLatest(asOfMs, (row) => {
    const src = t.src.get(row);
    // Before the sku filter: whether a source has a snapshot must not depend on the filter.
    snapshotAt[src] = Math.max(snapshotAt[src] as number, t.asOf.get(row));
    const sku = t.sku.get(row);
    if (skus && !skus.has(sku)) return;
    rows.push(row);
    rowKeys.push(keyOf(space, packKey(sku, t.cmp.get(row), t.bucket.get(row))));
  });
  const n = space.keys.length;
  const quantities = snapshotAt.map((at) => (at >= 0 ? new Float64Array(n) : undefined));
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as number;
    const arr = quantities[t.src.get(row)] as Float64Array;
    const k = rowKeys[r] as number;
    arr[k] = (arr[k] as number) + t.qty.get(row);
  }
  const exp = new Float64Array(n);
  for (const [key, q] of expected) exp[space.index.get(key) as number] = q;
  return { ...space, expected: exp, quantities, snapshotAt };
}
