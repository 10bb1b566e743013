/**
 * The demo deployment the generator simulates (see the shared demo-deployment spec): the
 * catalog, the locations and the movement record every source's files are rendered from.
 */
import type { Bucket, EventType } from '../engine/core/model/types.ts';
import type { Rng } from './prng.ts';

export type SkuClass = 'apparel' | 'beverage' | 'electronics';
export type Sku = {
  sku: string;
  name: string;
  skuClass: SkuClass;
  unitCost: number;
  index: number;
};

export const CASE_SIZE = 12;
export const WAREHOUSES = ['WH-EAST', 'WH-WEST', 'STORE-NYC', 'STORE-SF'] as const;
export type Warehouse = (typeof WAREHOUSES)[number];

/**
 * The system that runs each building's movements (and whose time zone its day follows). It is
 * the building's book except at STORE-SF, whose book the rules make the ERP (systemsOfRecord):
 * the POS there is compared, and the injected causes that need a POS book use STORE-NYC.
 */
export const SOR: Record<Warehouse, 'wms-east' | '3pl-west' | 'pos'> = {
  'WH-EAST': 'wms-east',
  'WH-WEST': '3pl-west',
  'STORE-NYC': 'pos',
  'STORE-SF': 'pos',
};

export const TIME_ZONES = {
  erp: 'UTC',
  'wms-east': 'America/New_York',
  '3pl-west': 'America/Los_Angeles',
  shop: 'UTC',
  pos: 'America/New_York',
} as const;

/** Event types that need a counterpart in the ERP (and, for web orders, in the shop). */
export const MATCHED_TYPES: ReadonlySet<EventType> = new Set([
  'receipt',
  'shipment',
  'transfer_out',
  'transfer_in',
  'return',
  'adjustment',
]);

export const BINS: readonly string[] = ['A', 'B'].flatMap((zone) =>
  Array.from({ length: 10 }, (_, i) => `WH-EAST-${zone}-${String(i + 1).padStart(2, '0')}`),
);

export function skuId(index: number): string {
  return `SKU-${String(index).padStart(5, '0')}`;
}

export function shopAlias(sku: string): string {
  return `gid://shopify/InventoryItem/${1_000_000 + Number(sku.slice(4))}`;
}

const CLASSES: readonly SkuClass[] = ['apparel', 'beverage', 'electronics'];
const NAMES: Record<SkuClass, readonly string[]> = {
  apparel: ['Crew Tee', 'Hoodie', 'Rain Jacket', 'Wool Socks', 'Cap'],
  beverage: ['Cold Brew', 'Sparkling Water', 'Ginger Ale', 'Oat Latte'],
  electronics: ['USB-C Cable', 'Earbuds', 'Power Bank', 'Smart Plug'],
};
const COSTS: Record<SkuClass, [number, number]> = {
  apparel: [8, 60],
  beverage: [1, 4],
  electronics: [10, 120],
};

export function makeCatalog(rng: Rng, count: number): Sku[] {
  return Array.from({ length: count }, (_, i) => {
    const skuClass = CLASSES[i % CLASSES.length]!;
    const [lo, hi] = COSTS[skuClass];
    return {
      sku: skuId(i + 1),
      name: `${rng.pick(NAMES[skuClass])} ${i + 1}`,
      skuClass,
      unitCost: rng.int(lo * 100, hi * 100) / 100,
      index: i,
    };
  });
}

/** Electronics are not sold in the San Francisco store: keys there must stay empty. */
export function stocks(sku: Sku, warehouse: Warehouse): boolean {
  return !(sku.skuClass === 'electronics' && warehouse === 'STORE-SF');
}

export function homeBin(sku: Sku): string {
  return BINS[sku.index % BINS.length]!;
}

/**
 * One real-world movement, as its system of record saw it, plus how the other systems recorded
 * it. Quantities are base units; `bin` is set at WH-EAST (the bin-level WMS).
 */
export type Movement = {
  id: string;
  type: EventType;
  sku: Sku;
  warehouse: Warehouse;
  bin?: string;
  from?: Bucket;
  to?: Bucket;
  quantity: number;
  occurredMs: number;
  recordedMs: number;
  reference: string;
  counterpart?: Warehouse;
  reason?: string;
  /** ERP posting time; null when the ERP has not posted it. Only for MATCHED_TYPES. */
  erpMs: number | null;
  /** Extra ERP postings of the same movement under new ids (duplicates). */
  erpDuplicates?: number;
  /** The duplicates' voucher number (default: the same document) and posting delay (1 h). */
  erpDuplicateReference?: string;
  erpDuplicateDelayMs?: number;
  /** Shop fulfillment/restock time for web orders; null when the shop lacks it. */
  shopMs?: number | null;
  /** Source file order: written after all other events of the source (out of order). */
  appendLast?: boolean;
};

/** An ERP entry no system of record knows about (a manual adjustment in the wrong system). */
export type ErpOnlyEntry = {
  id: string;
  type: EventType;
  sku: Sku;
  warehouse: Warehouse;
  from?: Bucket;
  to?: Bucket;
  quantity: number;
  postedMs: number;
  reference: string;
};
