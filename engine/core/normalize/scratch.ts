/**
 * Zeroed arrays for the scoped (incremental) runs of one intake, reused from run to run. A run
 * over a few keys writes only the entries of its skus, so giving the arrays back means zeroing
 * those entries, not the millions of others: one event at a million keys no longer allocates
 * (and leaves to the collector) ~160 MB of per-key arrays.
 */
export type Allocator = {
  /** A zeroed array of `length`; `unit` entries per (sku, location) id (4 per key array, 1 per pair). */
  floats(length: number, unit: number): Float64Array;
  bytes(length: number, unit: number): Uint8Array;
};

type Lent = { array: Float64Array | Uint8Array; unit: number };

export const FRESH: Allocator = {
  floats: (length) => new Float64Array(length),
  bytes: (length) => new Uint8Array(length),
};

export class ScratchPool {
  private readonly floatPool: Float64Array[] = [];
  private readonly bytePool: Uint8Array[] = [];
  private lent: Lent[] = [];
  private busy = false;

  /**
   * The pool while no other run holds it (runs may overlap: reconcile is async), else fresh
   * arrays. `done(pairs)` zeroes what the run could have written: the entries of those
   * (sku, location) ids.
   */
  lease(): { alloc: Allocator; done: (pairs: number[]) => void } {
    if (this.busy) return { alloc: FRESH, done: () => {} };
    this.busy = true;
    let floats = 0;
    let bytes = 0;
    const take = <A extends Float64Array | Uint8Array>(
      pool: A[],
      index: number,
      length: number,
      unit: number,
      make: (n: number) => A,
    ): A => {
      let array = pool[index];
      if (!array || array.length < length) {
        array = make(Math.ceil(length * 1.25) + 16);
        pool[index] = array;
      }
      this.lent.push({ array, unit });
      return array.subarray(0, length) as A;
    };
    const alloc: Allocator = {
      floats: (length, unit) =>
        take(this.floatPool, floats++, length, unit, (n) => new Float64Array(n)),
      bytes: (length, unit) => take(this.bytePool, bytes++, length, unit, (n) => new Uint8Array(n)),
    };
    const done = (pairs: number[]) => {
      for (const { array, unit } of this.lent) {
        for (const pair of pairs) array.fill(0, pair * unit, pair * unit + unit);
      }
      this.lent = [];
      this.busy = false;
    };
    return { alloc, done };
  }
}
