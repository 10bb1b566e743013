/**
 * Balances per (sku, place, bucket). A place is a bin at WH-EAST (the bin-level WMS) and the
 * warehouse elsewhere; `rollUp` gives the warehouse-level view the ERP and channel see.
 */
import type { Bucket } from '../engine/core/model/types.ts';
import type { Movement, Warehouse } from './world.ts';

export type Book = Map<string, number>;

export const keyOf = (sku: string, place: string, bucket: Bucket) => `${sku}|${place}|${bucket}`;

export function warehouseOfPlace(place: string): Warehouse {
  return (place.startsWith('WH-EAST') ? 'WH-EAST' : place) as Warehouse;
}

export function add(book: Book, key: string, delta: number): void {
  book.set(key, (book.get(key) ?? 0) + delta);
}

export function get(book: Book, sku: string, place: string, bucket: Bucket): number {
  return book.get(keyOf(sku, place, bucket)) ?? 0;
}

/**
 * Applies a movement as its system of record books it. `withTransit` also moves transfers
 * through the destination's in_transit bucket, as the ERP shows them.
 */
export function apply(book: Book, m: Movement, withTransit = false, sign = 1): void {
  const place = m.bin ?? m.warehouse;
  const sku = m.sku.sku;
  if (m.type === 'cycle_count') return applyCount(book, m);
  if (m.from) add(book, keyOf(sku, place, m.from), -m.quantity * sign);
  if (m.to) add(book, keyOf(sku, place, m.to), m.quantity * sign);
  if (!withTransit) return;
  if (m.type === 'transfer_out' && m.counterpart) {
    add(book, keyOf(sku, m.counterpart, 'in_transit'), m.quantity * sign);
  }
  if (m.type === 'transfer_in')
    add(book, keyOf(sku, m.warehouse, 'in_transit'), -m.quantity * sign);
}

/** A count sets the counted bucket to the counted quantity (the difference is shrinkage/found). */
function applyCount(book: Book, m: Movement): void {
  const bucket = m.to ?? 'sellable';
  book.set(keyOf(m.sku.sku, m.bin ?? m.warehouse, bucket), m.quantity);
}

/** Sums bins into their warehouse. */
export function rollUp(book: Book): Book {
  const out: Book = new Map();
  for (const [key, qty] of book) {
    const [sku, place, bucket] = key.split('|') as [string, string, Bucket];
    add(out, keyOf(sku, warehouseOfPlace(place), bucket), qty);
  }
  return out;
}
