/** Shared set-up for the Shopify connector tests: a source and documented data. */
import type { SourceDef } from '../../engine/core/rules/types.ts';
import type { FakeItem, FakeOrder } from '../fakes/shopify-server.ts';

export const TOKEN = 'shpat_test_token_value';
export const TOKEN_ENV = 'TALLY_TEST_SHOPIFY_TOKEN';
export const LOC_MAIN = 'gid://shopify/Location/64001';
export const LOC_OUTLET = 'gid://shopify/Location/64002';

export function shopifySource(settings: Record<string, unknown>): SourceDef {
  return {
    id: 'shopify-main',
    connector: 'shopify',
    role: 'ecommerce',
    owner: 'ecom-ops',
    timezone: 'UTC',
    cutoffMinutes: 0,
    expectedLagMinutes: 15,
    systemOfRecord: ['channel_availability'],
    locations: [],
    group: 'default',
    files: [],
    file: 'rules/sources.yaml',
    line: 12,
    settings: { accessTokenEnv: TOKEN_ENV, ...settings },
  };
}

/** Quantities as Shopify documents them: on_hand = available+committed+reserved+damaged+qc+safety. */
export function level(locationId: string, q: Partial<Record<string, number>>) {
  const quantities: Record<string, number> = {
    available: 0,
    committed: 0,
    reserved: 0,
    damaged: 0,
    quality_control: 0,
    safety_stock: 0,
    incoming: 0,
    ...q,
  } as Record<string, number>;
  quantities.on_hand =
    quantities.available! +
    quantities.committed! +
    quantities.reserved! +
    quantities.damaged! +
    quantities.quality_control! +
    quantities.safety_stock!;
  return { locationId, updatedAt: '2026-11-20T10:00:00Z', quantities };
}

export function item(n: number, sku: string | null, levels: FakeItem['levels']): FakeItem {
  return { id: `gid://shopify/InventoryItem/${n}`, sku, updatedAt: '2026-11-20T10:00:00Z', levels };
}

export function fulfilledOrder(n: number, updatedAt: string, status = 'SUCCESS'): FakeOrder {
  return {
    id: `gid://shopify/Order/${n}`,
    name: `#${1000 + n}`,
    updatedAt,
    fulfillments: [
      {
        id: `gid://shopify/Fulfillment/${n}`,
        status,
        createdAt: updatedAt,
        locationId: LOC_MAIN,
        lines: [{ lineItemId: `gid://shopify/LineItem/${n}1`, sku: 'TEE-BLK-M', quantity: 2 }],
      },
    ],
  };
}
