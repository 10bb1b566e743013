/** ERPNext's own CSV exports (Report view labels, field names), read as they are. */
import { copyFile, mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getConnector } from '../../connectors/registry.ts';
import type { SourceDef } from '../../engine/core/rules/types.ts';
import { collect } from '../support/collect-sink.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/erpnext');
const erpnext = getConnector('erpnext');

function source(settings: Record<string, unknown>): SourceDef {
  return {
    id: 'erp',
    connector: 'erpnext',
    role: 'erp',
    owner: 'finance-ops',
    timezone: 'Europe/Berlin',
    cutoffMinutes: 0,
    expectedLagMinutes: 60,
    systemOfRecord: ['financial_postings'],
    locations: [],
    group: 'nightly',
    files: [],
    file: 'rules/sources.yaml',
    line: 12,
    settings,
  };
}

const SETTINGS = {
  stockLedger: 'stock-ledger-entry.csv',
  bin: 'Bin_2026-11-22.csv',
  items: 'Item.csv',
  warehouseStatus: { 'Quarantine - AC': 'quarantine', 'Goods In Transit - AC': 'in_transit' },
};

async function read(settings: Record<string, unknown>, asOf?: string, dataDir = FIXTURES) {
  const c = collect();
  const result = await erpnext.read({ source: source(settings), dataDir, asOf }, c.sink);
  return { ...c, files: result.files };
}

const byId = (events: { sourceEventId: string }[]) =>
  Object.fromEntries(events.map((e) => [e.sourceEventId, e]));

