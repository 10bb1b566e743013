import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlConnector } from '../../connectors/sql/index.ts';
import type { SourceDef } from '../../engine/core/rules/types.ts';
import {
  closeErpEngine,
  createErpnextTables,
  erpEngines,
  openErpEngine,
  tableOf,
} from './sql-tables.ts';
import type { ErpEngine } from './sql-tables.ts';
import { collect } from '../support/collect-sink.ts';

const STORES = 'Stores - AC';
const FG = 'Finished Goods - AC';

const sle = (
  name: string,
  item: string,
  wh: string,
  date: string,
  time: string,
  type: string,
  no: string,
  qty: number,
  creation: string,
  cancelled = 0,
) => ({
  name,
  item_code: item,
  warehouse: wh,
  posting_date: date,
  posting_time: time,
  voucher_type: type,
  voucher_no: no,
  actual_qty: qty,
  stock_uom: 'Nos',
  is_cancelled: cancelled,
  creation,
});

async function fill(e: ErpEngine) {
  await createErpnextTables(e);
  await tableOf(e, 'tabBin').insert([
    // the cache says 95 on hand in Stores; the ledger below sums to 85: the drift ERPNext users meet
    {
      name: 'BIN-1',
      item_code: 'ITEM-A',
      warehouse: STORES,
      actual_qty: 95,
      reserved_qty: 10,
      ordered_qty: 20,
      projected_qty: 105,
    },
    { name: 'BIN-2', item_code: 'ITEM-A', warehouse: FG, actual_qty: 5 },
    { name: 'BIN-3', item_code: 'ITEM-B', warehouse: STORES, actual_qty: 0 },
  ]);
  await tableOf(e, 'tabStock Ledger Entry').insert([
    sle(
      'SLE-0001',
      'ITEM-A',
      STORES,
      '2026-11-20',
      '09:00:00',
      'Purchase Receipt',
      'PR-0001',
      100,
      '2026-11-20 09:00:01.123456',
    ),
    sle(
      'SLE-0002',
      'ITEM-A',
      STORES,
      '2026-11-20',
      '15:30:00',
      'Delivery Note',
      'DN-0001',
      -10,
      '2026-11-20 15:30:02.000001',
    ),
    sle(
      'SLE-0003',
      'ITEM-A',
      STORES,
      '2026-11-20',
      '16:00:00',
      'Delivery Note',
      'DN-0002',
      -7,
      '2026-11-20 16:00:00.5',
      1,
    ),
    sle(
      'SLE-0004',
      'ITEM-A',
      STORES,
      '2026-11-21',
      '10:00:00',
      'Stock Entry',
      'STE-0001',
      -5,
      '2026-11-21 10:00:00.000100',
    ),
    sle(
      'SLE-0005',
      'ITEM-A',
      FG,
      '2026-11-21',
      '10:00:00',
      'Stock Entry',
      'STE-0001',
      5,
      '2026-11-21 10:00:00.000100',
    ),
  ]);
}

function source(e: ErpEngine, env: string, extra: Record<string, unknown> = {}): SourceDef {
  return {
    id: 'erpnext',
    connector: 'sql',
    role: 'erp',
    owner: 'finance',
    timezone: 'Asia/Kolkata',
    cutoffMinutes: 1200,
    expectedLagMinutes: 30,
    systemOfRecord: ['financial_postings'],
    locations: [],
    group: 'default',
    files: [],
    file: 'rules/sources.yaml',
    line: 3,
    settings: {
      client: e.client,
      connectionEnv: env,
      querySet: 'erpnext',
      ...(e.schema ? { schema: e.schema } : {}),
      ...extra,
    },
  };
}

