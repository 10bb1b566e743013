/**
 * Packing of (sku, location, bucket) into one number so maps and joins use numeric keys.
 * sku and location are interned ids; 2^53 leaves room for 2^35 skus at 2^16 locations.
 */
import { BUCKETS, type Bucket } from './types.ts';

export const LOCATION_CAPACITY = 65536;
export const BUCKET_COUNT = 4;

const bucketIndex = new Map<string, number>(BUCKETS.map((b, i) => [b, i]));

export function bucketId(bucket: Bucket): number {
  return bucketIndex.get(bucket) as number;
}

export function bucketOf(id: number): Bucket {
  return BUCKETS[id] as Bucket;
}

export function packKey(sku: number, location: number, bucket: number): number {
  return (sku * LOCATION_CAPACITY + location) * BUCKET_COUNT + bucket;
}

/** Key of (sku, location) regardless of bucket. */
export function packSkuLocation(sku: number, location: number): number {
  return sku * LOCATION_CAPACITY + location;
}

export function keySku(key: number): number {
  return Math.floor(key / (LOCATION_CAPACITY * BUCKET_COUNT));
}

export function keyLocation(key: number): number {
  return Math.floor(key / BUCKET_COUNT) % LOCATION_CAPACITY;
}

export function keyBucket(key: number): number {
  return key % BUCKET_COUNT;
}
