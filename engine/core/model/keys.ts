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