for (const factory of erpEngines(['postgres', 'mariadb', 'sqlite'])) {
  describe(`sql connector, ERPNext query set on ${factory.name}`, () => {
    let engine: ErpEngine;
    const env = `TALLY_TEST_ERPNEXT_${factory.name.toUpperCase()}_${process.pid}`;
    beforeAll(async () => {
      engine = await openErpEngine(factory, env, fill);
    });
    afterAll(() => closeErpEngine(engine, env));

    it('reads tabBin into raw positions, one per non-zero quantity column', async () => {
      const { sink, ...got } = collect();
      const result = await sqlConnector.read({ source: source(engine, env), dataDir: '.' }, sink);
      const stores = got.positions.filter((p) => p.sku === 'ITEM-A' && p.location === STORES);
      expect(Object.fromEntries(stores.map((p) => [p.status, p.quantity]))).toEqual({
        actual_qty: 95,
        reserved_qty: 10,
        ordered_qty: 20,
        projected_qty: 105,
      });
      expect(got.positions.find((p) => p.sku === 'ITEM-B')).toMatchObject({
        status: 'actual_qty',
        quantity: 0,
      });
      expect(got.rejects).toEqual([]);
      expect(result.files.map((f) => [f.file, f.read, f.accepted])).toEqual([
        ['erpnext:tabBin', 3, 3],
        ['erpnext:tabStock Ledger Entry', 4, 4],
      ]);
    });

    it('reads the ledger into events, signed by actual_qty, cancelled entries left out', async () => {
      const { sink, ...got } = collect();
      await sqlConnector.read({ source: source(engine, env), dataDir: '.' }, sink);
      expect(got.events.map((e) => e.sourceEventId)).toEqual([
        'SLE-0001',
        'SLE-0002',
        'SLE-0004',
        'SLE-0005',
      ]);
      expect(got.events[0]).toMatchObject({
        type: 'receipt',
        sku: 'ITEM-A',
        location: STORES,
        toStatus: 'actual_qty',
        quantity: 100,
        unit: 'Nos',
        reference: 'PR-0001',
        occurredAt: '2026-11-20T03:30:00.000Z', // 09:00 IST
        recordedAt: '2026-11-20T03:30:01.123Z',
      });
      expect(got.events[1]).toMatchObject({
        type: 'shipment',
        fromStatus: 'actual_qty',
        quantity: 10,
      });
      expect(got.events[2]).toMatchObject({ type: 'transfer_out', location: STORES, quantity: 5 });
      expect(got.events[3]).toMatchObject({ type: 'transfer_in', location: FG, quantity: 5 });
    });

    it('shows the Bin cache drifting from the ledger instead of hiding it', async () => {
      const { sink, ...got } = collect();
      await sqlConnector.read({ source: source(engine, env), dataDir: '.' }, sink);
      const ledger = got.events
        .filter((e) => e.sku === 'ITEM-A' && e.location === STORES)
        .reduce((sum, e) => sum + (e.toStatus ? e.quantity : -e.quantity), 0);
      const bin = got.positions.find(
        (p) => p.sku === 'ITEM-A' && p.location === STORES && p.status === 'actual_qty',
      );
      expect(ledger).toBe(85);
      expect(bin?.quantity).toBe(95);
    });

    it('pulls incrementally from the cursor and holds back entries after asOf', async () => {
      const first = collect();
      const r1 = await sqlConnector.read(
        { source: source(engine, env), dataDir: '.', asOf: '2026-11-20T08:00:00.000Z' },
        first.sink,
      );
      expect(first.events.map((e) => e.sourceEventId)).toEqual(['SLE-0001']);
      const second = collect();
      const r2 = await sqlConnector.read(
        { source: source(engine, env), dataDir: '.', cursor: r1.cursor },
        second.sink,
      );
      expect(second.events.map((e) => e.sourceEventId)).toEqual([
        'SLE-0002',
        'SLE-0004',
        'SLE-0005',
      ]);
      await tableOf(engine, 'tabStock Ledger Entry').insert(
        sle(
          'SLE-0006',
          'ITEM-B',
          STORES,
          '2026-11-22',
          '08:00:00',
          'Stock Reconciliation',
          'SR-0001',
          3,
          '2026-11-22 08:00:00.000001',
        ),
      );
      const third = collect();
      const r3 = await sqlConnector.read(
        { source: source(engine, env), dataDir: '.', cursor: r2.cursor },
        third.sink,
      );
      expect(third.events).toHaveLength(1);
      expect(third.events[0]).toMatchObject({
        sourceEventId: 'SLE-0006',
        type: 'adjustment',
        reasonCode: 'PHYSICAL_COUNT',
      });
      const fourth = collect();
      await sqlConnector.read(
        { source: source(engine, env), dataDir: '.', cursor: r3.cursor },
        fourth.sink,
      );
      expect(fourth.events).toEqual([]);
    });

    it('pages through the tables in small batches without losing or repeating rows', async () => {
      const { sink, ...got } = collect();
      await sqlConnector.read(
        { source: source(engine, env, { batchSize: 1 }), dataDir: '.' },
        sink,
      );
      expect(new Set(got.events.map((e) => e.sourceEventId)).size).toBe(got.events.length);
      expect(got.events.length).toBeGreaterThanOrEqual(4);
      expect(new Set(got.positions.map((p) => `${p.sku}|${p.location}`)).size).toBe(3);
    });

    it('sizes a Stock Reconciliation from qty_after_transaction minus the balance before it', async () => {
      const count = (name: string, item: string, time: string, after: number, qty = 0) => ({
        ...sle(
          name,
          item,
          STORES,
          '2026-11-21',
          time,
          'Stock Reconciliation',
          `RECO-${name}`,
          qty,
          `2026-11-21 ${time}.000001`,
        ),
        qty_after_transaction: after,
      });
      const ledger = tableOf(engine, 'tabStock Ledger Entry');
      await ledger.insert([
        {
          ...sle(
            'SLE-0101',
            'ITEM-C',
            STORES,
            '2026-11-20',
            '08:00:00',
            'Purchase Receipt',
            'PR-0101',
            40,
            '2026-11-20 08:00:00.000001',
          ),
          qty_after_transaction: 40,
        },
        {
          ...sle(
            'SLE-0102',
            'ITEM-C',
            STORES,
            '2026-11-20',
            '12:00:00',
            'Delivery Note',
            'DN-0101',
            -3,
            '2026-11-20 12:00:00.000001',
          ),
          qty_after_transaction: 37,
        },
        // ERPNext writes actual_qty 0 on a count: the change is 34 − 37
        count('SLE-0103', 'ITEM-C', '09:00:00', 34),
        // a count equal to the book moves nothing
        count('SLE-0104', 'ITEM-C', '18:00:00', 34),
        // the first entry of an item: an opening count, from nothing
        count('SLE-0105', 'ITEM-D', '09:30:00', 12),
      ]);
      try {
        const { sink, ...got } = collect();
        await sqlConnector.read(
          { source: source(engine, env, { batchSize: 2 }), dataDir: '.' },
          sink,
        );
        const counts = got.events.filter(
          (e) => e.reasonCode === 'PHYSICAL_COUNT' && ['ITEM-C', 'ITEM-D'].includes(e.sku),
        );
        expect(
          counts.map((e) => [e.sourceEventId, e.type, e.fromStatus, e.toStatus, e.quantity]),
        ).toEqual([
          ['SLE-0103', 'adjustment', 'actual_qty', undefined, 3],
          ['SLE-0105', 'adjustment', undefined, 'actual_qty', 12],
        ]);
        expect(counts[0]).toMatchObject({
          reference: 'RECO-SLE-0103',
          occurredAt: '2026-11-21T03:30:00.000Z',
        });
        expect(got.rejects).toEqual([]);
      } finally {
        await ledger
          .whereIn('name', ['SLE-0101', 'SLE-0102', 'SLE-0103', 'SLE-0104', 'SLE-0105'])
          .delete();
      }
    });

    it('stamps the Bin with the start of the pull, so a run as of the pull includes it', async () => {
      const before = new Date().toISOString();
      const { sink, ...got } = collect();
      await sqlConnector.read({ source: source(engine, env), dataDir: '.' }, sink);
      const after = new Date().toISOString();
      const stamps = new Set(got.positions.map((p) => p.asOf));
      expect(stamps.size).toBe(1);
      const [stamp] = [...stamps];
      expect(stamp! >= before && stamp! <= after).toBe(true);
    });

    it('rejects a ledger row with an unreadable quantity, keeping the others', async () => {
      await tableOf(engine, 'tabBin').insert({
        name: 'BIN-9',
        item_code: null,
        warehouse: STORES,
        actual_qty: 1,
      });
      const { sink, ...got } = collect();
      await sqlConnector.read({ source: source(engine, env), dataDir: '.' }, sink);
      expect(got.rejects).toHaveLength(1);
      expect(got.rejects[0]!.reason).toMatch(/without item_code/);
      await tableOf(engine, 'tabBin').where({ name: 'BIN-9' }).delete();
    });
  });
}
