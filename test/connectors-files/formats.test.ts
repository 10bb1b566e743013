/** The shapes the demo deployment's files take (DEMO-DEPLOYMENT.md), read end to end. */
import { describe, expect, it } from 'vitest';
import { WMS_INVENTORY, mapping, readOne } from './helpers.ts';

const ERP_LEDGER = mapping({
  path: 'erp/stock_ledger.csv',
  kind: 'events',
  columns: {
    sourceEventId: 'name',
    type: 'voucher_type',
    reference: 'voucher_no',
    sku: 'item_code',
    location: 'warehouse',
    quantity: 'actual_qty',
    unit: 'stock_uom',
    occurredAt: 'posting_date+posting_time',
    fromStatus: 'from_status',
    toStatus: 'to_status',
    counterpartLocation: 'counterpart_warehouse',
  },
  typeMap: {
    'Purchase Receipt': 'receipt',
    'Delivery Note': 'shipment',
    'Stock Entry Out': 'transfer_out',
  },
  dateFormat: 'yyyy-MM-dd HH:mm:ss',
});
const ERP_HEADER =
  'name,voucher_type,voucher_no,item_code,warehouse,actual_qty,stock_uom,posting_date,posting_time,from_status,to_status,counterpart_warehouse';

describe('CSV', () => {
  it('fills an empty cell from a constant given for the same field (docs/connectors/files.md)', async () => {
    const m = { ...WMS_INVENTORY, constants: { unit: 'each' } };
    const { sink } = await readOne(
      m,
      'Item,Bin,Status,Qty,UOM,SnapshotTime\nSKU-1,WH-EAST-A-01,AVAILABLE,4,,2026-11-21 18:00\nSKU-2,WH-EAST-A-01,AVAILABLE,1,CS,2026-11-21 18:00\n',
    );
    expect(sink.positions.map((p) => p.unit)).toEqual(['each', 'CS']);
  });

  it('strips a UTF-8 BOM so the first header name still matches', async () => {
    const { sink } = await readOne(
      WMS_INVENTORY,
      '\ufeffItem,Bin,Status,Qty,UOM,SnapshotTime\nSKU-1,WH-EAST-A-01,AVAILABLE,4,EA,2026-11-21 18:00\n',
    );
    expect(sink.positions).toEqual([
      {
        source: 'wms-east',
        sku: 'SKU-1',
        location: 'WH-EAST-A-01',
        status: 'AVAILABLE',
        quantity: 4,
        unit: 'EA',
        asOf: '2026-11-21T23:00:00.000Z',
        origin: { file: 'wms-east/inventory.csv', line: 2 },
      },
    ]);
  });

  it('accepts rows padded with empty cells past the header, refuses rows short of it', async () => {
    const content =
      'Item,Bin,Status,Qty,UOM,SnapshotTime\nA,B,S,1,EA,2026-11-21 18:00,,\nA,B,S,2,EA,2026-11-21 18:00,x\nA,B,S,3,EA\n';
    const { sink } = await readOne(WMS_INVENTORY, content);
    expect(sink.positions.map((p) => p.quantity)).toEqual([1]);
    expect(sink.rejects.map((r) => [r.line, r.reason])).toEqual([
      [3, 'expected 6 fields, found 7'],
      [4, 'expected 6 fields, found 5'],
    ]);
  });

  it('keeps line numbers right past quoted line breaks (the line where a record starts)', async () => {
    const content = [
      'Item,Bin,Status,Qty,UOM,SnapshotTime,Note',
      '"SKU-1","WH-EAST-A-01","AVAILABLE",1,EA,2026-11-21 18:00,',
      '"SKU-2","WH-EAST-A-01","a ""quoted"" status",2,EA,2026-11-21 18:00,"a note\r\nover\r\nthree lines"',
      'SKU-3,WH-EAST-A-01,AVAILABLE,x,EA,2026-11-21 18:00,',
      'SKU-4,WH-EAST-A-01,AVAILABLE,4,EA,2026-11-21 18:00,',
    ].join('\r\n');
    const { sink } = await readOne(WMS_INVENTORY, content);
    expect(sink.positions.map((p) => [p.sku, p.origin!.line])).toEqual([
      ['SKU-1', 2],
      ['SKU-2', 3],
      ['SKU-4', 7],
    ]);
    expect(sink.positions[1]!.status).toBe('a "quoted" status');
    expect(sink.rejects).toMatchObject([
      { line: 6, raw: 'SKU-3,WH-EAST-A-01,AVAILABLE,x,EA,2026-11-21 18:00,' },
    ]);
  });

  it('takes a line break inside a mapped cell for a stray quote: that line alone is rejected', async () => {
    const content = [
      'Item,Bin,Status,Qty,UOM,SnapshotTime',
      '"SKU-2","WH-EAST-A-01","status over',
      'two lines",2,EA,2026-11-21 18:00',
      'SKU-4,WH-EAST-A-01,AVAILABLE,4,EA,2026-11-21 18:00',
    ].join('\n');
    const { sink, summary } = await readOne(WMS_INVENTORY, content);
    expect(summary).toMatchObject({ read: 3, accepted: 1, rejected: 2 });
    expect(sink.rejects.map((r) => r.line)).toEqual([2, 3]);
    expect(sink.rejects[0]!.reason).toMatch(/stray quote: .*line 2 .*lines 2\.\.3/);
  });

  it('reads a quoted field that straddles the 1 MiB read boundary', async () => {
    const filler = Array.from(
      { length: 15_000 },
      (_, i) => `SKU-${i},WH-EAST-A-01,AVAILABLE,1,EA,2026-11-21 18:00`,
    );
    const head = ['Item,Bin,Status,Qty,UOM,SnapshotTime', ...filler].join('\n');
    // the doubled quote after the padding sits on the last byte of the first 1 MiB chunk and the first of the next
    const pad = 'x'.repeat((1 << 20) - head.length - 3);
    const content = `${head}\n"${pad}"",""",B,S,1,EA,2026-11-21 18:00\nLAST,B,S,1,EA,2026-11-21 18:00\n`;
    const wide = { ...WMS_INVENTORY, limits: { maxFieldChars: 2_000_000 } };
    const { sink, summary } = await readOne(wide, content);
    expect(summary).toMatchObject({ read: 15_002, accepted: 15_002, rejected: 0 });
    expect(sink.positions[15_000]!.sku).toBe(`${pad}","`);
    expect(sink.positions[15_001]).toMatchObject({ sku: 'LAST', origin: { line: 15_003 } });
  });

  it('joins posting_date+posting_time into one local timestamp, maps event words, keeps absent fields undefined', async () => {
    const content = [
      ERP_HEADER,
      'SLE-1,Purchase Receipt,PO-1,SKU-1,East DC - TC,12,Nos,2026-11-20,14:05:00,,Unrestricted,',
      'SLE-2,Stock Entry Out,TR-9,SKU-1,East DC - TC,5,Nos,2026-11-20,9:30:00,Unrestricted,,West 3PL - TC',
      'SLE-3,Sales Invoice,SI-1,SKU-1,East DC - TC,1,Nos,2026-11-20,10:00:00,Unrestricted,,',
      'SLE-4,Delivery Note,SO-1,SKU-1,East DC - TC,-2,Nos,2026-11-20,10:00:00,Unrestricted,,',
      'SLE-5,Delivery Note,SO-2,SKU-1,East DC - TC,2,Nos,2026-11-20,,Unrestricted,,',
    ].join('\n');
    const { sink, summary } = await readOne(ERP_LEDGER, content, {
      id: 'erp',
      timezone: 'America/New_York',
    });
    expect(summary).toMatchObject({ read: 5, accepted: 2, rejected: 3 });
    expect(sink.events[0]).toEqual({
      source: 'erp',
      sourceEventId: 'SLE-1',
      type: 'receipt',
      sku: 'SKU-1',
      location: 'East DC - TC',
      fromStatus: undefined,
      toStatus: 'Unrestricted',
      counterpartLocation: undefined,
      quantity: 12,
      unit: 'Nos',
      occurredAt: '2026-11-20T19:05:00.000Z',
      recordedAt: undefined,
      reference: 'PO-1',
      reasonCode: undefined,
      origin: { file: 'erp/stock_ledger.csv', line: 2 },
    });
    expect(sink.events[1]).toMatchObject({
      type: 'transfer_out',
      occurredAt: '2026-11-20T14:30:00.000Z',
      counterpartLocation: 'West 3PL - TC',
    });
    expect(sink.rejects.map((r) => [r.line, r.reason])).toEqual([
      [4, "unknown event type 'Sales Invoice'"],
      [5, "quantity (column actual_qty): '-2' is negative"],
      [6, 'missing occurredAt (column posting_date+posting_time)'],
    ]);
  });

  it('reads local times on both sides of a DST change in the source zone', async () => {
    const content = [
      'Item,Bin,Status,Qty,UOM,SnapshotTime',
      'A,B,S,1,EA,2026-03-07 18:00',
      'A,B,S,1,EA,2026-03-08 18:00',
      'A,B,S,1,EA,2026-10-31 18:00',
      'A,B,S,1,EA,2026-11-01 18:00',
    ].join('\n');
    const { sink } = await readOne(WMS_INVENTORY, content, { timezone: 'America/New_York' });
    expect(sink.positions.map((p) => p.asOf)).toEqual([
      '2026-03-07T23:00:00.000Z',
      '2026-03-08T22:00:00.000Z',
      '2026-10-31T22:00:00.000Z',
      '2026-11-01T23:00:00.000Z',
    ]);
  });

  it('skips, without rejecting, rows dated after the read as-of', async () => {
    const content =
      'Item,Bin,Status,Qty,UOM,SnapshotTime\nA,B,S,1,EA,2026-11-20 18:00\nA,B,S,2,EA,2026-11-22 18:00\n';
    const { sink, summary } = await readOne(WMS_INVENTORY, content, {}, '2026-11-21T00:00:00Z');
    expect(summary).toMatchObject({ read: 2, accepted: 1, rejected: 0, skipped: 1 });
    expect(sink.positions.map((p) => p.quantity)).toEqual([1]);
  });
});

