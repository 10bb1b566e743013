import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { shopifyConnector } from '../../connectors/shopify/index.ts';
import { ExternalError, InputError } from '../../engine/core/errors.ts';
import { startFakeShopify, type FakeShopify } from '../fakes/shopify-server.ts';
import { collect } from '../support/collect-sink.ts';
import {
  fulfilledOrder,
  item,
  level,
  LOC_MAIN,
  LOC_OUTLET,
  shopifySource,
  TOKEN,
  TOKEN_ENV,
} from './shopify-support.ts';

let fake: FakeShopify;

beforeEach(async () => {
  process.env[TOKEN_ENV] = TOKEN;
  fake = await startFakeShopify({
    token: TOKEN,
    state: {
      items: [
        item(1, 'TEE-BLK-M', [
          level(LOC_MAIN, { available: 10, committed: 2, reserved: 1, damaged: 1, incoming: 5 }),
          level(LOC_OUTLET, { available: 3 }),
        ]),
        item(2, 'TEE-BLK-L', [
          level(LOC_MAIN, { available: 7, quality_control: 2, safety_stock: 1 }),
        ]),
        item(3, null, [level(LOC_MAIN, { available: 1 })]),
        item(4, 'MUG-01', [level(LOC_MAIN, { available: 4 })]),
        item(5, 'MUG-02', [level(LOC_MAIN, { available: 6 })]),
      ],
      orders: [
        fulfilledOrder(1, '2026-11-20T09:00:00Z'),
        fulfilledOrder(2, '2026-11-20T09:30:00Z', 'CANCELLED'),
      ],
    },
  });
});

afterEach(async () => {
  await fake.close();
  delete process.env[TOKEN_ENV];
});

const ctxFor = (settings: Record<string, unknown>, cursor?: string) => ({
  source: shopifySource({ endpoint: fake.endpoint, pageSize: 2, ...settings }),
  dataDir: '.',
  cursor,
});

