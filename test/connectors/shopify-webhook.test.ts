import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  handleShopifyWebhook,
  shopifyClientFor,
  shopifyConnector,
  shopifySkuResolver,
  verifyShopifyHmac,
} from '../../connectors/shopify/index.ts';
import { InputError } from '../../engine/core/errors.ts';
import { startFakeShopify, type FakeShopify } from '../fakes/shopify-server.ts';
import { collect } from '../support/collect-sink.ts';
import {
  fulfilledOrder,
  item,
  level,
  LOC_MAIN,
  shopifySource,
  TOKEN,
  TOKEN_ENV,
} from './shopify-support.ts';

const SECRET = 'app-secret-for-tests';
const SECRET_ENV = 'TALLY_TEST_SHOPIFY_WEBHOOK_SECRET';
let fake: FakeShopify;

beforeEach(async () => {
  process.env[TOKEN_ENV] = TOKEN;
  process.env[SECRET_ENV] = SECRET;
  fake = await startFakeShopify({
    token: TOKEN,
    state: {
      items: [item(808950810, 'TEE-BLK-M', [level(LOC_MAIN, { available: 9 })])],
      orders: [fulfilledOrder(1, '2026-11-20T09:00:00Z')],
    },
  });
});
afterEach(async () => {
  await fake.close();
  delete process.env[TOKEN_ENV];
  delete process.env[SECRET_ENV];
});

const source = () => shopifySource({ endpoint: fake.endpoint, webhookSecretEnv: SECRET_ENV });
const sign = (body: Buffer, secret = SECRET) =>
  createHmac('sha256', secret).update(body).digest('base64');

// Shapes as Shopify documents the REST payloads of these topics.
const levelBody = Buffer.from(
  '{"inventory_item_id":808950810,"location_id":64001,"available":6,"updated_at":"2026-11-20T12:15:00-05:00","admin_graphql_api_id":"gid://shopify/InventoryLevel/64001?inventory_item_id=808950810"}',
);
const orderBody = Buffer.from(
  JSON.stringify({
    id: 1,
    name: '#1001',
    updated_at: '2026-11-20T09:00:00Z',
    fulfillments: [
      {
        id: 1,
        order_id: 1,
        status: 'success',
        created_at: '2026-11-20T09:00:00+00:00',
        location_id: 64001,
        line_items: [{ id: 11, sku: 'TEE-BLK-M', quantity: 2, variant_id: 5 }],
      },
    ],
  }),
);

async function deliver(topic: string, body: Buffer, hmac: string | undefined) {
  const client = shopifyClientFor(source());
  const headers = { 'x-shopify-topic': topic, ...(hmac ? { 'x-shopify-hmac-sha256': hmac } : {}) };
  return handleShopifyWebhook(source(), { headers, rawBody: body }, shopifySkuResolver(client));
}

describe('shopify webhook HMAC', () => {
  it('accepts the signature of the raw body and refuses others', () => {
    expect(verifyShopifyHmac(levelBody, sign(levelBody), SECRET)).toBe(true);
    expect(verifyShopifyHmac(levelBody, sign(levelBody, 'other-secret'), SECRET)).toBe(false);
    expect(verifyShopifyHmac(levelBody, 'not base64 at all', SECRET)).toBe(false);
    expect(verifyShopifyHmac(levelBody, undefined, SECRET)).toBe(false);
  });

  it('refuses a tampered body with a coded error', async () => {
    const tampered = Buffer.from(levelBody.toString().replace('"available":6', '"available":60'));
    const err = await deliver('inventory_levels/update', tampered, sign(levelBody)).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect(err).toMatchObject({ code: 'SHOPIFY_WEBHOOK_SIGNATURE' });
  });

  it('refuses a delivery without the header', async () => {
    await expect(deliver('inventory_levels/update', levelBody, undefined)).rejects.toThrow(
      /header missing/,
    );
  });
});

describe('shopify webhook payloads', () => {
  it('reads inventory_levels/update as an available position, SKU looked up by item id', async () => {
    const res = await deliver('inventory_levels/update', levelBody, sign(levelBody));
    expect(res.positions).toEqual([
      {
        source: 'shopify-main',
        sku: 'TEE-BLK-M',
        location: LOC_MAIN,
        status: 'available',
        quantity: 6,
        asOf: '2026-11-20T17:15:00.000Z',
      },
    ]);
  });

  it('reads an orders webhook into the same event the GraphQL pull produces', async () => {
    const res = await deliver('orders/fulfilled', orderBody, sign(orderBody));
    const pulled = collect();
    await shopifyConnector.read({ source: source(), dataDir: '.' }, pulled.sink);
    expect(res.events.map((e) => e.sourceEventId)).toEqual(
      pulled.events.map((e) => e.sourceEventId),
    );
    expect(res.events[0]).toMatchObject({
      type: 'shipment',
      sku: 'TEE-BLK-M',
      quantity: 2,
      fromStatus: 'committed',
    });
  });

  it('rejects a malformed payload naming the field', async () => {
    const body = Buffer.from(
      '{"inventory_item_id":"808950810","location_id":64001,"available":6,"updated_at":"2026-11-20T12:15:00Z"}',
    );
    await expect(deliver('inventory_levels/update', body, sign(body))).rejects.toMatchObject({
      code: 'SHOPIFY_WEBHOOK_PAYLOAD',
      message: expect.stringContaining('inventory_item_id: expected an integer, got "808950810"'),
    });
  });

  it('says which level it took no position from: an untracked item', async () => {
    const untracked = Buffer.from(
      levelBody.toString().replace('"available":6', '"available":null'),
    );
    const res = await deliver('inventory_levels/update', untracked, sign(untracked));
    expect(res.positions).toEqual([]);
    expect(res.problems).toEqual([
      `inventory item gid://shopify/InventoryItem/808950810 at ${LOC_MAIN}: available is null (Shopify tracks no quantity for it); no position taken`,
    ]);
  });

  it('names a level at a location the source does not read, and takes nothing from it', async () => {
    const src = shopifySource({
      endpoint: fake.endpoint,
      webhookSecretEnv: SECRET_ENV,
      locations: { 'gid://shopify/Location/64002': 'OUTLET' },
    });
    const client = shopifyClientFor(src);
    const at = async (topic: string, body: Buffer) =>
      handleShopifyWebhook(
        src,
        {
          headers: { 'x-shopify-topic': topic, 'x-shopify-hmac-sha256': sign(body) },
          rawBody: body,
        },
        shopifySkuResolver(client),
      );
    const lvl = await at('inventory_levels/update', levelBody);
    expect(lvl.positions).toEqual([]);
    expect(lvl.problems).toEqual([]);
    expect(lvl.outside).toEqual([
      `inventory item gid://shopify/InventoryItem/808950810 at ${LOC_MAIN}: the location is not in settings.locations, which lists the ones this source reads; not read`,
    ]);
    // no SKU lookup for a level the source does not read
    expect(fake.requests.length).toBe(0);
    const order = await at('orders/fulfilled', orderBody);
    expect(order.events).toEqual([]);
    expect(order.outside).toEqual([
      `fulfillment gid://shopify/Fulfillment/1 line gid://shopify/LineItem/11 (order #1001) at ${LOC_MAIN}: the location is not in settings.locations, which lists the ones this source reads; not read`,
    ]);
  });

  it('rejects a topic it does not read', async () => {
    const body = Buffer.from('{}');
    await expect(deliver('products/update', body, sign(body))).rejects.toMatchObject({
      code: 'SHOPIFY_WEBHOOK_TOPIC',
    });
  });
});
