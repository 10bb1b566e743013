/** Shopify read from the files a merchant hands over: saved GraphQL pages and bulk JSON Lines. */
import { copyFile, mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shopifyConnector } from '../../connectors/shopify/index.ts';
import type { SourceDef } from '../../engine/core/rules/types.ts';
import { collect } from '../support/collect-sink.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/shopify');
const PAGES = 'inventory-items-pages_2026-11-22T0600.json';
const BULK = 'bulk-inventory-20261122.jsonl';
const TEE = 'gid://shopify/InventoryItem/43210001';
const MAIN = 'gid://shopify/Location/64001';

function source(settings: Record<string, unknown>): SourceDef {
  return {
    id: 'shop',
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
    line: 30,
    settings,
  };
}

async function read(settings: Record<string, unknown>, dataDir = FIXTURES) {
  const c = collect();
  const result = await shopifyConnector.read({ source: source(settings), dataDir }, c.sink);
  return { ...c, files: result.files };
}

const quantities = (
  positions: { sku: string; location: string; status: string; quantity: number }[],
  sku: string,
  location: string,
) =>
  Object.fromEntries(
    positions
      .filter((p) => p.sku === sku && p.location === location)
      .map((p) => [p.status, p.quantity]),
  );

describe('shopify saved GraphQL pages', () => {
  it('reads edges/node and nodes pages, keyed by inventory item id and location id', async () => {
    const { positions, files } = await read({ inventoryFile: PAGES });
    expect(quantities(positions, TEE, MAIN)).toEqual({
      available: 10,
      committed: 2,
      reserved: 1,
      damaged: 1,
      quality_control: 0,
      safety_stock: 0,
      incoming: 5,
      on_hand: 14,
    });
    // a blank SKU text does not matter: the item id is the key
    expect(quantities(positions, 'gid://shopify/InventoryItem/43210002', MAIN)).toMatchObject({
      available: 7,
      quality_control: 2,
    });
    // two items with the same SKU text stay two items
    expect(
      quantities(positions, 'gid://shopify/InventoryItem/43210005', 'gid://shopify/Location/64002'),
    ).toEqual({
      available: 2,
      on_hand: 2,
    });
    expect(new Set(positions.map((p) => p.asOf))).toEqual(new Set(['2026-11-22T06:00:00.000Z']));
    expect(files[0]).toMatchObject({ file: PAGES, read: 5, accepted: 3, rejected: 2 });
    expect(files[0]!.notes).toBeUndefined();
  });

  it('rejects an item with a bad value or levels the file does not hold, naming the field', async () => {
    const { rejects, positions } = await read({ inventoryFile: PAGES });
    expect(rejects.map((r) => [r.line, r.reason])).toEqual([
      [3, '[1] item 3.inventoryLevels[0].quantities[0].quantity: expected an integer, got "5"'],
      [4, expect.stringContaining('more levels follow (pageInfo.hasNextPage)')],
    ]);
    expect(positions.some((p) => p.sku.endsWith('/43210004'))).toBe(false);
  });

  it('maps locations by name and can key by the SKU text', async () => {
    const { positions } = await read({
      inventoryFile: PAGES,
      itemKey: 'sku',
      locationKey: 'name',
      locations: { 'Main Warehouse': 'WH-EAST' },
    });
    expect(quantities(positions, 'TEE-BLK-M', 'WH-EAST')).toMatchObject({ available: 10 });
    // the SKU text is the merchant's: two items share it, and both levels are delivered
    const outlet = positions.filter(
      (p) => p.sku === 'TEE-BLK-M' && p.location === 'Outlet Store' && p.status === 'available',
    );
    expect(outlet.map((p) => p.quantity)).toEqual([3, 2]);
  });

  it('notes a missing last page and an as-of from the modification time', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tally-shopify-'));
    try {
      await copyFile(join(FIXTURES, 'inventory-items-page.json'), join(dir, 'levels.json'));
      const saved = new Date('2026-11-23T08:00:00Z');
      await utimes(join(dir, 'levels.json'), saved, saved);
      const { positions, files } = await read({ inventoryFile: 'levels.json' }, dir);
      expect(positions[0]!.asOf).toBe('2026-11-23T08:00:00.000Z');
      expect(files[0]!.notes).toEqual([
        expect.stringContaining("taken from the file's modification time"),
        expect.stringContaining('more pages follow'),
      ]);
      const set = await read(
        { inventoryFile: 'levels.json', inventoryAsOf: '2026-11-22T23:00:00Z' },
        dir,
      );
      expect(set.positions[0]!.asOf).toBe('2026-11-22T23:00:00.000Z');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('shopify bulk operation JSON Lines', () => {
  it('joins levels to their items through __parentId, in any line order', async () => {
    const { positions, rejects, files } = await read({ bulkFile: BULK });
    expect(quantities(positions, TEE, MAIN)).toEqual({ available: 10, committed: 2, on_hand: 12 });
    expect(quantities(positions, TEE, 'gid://shopify/Location/64002')).toEqual({
      available: 3,
      on_hand: 3,
    });
    expect(quantities(positions, 'gid://shopify/InventoryItem/43210002', MAIN)).toEqual({
      available: 7,
      on_hand: 7,
    });
    expect(rejects.map((r) => [r.line, r.reason])).toEqual([
      [7, 'line 7.quantities[0].quantity: expected an integer, got 1.5'],
      [8, 'not a JSON object'],
      [
        6,
        '__parentId gid://shopify/InventoryItem/43219999: no inventory item line with that id in the file',
      ],
    ]);
    expect(files[0]).toMatchObject({ read: 8, accepted: 5, rejected: 3 });
    expect(new Set(positions.map((p) => p.asOf))).toEqual(new Set(['2026-11-22T00:00:00.000Z']));
  });
});

describe('shopify files settings', () => {
  it('refuses API and file settings together, and reports each bad value', () => {
    expect(
      shopifyConnector.checkSettings(
        source({ bulkFile: BULK, shopDomain: 'acme.myshopify.com', itemKey: 'title' }),
      ),
    ).toEqual([
      expect.stringContaining('shopDomain: a source reads the API or saved files, not both'),
      expect.stringContaining('itemKey: expected id or sku'),
    ]);
    expect(
      shopifyConnector.checkSettings(
        source({ shopDomain: 'acme.myshopify.com', accessTokenEnv: 'T', itemKey: 'id' }),
      ),
    ).toEqual([expect.stringContaining('itemKey: only read with inventoryFile or bulkFile')]);
  });

  it('refuses a file outside the data folder', async () => {
    await expect(read({ bulkFile: '../../../etc/passwd' })).rejects.toThrow(
      /leaves the data folder/,
    );
  });
});