describe('counterpart reference', () => {
  it("reads the column holding the other system's id for the movement", async () => {
    const m = {
      ...ERP_LEDGER,
      columns: { ...ERP_LEDGER.columns, counterpartReference: 'remarks' },
      typeMap: { 'Stock Reconciliation': 'adjustment' },
    };
    const { sink } = await readOne(
      m,
      [
        `${ERP_HEADER},remarks`,
        'SLE-1,Stock Reconciliation,MAT-RECO-00017,SKU-1,Stores - TC,4,each,2026-11-21,10:00:00,,,,CC-17',
        'SLE-2,Stock Reconciliation,MAT-RECO-00018,SKU-1,Stores - TC,2,each,2026-11-21,11:00:00,,,,',
      ].join('\n'),
    );
    expect(sink.events.map((e) => [e.sourceEventId, e.counterpartReference])).toEqual([
      ['SLE-1', 'CC-17'],
      ['SLE-2', undefined],
    ]);
  });
});

describe('TSV wide files', () => {
  const WIDE = mapping({
    path: '3pl-west/inventory.tsv',
    format: 'tsv',
    kind: 'positions',
    columns: { sku: 'sku', location: 'warehouse', unit: 'uom', asOf: 'as_of' },
    statusColumns: ['available', 'allocated', 'damaged', 'hold', 'inbound'],
  });

  it('gives one position per status column with a non-empty cell, zeros included, and refuses a row with none', async () => {
    const content = [
      'sku\twarehouse\tavailable\tallocated\tdamaged\thold\tinbound\tuom\tas_of',
      'SKU-1\tLAX1\t10\t2\t0\t\t\tEA\t2026-11-21T23:00:00Z',
      'SKU-2\tLAX1\t5\tlots\t\t\t\tEA\t2026-11-21T23:00:00Z',
      'SKU-3\tLAX1\t7\t\t\t\t3\tEA\t2026-11-21T23:00:00Z',
      'SKU-4\tLAX1\t\t\t\t\t\tEA\t2026-11-21T23:00:00Z',
    ].join('\n');
    const { sink, summary } = await readOne(WIDE, content, {
      id: '3pl-west',
      timezone: 'America/Los_Angeles',
    });
    expect(summary).toMatchObject({ read: 4, accepted: 2, rejected: 2 });
    expect(sink.positions.map((p) => [p.sku, p.status, p.quantity, p.origin!.line])).toEqual([
      ['SKU-1', 'available', 10, 2],
      ['SKU-1', 'allocated', 2, 2],
      ['SKU-1', 'damaged', 0, 2],
      ['SKU-3', 'available', 7, 4],
      ['SKU-3', 'inbound', 3, 4],
    ]);
    expect(sink.rejects.map((r) => [r.line, r.reason])).toEqual([
      [3, "quantity in column allocated: 'lots' is not a number"],
      [5, 'no quantity in any status column (available, allocated, damaged, hold, inbound)'],
    ]);
  });

  it('delivers an opening file to sink.opening', async () => {
    const opening = { ...WIDE, path: '3pl-west/opening.tsv', kind: 'opening' as const };
    const content =
      'sku\twarehouse\tavailable\tallocated\tdamaged\thold\tinbound\tuom\tas_of\nSKU-1\tLAX1\t1\t\t\t\t\tEA\t2026-11-14T23:00:00Z\n';
    const { sink } = await readOne(opening, content);
    expect(sink.order).toEqual(['opening']);
  });
});

