/** Shared context of the injected causes: SKU picking, expectations and overrides. */
import type { Bucket } from '../engine/core/model/types.ts';
import { isMultiBin } from './flows.ts';
import { balanceOf, type Sim } from './sim.ts';
import type { TruthEntry } from './truth.ts';
import { homeBin, stocks, type Sku, type Warehouse } from './world.ts';

export type Delta = { sku: string; place: string; bucket: Bucket; delta: number };
/** How the ERP writes one stock row instead of its true quantity (unit-of-measure errors). */
export type ErpRowOverride = { quantity: number; uom: 'Nos' | 'Case' };

export type Overrides = {
  erp: Delta[];
  erpRows: Map<string, ErpRowOverride>;
  sorSnapshot: Delta[];
  shop: Delta[];
};

export type Ctx = { sim: Sim; used: Set<string>; truth: TruthEntry[]; overrides: Overrides };

export function pickSku(ctx: Ctx, ok: (s: Sku) => boolean): Sku {
  const pool = ctx.sim.catalog.filter((s) => !ctx.used.has(s.sku) && !isMultiBin(s) && ok(s));
  if (pool.length === 0) throw new Error('the catalog is too small for every injected cause');
  const sku = ctx.sim.rng.pick(pool);
  ctx.used.add(sku.sku);
  return sku;
}

export function expect(
  ctx: Ctx,
  sku: Sku,
  location: string,
  bucket: Bucket,
  source: string,
  cause: string,
  expected: TruthEntry['expected'],
  note: string,
) {
  ctx.truth.push({ sku: sku.sku, location, bucket, source, expected, cause, note });
}

export const place = (sku: Sku, wh: Warehouse) => (wh === 'WH-EAST' ? homeBin(sku) : wh);
export const expectedQty = (ctx: Ctx, sku: Sku, wh: Warehouse, bucket: Bucket) =>
  balanceOf(ctx.sim, sku, place(sku, wh), bucket);
export const hasStock = (ctx: Ctx, sku: Sku, wh: Warehouse, min = 15) =>
  stocks(sku, wh) && expectedQty(ctx, sku, wh, 'sellable') >= min;
