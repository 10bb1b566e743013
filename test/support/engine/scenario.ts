/**
 * A small builder of raw inputs around the demo deployment, for tests: SKU-1 (apparel) and
 * SKU-2 (beverage) with 100 sellable at WH-EAST in every source, unless a test changes that.
 */
import type { RawEvent, RawPosition } from '../../../engine/core/model/types.ts';
import type { Intake } from '../../../engine/core/normalize/intake.ts';
import type { LiveRefusal, RejectedRow } from '../../../engine/core/normalize/incomplete.ts';

export const AS_OF = '2026-11-21T23:00:00Z';
export const OPENING_AT = '2026-11-15T00:00:00Z';
const T = Date.parse(AS_OF);

/** ISO time `hours` before the run time. */
export const hoursBefore = (hours: number) => new Date(T - hours * 3_600_000).toISOString();

export const ITEMS = {
  'SKU-1': { skuClass: 'apparel', unitCost: '10' },
  'SKU-2': { skuClass: 'beverage', unitCost: '2' },
  'SKU-3': { skuClass: 'apparel', unitCost: '10' },
};

const EAST = { erp: 'East DC - TC', 'wms-east': 'WH-EAST-A-01', shop: 'gid://shopify/Location/1' };
const SELLABLE = { erp: 'Unrestricted', 'wms-east': 'AVAILABLE', shop: 'available' };

export type EastSource = keyof typeof EAST;

export function eastPosition(
  source: EastSource,
  sku: string,
  quantity: number,
  over: Partial<RawPosition> = {},
): RawPosition {
  return {
    source,
    sku,
    location: EAST[source],
    status: SELLABLE[source],
    quantity,
    asOf: AS_OF,
    ...over,
  };
}

let counter = 0;
export function event(over: Partial<RawEvent> & Pick<RawEvent, 'source' | 'type'>): RawEvent {
  counter++;
  return {
    sourceEventId: `E${counter}`,
    sku: 'SKU-1',
    location: over.source === 'erp' ? 'East DC - TC' : 'WH-EAST-A-01',
    quantity: 1,
    occurredAt: hoursBefore(48),
    ...over,
  };
}

/** Baseline: opening 100 sellable per sku in the WMS; every source reports `quantity` unless overridden. */
export function baseline(intake: Intake, skus: string[], skip: Set<string> = new Set()): void {
  for (const sku of skus) {
    intake.opening(eastPosition('wms-east', sku, 100, { asOf: OPENING_AT }));
    for (const source of ['erp', 'wms-east', 'shop'] as const) {
      if (!skip.has(`${source}:${sku}`)) intake.position(eastPosition(source, sku, 100));
    }
  }
}

/**
 * The refusal the Shopify webhook makes of an untracked level (`available: null`) of `sku` at
 * WH-EAST, as of `asOf`; without a time, the same refused row as a file's.
 */
export function untrackedLevel(sku: string, asOf: string): LiveRefusal;
export function untrackedLevel(sku: string, asOf?: string): RejectedRow;
export function untrackedLevel(sku: string, asOf?: string): RejectedRow {
  return {
    file: 'webhook:inventory_levels/update',
    line: 1,
    reason: 'available is null (Shopify tracks no quantity for it)',
    raw: '{}',
    source: 'shop',
    kind: 'positions',
    sku,
    location: EAST.shop,
    ...(asOf === undefined ? {} : { asOf }),
  };
}