describe('erpnext Stock Ledger Entry export', () => {
  it('reads signed decimals, posting date and time with microseconds in the site zone', async () => {
    const { events, rejects } = await read(SETTINGS);
    expect(rejects).toEqual([]);
    expect(byId(events)['MAT-SLE-2026-00101']).toMatchObject({
      type: 'receipt',
      sku: 'BIKE-BELL',
      location: 'Stores - AC',
      toStatus: 'actual_qty',
      quantity: 24,
      unit: 'Nos',
      occurredAt: '2026-11-16T08:05:00.000Z', // 9:05 in Berlin
      recordedAt: '2026-11-16T08:06:12.451Z',
      reference: 'MAT-PRE-2026-00007',
      origin: { file: 'stock-ledger-entry.csv', line: 16 },
    });
    expect(byId(events)['MAT-SLE-2026-00103']).toMatchObject({
      type: 'shipment',
      fromStatus: 'actual_qty',
      quantity: 1,
      occurredAt: '2026-11-17T07:15:30.500Z',
    });
  });

  it('sizes a Stock Reconciliation from qty_after_transaction minus the previous balance', async () => {
    const { events } = await read(SETTINGS);
    // BIKE-BELL at Stores stood at 23 before the count of 20: three lost
    expect(byId(events)['MAT-SLE-2026-00109']).toMatchObject({
      type: 'adjustment',
      fromStatus: 'actual_qty',
      quantity: 3,
      reasonCode: 'PHYSICAL_COUNT',
      reference: 'MAT-RECO-2026-00003',
    });
    // no earlier balance of HELMET-M at Stores in the export: the count itself
    expect(byId(events)['MAT-SLE-2026-00102']).toMatchObject({
      type: 'cycle_count',
      toStatus: 'actual_qty',
      quantity: 12,
    });
  });

  it('leaves out cancelled pairs and keeps the amendment, and says so', async () => {
    const { events, files } = await read(SETTINGS);
    const ids = events.map((e) => e.sourceEventId);
    expect(ids).not.toContain('MAT-SLE-2026-00106');
    expect(ids).not.toContain('MAT-SLE-2026-00107');
    expect(byId(events)['MAT-SLE-2026-00108']).toMatchObject({
      type: 'shipment',
      quantity: 3,
      reference: 'MAT-DN-2026-00030-1',
    });
    const ledger = files.find((f) => f.file === 'stock-ledger-entry.csv')!;
    expect(ledger).toMatchObject({ read: 15, accepted: 15, rejected: 0 });
    expect(ledger.notes).toEqual(['2 rows of cancelled documents (is_cancelled) move no stock']);
  });

  it('pairs the two Stock Entries of a Goods In Transit move into one transfer', async () => {
    const { events } = await read(SETTINGS);
    const bell = events.filter((e) => e.reference === 'MAT-STE-2026-00012');
    expect(bell).toEqual([
      expect.objectContaining({
        sourceEventId: 'MAT-SLE-2026-00110',
        type: 'transfer_out',
        location: 'Stores - AC',
        counterpartLocation: 'West Depot - AC',
        quantity: 5,
        occurredAt: '2026-11-19T06:30:00.000Z',
      }),
      expect.objectContaining({
        sourceEventId: 'MAT-SLE-2026-00115',
        type: 'transfer_in',
        location: 'West Depot - AC',
        counterpartLocation: 'Stores - AC',
        toStatus: 'actual_qty',
        quantity: 5,
        occurredAt: '2026-11-21T09:20:00.000Z',
      }),
    ]);
    // the transit warehouse's own rows are the transfer's inside, not movements of their own
    expect(events.some((e) => e.location === 'Goods In Transit - AC')).toBe(false);
  });

  it('sends a first leg still under way to the transit warehouse', async () => {
    const { events } = await read(SETTINGS);
    expect(events.filter((e) => e.reference === 'MAT-STE-2026-00016')).toEqual([
      expect.objectContaining({
        type: 'transfer_out',
        location: 'Stores - AC',
        counterpartLocation: 'Goods In Transit - AC',
        quantity: 4,
      }),
    ]);
  });

  it('leaves the second leg unpaired when the run stops before it', async () => {
    const { events, files } = await read(SETTINGS, '2026-11-20T00:00:00.000Z');
    expect(events.filter((e) => e.reference === 'MAT-STE-2026-00012')).toEqual([
      expect.objectContaining({
        type: 'transfer_out',
        counterpartLocation: 'Goods In Transit - AC',
      }),
    ]);
    const ledger = files.find((f) => f.file === 'stock-ledger-entry.csv')!;
    expect(ledger).toMatchObject({ read: 15, accepted: 11, skipped: 4 });
  });

  it('reads a transfer between two warehouses of one entry with their raw statuses', async () => {
    const { events } = await read(SETTINGS);
    expect(events.filter((e) => e.reference === 'MAT-STE-2026-00013')).toEqual([
      expect.objectContaining({
        type: 'transfer_out',
        location: 'Stores - AC',
        fromStatus: 'actual_qty',
        counterpartLocation: 'Quarantine - AC',
      }),
      expect.objectContaining({
        type: 'transfer_in',
        location: 'Quarantine - AC',
        toStatus: 'quarantine',
      }),
    ]);
  });

  it('rejects malformed rows with line and reason, never reading "-1,032.0" as a number', async () => {
    const { events, rejects, files } = await read({
      stockLedger: 'stock-ledger-entry-malformed.csv',
    });
    expect(rejects.map((r) => [r.line, r.reason])).toEqual([
      [3, 'actual_qty: expected a number like -1.0, got "-1,032.0"'],
      [
        4,
        'posting_date/posting_time: expected 2026-11-20 and 9:05:00.000000, got "20.11.2026 9:20:00.000000"',
      ],
      [5, 'item_code and warehouse are required'],
      [6, 'expected 11 fields, found 6'],
    ]);
    expect(events.map((e) => e.sourceEventId)).toEqual(['MAT-SLE-2026-00201']);
    expect(files[0]).toMatchObject({ read: 5, accepted: 1, rejected: 4 });
  });
});

