/**
 * The comparison table: every (sku, location, bucket) key id that the ledger or a snapshot
 * knows, with one Float64Array of quantities per source, indexed by key id.
 */
import type { Intake } from '../normalize/intake.ts';
import type { Expected } from '../ledger/expected.ts';
import { keyId } from '../model/skuloc.ts';
import { forEachLatestOf, intakeIndex, type RowScope } from '../normalize/sku-rows.ts';

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
  scope?: RowScope,
): KeySpace {
  const t = intake.positions;
  const size = intake.skuLocs.size * 4;
  // The ledger's own arrays (the run reads them only through here): no copy of every key.
  const known = fit(ledger.known, size, Uint8Array);
  const expected = fit(ledger.expected, size, Float64Array);
  const quantities: (Float64Array | undefined)[] = intake.ctx.sources.map(() => undefined);
  // Whether a source has a snapshot must not depend on the sku filter.
  if (scope) {
    const first = intakeIndex(intake).firstPositionAt;
    for (const [src, at] of first.entries()) {
      if (at !== undefined && at <= asOfMs) quantities[src] = new Float64Array(size);
    }
  }
  forEachLatestOf(t, asOfMs, scope?.positions, (row) => {
    const src = t.src.get(row);
    const q = quantities[src] ?? (quantities[src] = new Float64Array(size));
    const key = keyId(t.sl.get(row), t.bucket.get(row));
    q[key] = (q[key] as number) + t.qty.get(row);
    known[key] = 1;
  });
  return { size, known, expected, quantities };
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
