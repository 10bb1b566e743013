import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createShopifyClient } from '../../connectors/shopify/client.ts';
import { INVENTORY_ITEMS, ADJUST } from '../../connectors/shopify/queries.ts';
import { startFakeShopify, type FakeShopify } from '../fakes/shopify-server.ts';
import { item, level, LOC_MAIN, TOKEN } from './shopify-support.ts';

let fake: FakeShopify;
let waits: number[];

beforeEach(async () => {
  waits = [];
  fake = await startFakeShopify({
    token: TOKEN,
    state: { items: [item(1, 'A', [level(LOC_MAIN, { available: 1 })])] },
  });
});
afterEach(() => fake.close());

const client = (maxAttempts = 4) =>
  createShopifyClient({
    endpoint: fake.endpoint,
    token: TOKEN,
    maxAttempts,
    baseDelayMs: 10,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
const vars = { first: 10, after: null, names: ['available'] };

describe('shopify client', () => {
  it('waits as long as Retry-After says after HTTP 429', async () => {
    fake.inject({ kind: 'http429', retryAfterSeconds: 2 });
    const res = await client().request(INVENTORY_ITEMS, vars);
    expect(res.data.inventoryItems).toBeDefined();
    expect(waits).toEqual([2000]);
  });

  it('waits for the cost bucket to refill after THROTTLED', async () => {
    // 50 points missing at a restore rate of 100 per second: half a second.
    fake.inject({
      kind: 'throttled',
      currentlyAvailable: 10,
      requestedQueryCost: 60,
      restoreRate: 100,
    });
    await client().request(INVENTORY_ITEMS, vars);
    expect(waits).toEqual([500]);
  });

  it('backs off exponentially on 5xx and gives up with a retryable code', async () => {
    for (let i = 0; i < 3; i++) fake.inject({ kind: 'http500' });
    const err = await client(3)
      .request(INVENTORY_ITEMS, vars)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SHOPIFY_RETRIES_EXHAUSTED', retryable: true });
    expect((err as Error).message).toContain('HTTP 500');
    expect(waits).toEqual([10, 20, 40]);
  });

  it('does not resend a mutation whose response was lost', async () => {
    fake.inject({ kind: 'dropAfterApply' });
    const input = {
      name: 'available',
      reason: 'correction',
      referenceDocumentUri: 'tally://correction/k1',
      changes: [
        {
          delta: 1,
          inventoryItemId: 'gid://shopify/InventoryItem/1',
          locationId: LOC_MAIN,
          changeFromQuantity: 1,
        },
      ],
    };
    const err = await client()
      .request(ADJUST, { input }, { retryUnknown: false })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SHOPIFY_NETWORK', retryable: true });
    expect(fake.requests.length).toBe(1);
    expect(fake.state.adjustments.length).toBe(1);
  });

  it('reports a 401 as an auth failure at once', async () => {
    fake.inject({ kind: 'http401' });
    await expect(client().request(INVENTORY_ITEMS, vars)).rejects.toMatchObject({
      code: 'SHOPIFY_AUTH',
    });
    expect(fake.requests.length).toBe(1);
  });
});
