/**
 * A rejected row leaves its key incomplete, whatever reader refused it — the live and API-shaped
 * readers here (Shopify saved responses and live pulls, the SQL query set; the file-shaped ones
 * are in connector-rejects.test.ts)
 * hand the sku and location of what they refuse to the same bookkeeping as the CSV reader, so
 * the key is "not compared: N rejected rows", never a variance against a missing row. Each
 * world is written by hand in the vendor's documented shape.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileFolder } from '../../server/pipeline.ts';
import { describeNotCompared } from '../../cli/render/completeness.ts';
import type { RunResult } from '../../engine/core/recon/types.ts';
import { startFakeShopify, type FakeItem, type FakeShopify } from '../fakes/shopify-server.ts';
import {
  closeErpEngine,
  createErpnextTables,
  erpEngines,
  openErpEngine,
  tableOf,
  type ErpEngine,
} from '../connectors/sql-tables.ts';
import {
  AS_OF,
  ERP_SOURCE,
  ITEMS,
  WMS_OPENING,
  WMS_SOURCE,
  erpBin,
  sources,
  world,
  type World,
} from './world.ts';

const cwd = process.cwd();
beforeAll(() => process.chdir(mkdtempSync(join(tmpdir(), 'tally-home-'))));
afterAll(() => process.chdir(cwd));

const run = async (w: World) =>
  (await reconcileFolder({ rulesDir: w.rules, dataDir: w.data, asOf: AS_OF })).run;

const keysOf = (r: RunResult, sku: string) =>
  r.results.filter((k) => k.sku === sku).map((k) => `${k.source} ${k.location} ${k.bucket}`);

const SHOP_OFFLINE = `
  - id: shop
    connector: shopify
    role: ecommerce
    owner: ecommerce-ops
    timezone: UTC
    cutoff: '23:00'
    group: nightly
    systemOfRecord: []
    locations: [WH-EAST]
    settings:
      inventoryFile: shopify/inventory-items.json
      inventoryAsOf: 2026-11-21T21:00:00Z
      itemKey: sku
`;

/** One saved inventoryItems response in the `edges { node }` form Shopify documents. */
function savedPage(items: { sku: string; available: unknown }[]): string {
  const edges = items.map((i, n) => ({
    node: {
      id: `gid://shopify/InventoryItem/${100 + n}`,
      sku: i.sku,
      inventoryLevels: {
        edges: [
          {
            node: {
              location: { id: 'gid://shopify/Location/1', name: 'East DC' },
              quantities: [
                { name: 'available', quantity: i.available },
                { name: 'committed', quantity: 0 },
              ],
            },
          },
        ],
        pageInfo: { hasNextPage: false, endCursor: null },
      },
    },
  }));
  return JSON.stringify(
    { data: { inventoryItems: { edges, pageInfo: { hasNextPage: false, endCursor: null } } } },
    null,
    2,
  );
}

describe('Shopify', () => {
  it('a refused item of a saved response leaves its key incomplete, not zero', async () => {
    const w = world(sources(ERP_SOURCE, WMS_SOURCE, SHOP_OFFLINE), {
      'erp/items.csv': ITEMS,
      'erp/bin.csv': erpBin([
        ['SKU-1', '22'],
        ['SKU-2', '1032'],
      ]),
      'wms-east/opening.csv': WMS_OPENING,
      'shopify/inventory-items.json': savedPage([
        { sku: 'SKU-1', available: 22 },
        // a quantity saved as text by a spreadsheet round trip
        { sku: 'SKU-2', available: '1,032' },
      ]),
    });
    const r = await run(w);
    expect(keysOf(r, 'SKU-2')).toEqual([]);
    expect(r.notCompared.map(describeNotCompared)).toEqual([
      'SKU-2 @ WH-EAST (shop) not compared: 1 rejected row (shopify/inventory-items.json:2)',
    ]);
    expect(keysOf(r, 'SKU-1')).toEqual([]);
    expect(r.summary.comparedBy?.find((c) => c.source === 'shop')?.matched).toBeGreaterThan(0);
  });

  describe('pulled live', () => {
    let shopify: FakeShopify;
    const TOKEN = 'shpat_connector_rejects';
    const ENV = `TALLY_TEST_SHOPIFY_TOKEN_${process.pid}`;
    beforeAll(async () => {
      process.env[ENV] = TOKEN;
      shopify = await startFakeShopify({ token: TOKEN });
    });
    afterAll(async () => {
      delete process.env[ENV];
      await shopify.close();
    });

    it('an item Shopify answers out of shape leaves its key incomplete, not zero', async () => {
      shopify.state.items = [
        fakeItem(1, 'SKU-1', 22),
        // a quantity out of its documented shape (an Int): the item is refused, the rest is read
        fakeItem(2, 'SKU-2', 1032.5),
      ];
      const live = `
  - id: shop
    connector: shopify
    role: ecommerce
    owner: ecommerce-ops
    timezone: UTC
    cutoff: '23:00'
    group: nightly
    systemOfRecord: []
    locations: [WH-EAST]
    settings:
      endpoint: ${shopify.endpoint}
      accessTokenEnv: ${ENV}
      maxAttempts: 1
`;
      const w = world(sources(ERP_SOURCE, WMS_SOURCE, live), {
        'erp/items.csv': ITEMS,
        'erp/bin.csv': erpBin([
          ['SKU-1', '22'],
          ['SKU-2', '1032'],
        ]),
        'wms-east/opening.csv': WMS_OPENING,
      });
      const r = (await reconcileFolder({ rulesDir: w.rules, dataDir: w.data })).run;
      expect(keysOf(r, 'SKU-2')).toEqual([]);
      expect(r.notCompared.map(describeNotCompared)).toEqual([
        `SKU-2 @ WH-EAST (shop) not compared: 1 rejected row (${shopify.endpoint}#inventoryItems:2)`,
      ]);
      expect(keysOf(r, 'SKU-1')).toEqual([]);
      expect(r.summary.comparedBy?.find((c) => c.source === 'shop')?.matched).toBeGreaterThan(0);
    });
  });
});