describe('shopify read', () => {
  it('reads every named quantity of every level, across pages, on_hand under its own name', async () => {
    const c = collect();
    const result = await shopifyConnector.read(ctxFor({}), c.sink);
    const tee = c.positions.filter((p) => p.sku === 'TEE-BLK-M' && p.location === LOC_MAIN);
    const byStatus = Object.fromEntries(tee.map((p) => [p.status, p.quantity]));
    expect(byStatus).toEqual({
      available: 10,
      committed: 2,
      reserved: 1,
      on_hand: 14,
      incoming: 5,
      damaged: 1,
      quality_control: 0,
      safety_stock: 0,
    });
    expect(new Set(c.positions.map((p) => p.sku))).toEqual(
      new Set(['TEE-BLK-M', 'TEE-BLK-L', 'MUG-01', 'MUG-02']),
    );
    expect(
      c.positions.every((p) => p.source === 'shopify-main' && Number.isInteger(p.quantity)),
    ).toBe(true);
    // 5 items at 2 per page: three inventory pages were fetched.
    expect(fake.requests.filter((r) => r.query.includes('inventoryItems(')).length).toBe(3);
    expect(result.files[0]).toMatchObject({ read: 5, accepted: 4, rejected: 1 });
    expect(result.files[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects an item without a SKU and a quantity that is not an integer, keeping the rest', async () => {
    fake.state.items[3]!.levels[0]!.quantities.available = 2.5;
    const c = collect();
    await shopifyConnector.read(ctxFor({}), c.sink);
    expect(c.rejects.map((r) => r.reason)).toEqual([
      'inventory item gid://shopify/InventoryItem/3 has no SKU',
      expect.stringMatching(/quantities\[0\]\.quantity: expected an integer, got 2\.5/),
    ]);
    expect(c.positions.some((p) => p.sku === 'MUG-01')).toBe(false);
    expect(c.positions.some((p) => p.sku === 'MUG-02')).toBe(true);
  });

  it('follows an item stocked at more locations than one page of levels holds', async () => {
    const levels = Array.from({ length: 53 }, (_, i) =>
      level(`gid://shopify/Location/${70000 + i}`, { available: i }),
    );
    fake.state.items = [item(9, 'WIDE-1', levels)];
    const c = collect();
    await shopifyConnector.read(ctxFor({}), c.sink);
    const available = c.positions.filter((p) => p.status === 'available');
    expect(available.length).toBe(53);
    expect(available.at(-1)).toMatchObject({
      location: 'gid://shopify/Location/70052',
      quantity: 52,
    });
    expect(fake.requests.filter((r) => r.query.includes('TallyItemLevels')).length).toBe(1);
  });

  it('maps locations and reads only the mapped ones, counting what it leaves out', async () => {
    const c = collect();
    const r = await shopifyConnector.read(
      ctxFor({ locations: { [LOC_OUTLET]: 'OUTLET' } }),
      c.sink,
    );
    expect(new Set(c.positions.map((p) => p.location))).toEqual(new Set(['OUTLET']));
    expect(c.events).toEqual([]);
    // the levels and the shipped line at the main location are not read, and the summary says so
    const [inventory, orders] = r.files;
    expect(inventory!.notes).toContain(
      `4 inventory levels at a location not in settings.locations were not read (the source reads only the locations listed there): ${LOC_MAIN} (4)`,
    );
    expect(orders!.notes).toEqual([
      `1 fulfilled line at a location not in settings.locations were not read (the source reads only the locations listed there): ${LOC_MAIN} (1)`,
    ]);
  });

  it('notes nothing left out when every location is read', async () => {
    const r = await shopifyConnector.read(ctxFor({}), collect().sink);
    expect(r.files.flatMap((f) => f.notes ?? []).join('\n')).not.toContain('settings.locations');
  });

  it('reads successful fulfillments as shipment events and pulls incrementally by cursor', async () => {
    const first = collect();
    const r1 = await shopifyConnector.read(ctxFor({}), first.sink);
    expect(first.events).toEqual([
      expect.objectContaining({
        sourceEventId: 'fulfillment:1:line:11',
        type: 'shipment',
        sku: 'TEE-BLK-M',
        location: LOC_MAIN,
        fromStatus: 'committed',
        quantity: 2,
        occurredAt: '2026-11-20T09:00:00.000Z',
        reference: '#1001',
      }),
    ]);
    expect(JSON.parse(r1.cursor!)).toEqual({ ordersUpdatedAt: '2026-11-20T09:30:00Z' });

    fake.state.orders.push(fulfilledOrder(3, '2026-11-20T11:00:00Z'));
    const second = collect();
    const r2 = await shopifyConnector.read(ctxFor({}, r1.cursor), second.sink);
    expect(second.events.map((e) => e.sourceEventId)).toEqual(['fulfillment:3:line:31']);
    expect(JSON.parse(r2.cursor!)).toEqual({ ordersUpdatedAt: '2026-11-20T11:00:00Z' });
  });

  it('rejects a cursor it did not write', async () => {
    await expect(
      shopifyConnector.read(ctxFor({}, 'not-json'), collect().sink),
    ).rejects.toMatchObject({
      code: 'SHOPIFY_CURSOR',
    });
  });

  it('retries after HTTP 429 and a THROTTLED answer, then completes', async () => {
    fake.inject({ kind: 'http429', retryAfterSeconds: 0 });
    fake.inject({
      kind: 'throttled',
      currentlyAvailable: 0,
      requestedQueryCost: 1,
      restoreRate: 100,
    });
    const c = collect();
    await shopifyConnector.read(ctxFor({}), c.sink);
    expect(fake.requests.slice(0, 3).map((r) => r.status)).toEqual([429, 200, 200]);
    expect(c.positions.length).toBe(4 * 8 + 8);
  });

  it('turns HTTP 401 into an ExternalError with an auth code, without the token in the message', async () => {
    process.env[TOKEN_ENV] = 'wrong-token';
    const err = await shopifyConnector.read(ctxFor({}), collect().sink).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExternalError);
    expect(err).toMatchObject({ code: 'SHOPIFY_AUTH', system: 'shopify' });
    expect((err as Error).message).not.toContain('wrong-token');
  });

  it('fails with a configuration error when the token variable is not set', async () => {
    delete process.env[TOKEN_ENV];
    const err = await shopifyConnector.read(ctxFor({}), collect().sink).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err).toMatchObject({ code: 'SHOPIFY_TOKEN_MISSING' });
    expect((err as Error).message).toContain(TOKEN_ENV);
  });
});

describe('shopify checkSettings', () => {
  it('accepts a shop domain with a token variable', () => {
    expect(
      shopifyConnector.checkSettings(shopifySource({ shopDomain: 'acme.myshopify.com' })),
    ).toEqual([]);
  });

  it('returns every problem at once', () => {
    const problems = shopifyConnector.checkSettings(
      shopifySource({
        accessTokenEnv: 'shpat_abc',
        apiVersion: 'latest',
        locations: { 'Location/1': 'X' },
        pageSize: 500,
      }),
    );
    expect(problems).toEqual([
      expect.stringContaining('set shopDomain or endpoint'),
      expect.stringContaining('accessTokenEnv: expected the NAME of an environment variable'),
      expect.stringContaining('apiVersion'),
      expect.stringContaining('locations.Location/1'),
      expect.stringContaining('pageSize'),
    ]);
    expect(problems[0]).toContain('rules/sources.yaml:12');
  });
});
