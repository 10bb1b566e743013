/**
 * The comparison table: every (sku, location, bucket) key id that the ledger or a snapshot
 * knows, with one Float64Array of quantities per source, indexed by key id.
 */
import type { Intake } from '../normalize/intake.ts';
import type { Expected } from '../ledger/expected.ts';
import { keyId } from '../model/skuloc.ts';

export type KeySpace = {
  /** Number of key ids (skuLocs × 4). */
  size: number;
  /** 1 where the ledger or any snapshot has the key. */
  known: Uint8Array;
  expected: Float64Array;
  /** Per source index: quantity per key, or undefined when the source has no snapshot ≤ T. */
  quantities: (Float64Array | undefined)[];
};

export function buildKeySpace(
  intake: Intake,
  asOfMs: number,
  ledger: Expected,
  skus?: Set<number>,
): KeySpace {
  const t = intake.positions;
  const size = intake.skuLocs.size * 4;
  const known = new Uint8Array(size);
  known.set(ledger.known.subarray(0, size));
  const expected = new Float64Array(size);
  expected.set(ledger.expected.subarray(0, size));
  const quantities: (Float64Array | undefined)[] = intake.ctx.sources.map(() => undefined);
  t.forEachLatest(asOfMs, (row) => {
    const src = t.src.get(row);
    // Before the sku filter: whether a source has a snapshot must not depend on the filter.
    const q = quantities[src] ?? (quantities[src] = new Float64Array(size));
    if (skus && !skus.has(t.sku.get(row))) return;
    const key = keyId(t.sl.get(row), t.bucket.get(row));
    q[key] = (q[key] as number) + t.qty.get(row);
    known[key] = 1;
  });
  return { size, known, expected, quantities };
}