describe('JSON Lines', () => {
  const SHOP_LEVELS = mapping({
    path: 'shop/inventory_levels.jsonl',
    format: 'jsonl',
    kind: 'positions',
    columns: {
      sku: 'item.id',
      location: 'location.id',
      status: 'name',
      quantity: 'quantity',
      asOf: 'updated_at',
    },
  });

  it('maps dotted property paths, rejects a broken line and carries on', async () => {
    const content = [
      '{"item":{"id":"gid://shopify/InventoryItem/1000042"},"location":{"id":"gid://shopify/Location/1"},"name":"available","quantity":12,"updated_at":"2026-11-21T23:00:00Z"}',
      '{"item":{"id":"gid://shopify/InventoryItem/1000043"},"location":{"id":"gid://shopify/Location/1"},"name":"available","quantity":',
      '',
      '[1,2]',
      '{"item":{"id":"gid://shopify/InventoryItem/1000044"},"location":{"id":"gid://shopify/Location/2"},"name":"committed","quantity":"3","updated_at":"2026-11-21T18:00:00-05:00"}',
      '{"item":{"id":"gid://shopify/InventoryItem/1000045"},"location":null,"name":"committed","quantity":3,"updated_at":"2026-11-21T23:00:00Z"}',
    ].join('\n');
    const { sink, summary } = await readOne(SHOP_LEVELS, `\ufeff${content}`, {
      id: 'shop',
      timezone: 'UTC',
    });
    expect(summary).toMatchObject({ read: 5, accepted: 2, rejected: 3 });
    expect(
      sink.positions.map((p) => [p.sku, p.location, p.status, p.quantity, p.asOf, p.origin!.line]),
    ).toEqual([
      [
        'gid://shopify/InventoryItem/1000042',
        'gid://shopify/Location/1',
        'available',
        12,
        '2026-11-21T23:00:00.000Z',
        1,
      ],
      [
        'gid://shopify/InventoryItem/1000044',
        'gid://shopify/Location/2',
        'committed',
        3,
        '2026-11-21T23:00:00.000Z',
        5,
      ],
    ]);
    expect(sink.rejects.map((r) => [r.line, r.reason.slice(0, 20)])).toEqual([
      [2, 'not valid JSON: Unex'],
      [4, 'expected a JSON obje'],
      [6, 'missing location (pr'],
    ]);
  });

  it('reads events with null properties as absent', async () => {
    const activity = mapping({
      path: '3pl-west/activity.jsonl',
      format: 'jsonl',
      kind: 'events',
      columns: {
        sourceEventId: 'id',
        type: 'type',
        sku: 'sku',
        location: 'warehouse',
        quantity: 'qty',
        fromStatus: 'from',
        toStatus: 'to',
        occurredAt: 'at',
        recordedAt: 'recorded',
      },
    });
    const line =
      '{"id":"A1","type":"shipment","sku":"SKU-1","warehouse":"LAX1","qty":5,"from":"available","to":null,"at":"2026-11-20T10:00:00Z","recorded":"2026-11-20T10:05:00Z"}';
    const { sink } = await readOne(
      activity,
      `${line}\r\n{"id":"A2","type":"teleport","sku":"S","warehouse":"LAX1","qty":1,"at":"2026-11-20T10:00:00Z"}\r\n`,
    );
    expect(sink.events[0]).toMatchObject({
      sourceEventId: 'A1',
      type: 'shipment',
      fromStatus: 'available',
      toStatus: undefined,
      recordedAt: '2026-11-20T10:05:00.000Z',
    });
    expect(sink.rejects).toMatchObject([{ line: 2, reason: "unknown event type 'teleport'" }]);
  });
});
