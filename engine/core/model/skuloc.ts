/**
 * Dense ids for (sku, compare location) pairs. A key (sku, location, bucket) is then
 * `id × 4 + bucket`: a plain array index, so the compare and the ledger use typed arrays
 * instead of maps keyed by large numbers (which V8 boxes and hashes slowly).
 */
import { IntColumn } from './intern.ts';
import { BUCKET_COUNT } from './keys.ts';

export class SkuLocIndex {
  readonly skuOf = new IntColumn();
  readonly locOf = new IntColumn();
  /** Next pair of the same sku, or -1; the per-sku lists are short (a few locations). */
  private readonly next = new IntColumn();
  private readonly firstBySku = new IntColumn();

  get size(): number {
    return this.skuOf.length;
  }

  find(sku: number, loc: number): number | undefined {
    if (sku >= this.firstBySku.length) return undefined;
    for (let id = this.firstBySku.get(sku); id >= 0; id = this.next.get(id)) {
      if (this.locOf.get(id) === loc) return id;
    }
    return undefined;
  }

  /** Every (sku, location) id of one sku. */
  ofSku(sku: number): number[] {
    const out: number[] = [];
    if (sku >= this.firstBySku.length) return out;
    for (let id = this.firstBySku.get(sku); id >= 0; id = this.next.get(id)) out.push(id);
    return out;
  }

  id(sku: number, loc: number): number {
    const found = this.find(sku, loc);
    if (found !== undefined) return found;
    while (this.firstBySku.length <= sku) this.firstBySku.push(-1);
    const id = this.skuOf.push(sku);
    this.locOf.push(loc);
    this.next.push(this.firstBySku.get(sku));
    this.firstBySku.set(sku, id);
    return id;
  }
}

export const keyId = (skuLoc: number, bucket: number) => skuLoc * BUCKET_COUNT + bucket;