function fakeItem(n: number, sku: string, available: number): FakeItem {
  return {
    id: `gid://shopify/InventoryItem/${n}`,
    sku,
    updatedAt: '2026-11-21T20:00:00Z',
    levels: [
      {
        locationId: 'gid://shopify/Location/1',
        updatedAt: '2026-11-21T20:00:00Z',
        quantities: { available, committed: 0, on_hand: Math.floor(available) },
      },
    ],
  };
}

const SLE = (name: string, item: string, date: string | null, qty: number) => ({
  name,
  item_code: item,
  warehouse: 'East DC - TC',
  posting_date: date,
  posting_time: date === null ? null : '10:00:00',
  voucher_type: 'Delivery Note',
  voucher_no: `DN-${name}`,
  actual_qty: qty,
  stock_uom: 'Nos',
  is_cancelled: 0,
  creation: '2026-11-20 10:00:01.000000',
});

for (const factory of erpEngines(['postgres', 'sqlite'])) {
  describe(`the sql connector's ERPNext query set on ${factory.name}`, () => {
    let engine: ErpEngine;
    const env = `TALLY_TEST_REJECTS_${factory.name.toUpperCase()}_${process.pid}`;
    beforeAll(async () => {
      engine = await openErpEngine(factory, env, async (e) => {
        await createErpnextTables(e);
        await tableOf(e, 'tabBin').insert([
          { name: 'BIN-1', item_code: 'SKU-1', warehouse: 'East DC - TC', actual_qty: 22 },
          { name: 'BIN-2', item_code: 'SKU-2', warehouse: 'East DC - TC', actual_qty: 1032 },
        ]);
        await tableOf(e, 'tabStock Ledger Entry').insert([
          SLE('SLE-1', 'SKU-1', '2026-11-20', -1),
          SLE('SLE-2', 'SKU-1', '2026-11-20', 1),
          // an entry imported without its posting date: it cannot be placed in time
          SLE('SLE-3', 'SKU-2', null, -4),
        ]);
      });
    });
    afterAll(() => closeErpEngine(engine, env));

    it('a refused ledger entry leaves its key incomplete for every source', async () => {
      const erp = `
  - id: erp
    connector: sql
    role: erp
    owner: finance-ops
    timezone: UTC
    cutoff: '23:00'
    group: nightly
    systemOfRecord: [item_master, financial_postings]
    locations: [WH-EAST]
    settings:
      client: ${engine.client}
      connectionEnv: ${env}
      querySet: erpnext
${engine.schema ? `      schema: ${engine.schema}\n` : ''}`;
      const w = world(sources(erp, WMS_SOURCE), { 'wms-east/opening.csv': WMS_OPENING });
      writeFileSync(
        join(w.rules, 'status-maps.yaml'),
        readFileSync(join(w.rules, 'status-maps.yaml'), 'utf8').replace(
          /^ {2}erp: .*$/m,
          '  erp: { actual_qty: sellable, reserved_qty: committed, ordered_qty: ignore, indented_qty: ignore, planned_qty: ignore, projected_qty: ignore, reserved_qty_for_production: ignore }',
        ),
      );
      // the Bin is read live, stamped with the read: the run is as of now
      const r = (await reconcileFolder({ rulesDir: w.rules, dataDir: w.data })).run;
      const sle = r.inputs.find((f) => f.path === 'erpnext:tabStock Ledger Entry')!;
      expect(sle).toMatchObject({ read: 3, rejected: 1 });
      expect(keysOf(r, 'SKU-2')).toEqual([]);
      expect(r.notCompared.map(describeNotCompared)).toEqual([
        'SKU-2 @ WH-EAST (erp) not compared: 1 rejected row (erpnext:tabStock Ledger Entry:3)',
      ]);
      // SKU-1's entries were read: its comparison is made
      expect(keysOf(r, 'SKU-1')).toEqual(['erp WH-EAST sellable']);
    });
  });
}