describe('erpnext Bin and Item exports', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tally-erpnext-'));
    await copyFile(join(FIXTURES, 'Bin_2026-11-22.csv'), join(dir, 'bin.csv'));
    const copied = new Date('2026-12-01T09:00:00Z');
    await utimes(join(dir, 'bin.csv'), copied, copied);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads each quantity column, the warehouse status, and the as-of from the file name', async () => {
    const { positions, files } = await read({ ...SETTINGS, stockLedger: undefined });
    const at = (sku: string, location: string) =>
      Object.fromEntries(
        positions
          .filter((p) => p.sku === sku && p.location === location)
          .map((p) => [p.status, p.quantity]),
      );
    expect(at('BIKE-BELL', 'Stores - AC')).toEqual({
      actual_qty: 15,
      reserved_qty: 2,
      ordered_qty: 10,
      projected_qty: 23,
    });
    expect(at('HELMET-M', 'Quarantine - AC')).toEqual({ quarantine: 2, projected_qty: 2 });
    expect(at('HELMET-M', 'Goods In Transit - AC')).toEqual({ in_transit: 4, projected_qty: 4 });
    expect(at('BIKE-BELL', 'Goods In Transit - AC')).toEqual({ in_transit: 0 });
    // 2026-11-22 00:00 in Berlin
    expect(new Set(positions.map((p) => p.asOf))).toEqual(new Set(['2026-11-21T23:00:00.000Z']));
    expect(files.find((f) => f.file === 'Bin_2026-11-22.csv')!.notes).toBeUndefined();
  });

  it('takes binAsOf over the file name, and notes a fall-back to the modification time', async () => {
    const set = await read({ bin: 'Bin_2026-11-22.csv', binAsOf: '2026-11-22T18:30:00' });
    expect(set.positions[0]!.asOf).toBe('2026-11-22T17:30:00.000Z');
    const mtime = await read({ bin: 'bin.csv' }, undefined, dir);
    expect(mtime.positions[0]!.asOf).toBe('2026-12-01T09:00:00.000Z');
    expect(mtime.files[0]!.notes).toEqual([
      expect.stringContaining("taken from the file's modification time"),
    ]);
  });

  it('reads the item master with the group as the SKU class', async () => {
    const { items } = await read({ items: 'Item.csv' });
    const origin = (line: number) => ({ file: 'Item.csv', line });
    expect(items).toEqual([
      {
        sku: 'BIKE-BELL',
        skuClass: 'Accessories',
        baseUnit: 'Nos',
        unitCost: '4.5',
        source: 'erp',
        origin: origin(2),
      },
      {
        sku: 'HELMET-M',
        skuClass: 'Protective Gear',
        baseUnit: 'Nos',
        unitCost: '38.25',
        source: 'erp',
        origin: origin(3),
      },
    ]);
  });

  it("reads each item's UOM Conversion Detail rows as its pack sizes", async () => {
    const { items, rejects } = await read({ items: 'Item-uoms.csv' });
    // the item is emitted again as each further UOM row completes it; the last one stands
    const last = new Map(items.map((i) => [i.sku, i]));
    expect(last.get('BIKE-BELL')).toMatchObject({
      baseUnit: 'Nos',
      packs: { Nos: 1, Box: 24, Inner: 6 },
      origin: { file: 'Item-uoms.csv', line: 4 },
    });
    expect(last.get('HELMET-M')).toMatchObject({ packs: { Nos: 1, Carton: 4 } });
    expect(last.get('BOTTLE-750')!.packs).toBeUndefined();
    expect(rejects).toMatchObject([
      { line: 8, reason: 'conversion_factor: expected a positive number, got "twelve"' },
    ]);
  });

  it("reads pack sizes from the customer's own Item columns (itemPacks)", async () => {
    const retailer = join(import.meta.dirname, '../fixtures/retailer/data/erpnext');
    const { items, rejects } = await read(
      { items: 'Item.csv', itemPacks: { case: 'custom_case_pack' } },
      undefined,
      retailer,
    );
    expect(rejects).toEqual([]);
    expect(items.slice(0, 3).map((i) => [i.sku, i.baseUnit, i.packs])).toEqual([
      ['HP-1001', 'Nos', { case: 12 }],
      ['HP-1002', 'Nos', { case: 24 }],
      ['HP-1003', 'Nos', { case: 6 }],
    ]);
    await expect(
      read({ items: 'Item.csv', itemPacks: { case: 'custom_carton_qty' } }, undefined, retailer),
    ).rejects.toThrow(/missing column\(s\) pack:case/);
  });

  it('refuses a path outside the data folder and reports every settings problem', async () => {
    await expect(read({ bin: '../../../etc/passwd' })).rejects.toThrow(/leaves the data folder/);
    expect(
      erpnext.checkSettings(
        source({ stockLedger: 3, binAsOf: 'soon', warehouseStatus: { 'Stores - AC': '' } }),
      ),
    ).toEqual([
      expect.stringContaining('stockLedger'),
      expect.stringContaining('binAsOf'),
      expect.stringContaining('warehouseStatus.Stores - AC'),
    ]);
  });
});
