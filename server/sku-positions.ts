/**
 * `/tally sku`: what each source reports for one SKU now, read from the live ledger's intake
 * (the data folder as the last run read it, plus every event and position received since):
 * per source, compare location and bucket, the latest snapshot rows summed.
 */
import type { Intake } from '../engine/core/normalize/intake.ts';
import { bucketOf } from '../engine/core/model/keys.ts';
import type { SkuPosition } from '../bot/context.ts';

export function positionsOfSku(intake: Intake, sku: string, location?: string): SkuPosition[] {
  intake.flush();
  const skuId = intake.skus.find(sku);
  if (skuId === undefined) return [];
  const t = intake.positions;
  const sums = new Map<string, SkuPosition>();
  for (let i = 0; i < t.length; i++) {
    if (t.sku.get(i) !== skuId || t.superseded.get(i) === 1) continue;
    const where = intake.locations.value(t.cmp.get(i));
    if (location !== undefined && where !== location) continue;
    const source = intake.ctx.sources[t.src.get(i)]?.def.id ?? '?';
    const bucket = bucketOf(t.bucket.get(i));
    const key = `${where}|${bucket}|${source}`;
    const row = sums.get(key) ?? { source, location: where, bucket, quantity: 0 };
    row.quantity += t.qty.get(i);
    sums.set(key, row);
  }
  return [...sums.values()].sort(
    (a, b) =>
      a.location.localeCompare(b.location) ||
      a.bucket.localeCompare(b.bucket) ||
      a.source.localeCompare(b.source),
  );
}
