import { describe, expect, it } from 'vitest';
import { ingest } from '../../connectors/ingest.ts';
import { idleReadingThreads } from '../../connectors/shared/read-in-worker.ts';
import type { ReadProgress } from '../../connectors/types.ts';
import { InputError } from '../../engine/core/errors.ts';
import {
  WMS_INVENTORY,
  WMS_TXN,
  mapping,
  recordingSink,
  source,
  sources,
  tempDataDir,
  writeData,
} from './helpers.ts';

const WMS_OPENING = { ...WMS_INVENTORY, path: 'wms-east/opening.csv', kind: 'opening' as const };
const ERP_ITEMS = mapping({
  path: 'erp/items.csv',
  kind: 'items',
  columns: { sku: 'item_code', skuClass: 'item_group' },
});

function writeDemo(dataDir: string) {
  writeData(dataDir, 'erp/items.csv', 'item_code,item_group\nSKU-1,apparel\n');
  writeData(
    dataDir,
    'wms-east/opening.csv',
    'Item,Bin,Status,Qty,UOM,SnapshotTime\nSKU-1,B,AVAILABLE,1,EA,2026-11-14 18:00\n',
  );
  writeData(
    dataDir,
    'wms-east/inventory.csv',
    'Item,Bin,Status,Qty,UOM,SnapshotTime\nSKU-1,B,AVAILABLE,3,EA,2026-11-21 18:00\n',
  );
  writeData(
    dataDir,
    'wms-east/transactions.csv',
    'TxnId,TxnType,Item,Bin,Qty,TxnTime\nT1,RECEIVE,SKU-1,B,2,2026-11-20 10:00\nT2,RECEIVE,SKU-1,B,5,2026-11-22 10:00\n',
  );
}

describe('ingest', () => {
  it('reads items, then openings, then positions, then events, whatever the declaration order', async () => {
    const dataDir = tempDataDir();
    writeDemo(dataDir);
    const wms = source({ id: 'wms-east', files: [WMS_TXN, WMS_INVENTORY, WMS_OPENING] });
    const erp = source({ id: 'erp', timezone: 'UTC', files: [ERP_ITEMS] });
    const sink = recordingSink();
    const progress: ReadProgress[] = [];
    const { files } = await ingest(sources(wms, erp), dataDir, sink, {
      onProgress: (p) => progress.push(p),
    });
    expect(sink.order).toEqual(['item', 'opening', 'position', 'event', 'event']);
    expect(files.map((f) => [f.source, f.file, f.accepted])).toEqual([
      ['erp', 'erp/items.csv', 1],
      ['wms-east', 'wms-east/opening.csv', 1],
      ['wms-east', 'wms-east/inventory.csv', 1],
      ['wms-east', 'wms-east/transactions.csv', 2],
    ]);
    expect(files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
    expect(progress).toContainEqual({
      source: 'wms-east',
      file: 'wms-east/transactions.csv',
      rows: 2,
    });
  });

  it('leaves no reading thread idling once it has read everything', async () => {
    const dataDir = tempDataDir();
    writeDemo(dataDir);
    const wms = source({ id: 'wms-east', files: [WMS_TXN, WMS_INVENTORY, WMS_OPENING] });
    const erp = source({ id: 'erp', timezone: 'UTC', files: [ERP_ITEMS] });
    const before = process.env.TALLY_READ_THREADS;
    process.env.TALLY_READ_THREADS = 'all';
    try {
      // every file read on a thread, kept between files for the next one; none after the last
      const { files } = await ingest(sources(wms, erp), dataDir, recordingSink());
      expect(files.map((f) => f.accepted)).toEqual([1, 1, 1, 2]);
      expect(idleReadingThreads()).toBe(0);
    } finally {
      if (before === undefined) delete process.env.TALLY_READ_THREADS;
      else process.env.TALLY_READ_THREADS = before;
    }
  });

  it('skips records after asOf and counts them apart from rejects', async () => {
    const dataDir = tempDataDir();
    writeDemo(dataDir);
    const sink = recordingSink();
    const { files } = await ingest(sources(source({ files: [WMS_TXN] })), dataDir, sink, {
      asOf: '2026-11-21T23:00:00Z',
    });
    expect(sink.events.map((e) => e.sourceEventId)).toEqual(['T1']);
    expect(files[0]).toMatchObject({ read: 2, accepted: 1, rejected: 0, skipped: 1 });
  });

  it('refuses a bad configuration before reading anything, listing every problem', async () => {
    const dataDir = tempDataDir();
    writeDemo(dataDir);
    const sink = recordingSink();
    const broken = sources(
      source({ id: 'erp', files: [ERP_ITEMS] }),
      source({
        id: 'wms-east',
        timezone: 'Mars/Olympus',
        files: [{ ...WMS_TXN, typeMap: { RECEIVE: 'beam' } }],
      }),
      source({ id: 'pos', connector: 'carrier-pigeon', files: [] }),
    );
    const error = await ingest(broken, dataDir, sink).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ code: 'SOURCE_SETTINGS_INVALID' });
    const message = (error as Error).message;
    expect(message).toMatch(/source 'wms-east': timezone 'Mars\/Olympus'/);
    expect(message).toMatch(/typeMap 'RECEIVE' → 'beam'/);
    expect(message).toMatch(/source 'pos': no connector 'carrier-pigeon'/);
    expect(sink.order).toEqual([]);
  });

  it('quarantines a file that cannot be read and goes on with the others', async () => {
    const dataDir = tempDataDir();
    writeDemo(dataDir);
    writeData(
      dataDir,
      'wms-east/transactions.csv',
      Buffer.concat([
        Buffer.from('TxnId,TxnType,Item,Bin,Qty,TxnTime\nT1,RECEIVE,SKU-'),
        Buffer.from([0xff]),
        Buffer.from(',B,2,2026-11-20 10:00\n'),
      ]),
    );
    const sink = recordingSink();
    const wms = source({ files: [WMS_TXN, WMS_INVENTORY] });
    const { files } = await ingest(sources(wms), dataDir, sink);
    expect(sink.events).toEqual([]);
    expect(sink.positions).toHaveLength(1);
    expect(files).toMatchObject([
      { file: 'wms-east/inventory.csv', read: 1, accepted: 1 },
      {
        file: 'wms-east/transactions.csv',
        read: 0,
        accepted: 0,
        rejected: 0,
        failed: { code: 'FILE_NOT_UTF8', line: 2 },
      },
    ]);
  });

  it("tells the sink each phase's rows across all its files once, before the first row", async () => {
    const dataDir = tempDataDir();
    writeDemo(dataDir);
    writeData(
      dataDir,
      'erp/stock.csv',
      'Item,Bin,Status,Qty,UOM,SnapshotTime\nSKU-1,A,AVAILABLE,1,EA,2026-11-21 18:00\nSKU-1,C,AVAILABLE,2,EA,2026-11-21 18:00\n',
    );
    const erpStock = { ...WMS_INVENTORY, path: 'erp/stock.csv' };
    const wms = source({ files: [WMS_TXN, WMS_INVENTORY] });
    const erp = source({ id: 'erp', files: [erpStock] });
    const sink = recordingSink();
    sink.expect = (kind, rows) => void sink.order.push(`expect ${kind} ${rows}`);
    sink.expectFrom = (kind, from, rows) => void sink.order.push(`${kind} ${rows} from ${from}`);
    const { files } = await ingest(sources(wms, erp), dataDir, sink);
    // lines with the headers: inventory 2 + stock 3; transactions 3
    expect(sink.order).toEqual([
      'expect positions 5',
      'positions 2 from wms-east',
      'positions 3 from erp',
      'position',
      'position',
      'position',
      'expect events 3',
      'events 3 from wms-east',
      'event',
      'event',
    ]);
    expect(files.map((f) => [f.file, f.accepted])).toEqual([
      ['wms-east/inventory.csv', 1],
      ['erp/stock.csv', 2],
      ['wms-east/transactions.csv', 2],
    ]);
  });

  it("leaves a source that failed out of a later phase's rows, though its files were passed ahead", async () => {
    const dataDir = tempDataDir();
    writeDemo(dataDir);
    writeData(
      dataDir,
      'erp/stock.csv',
      'Item,Bin,Status,Qty,UOM,SnapshotTime\nSKU-1,A,AVAILABLE,1,EA,2026-11-21 18:00\n',
    );
    writeData(
      dataDir,
      'erp/ledger.csv',
      'TxnId,TxnType,Item,Bin,Qty,TxnTime\nE1,RECEIVE,SKU-1,A,2,2026-11-20 10:00\nE2,RECEIVE,SKU-1,A,1,2026-11-20 11:00\nE3,RECEIVE,SKU-1,A,1,2026-11-20 12:00\n',
    );
    const wms = source({ files: [WMS_TXN, WMS_INVENTORY] });
    const erp = source({
      id: 'erp',
      files: [
        { ...WMS_INVENTORY, path: 'erp/stock.csv' },
        { ...WMS_TXN, path: 'erp/ledger.csv' },
      ],
    });
    const sink = recordingSink();
    sink.expect = (kind, rows) => void sink.order.push(`expect ${kind} ${rows}`);
    // the sink refuses erp's position: erp fails in the positions phase
    const position = sink.position;
    sink.position = (p) => {
      if (p.source === 'erp')
        throw new InputError('BAD_TIME', 'refused', { file: 'erp/stock.csv' });
      position(p);
    };
    const { files, failures } = await ingest(sources(wms, erp), dataDir, sink);
    expect(failures.map((f) => [f.source, f.code])).toEqual([['erp', 'BAD_TIME']]);
    // wms-east's transactions: 3 lines with the header; erp's 4 are not counted
    expect(sink.order).toEqual([
      'expect positions 4',
      'position',
      'expect events 3',
      'event',
      'event',
    ]);
    expect(files.map((f) => f.file)).toEqual([
      'wms-east/inventory.csv',
      'wms-east/transactions.csv',
    ]);
  });

  it('still reports a file whose first pass failed ahead, and counts the others', async () => {
    const dataDir = tempDataDir();
    writeDemo(dataDir);
    writeData(dataDir, 'erp/stock.csv', Buffer.from([0x49, 0x74, 0x65, 0x6d, 0x0a, 0xff, 0x0a]));
    const erp = source({ id: 'erp', files: [{ ...WMS_INVENTORY, path: 'erp/stock.csv' }] });
    const sink = recordingSink();
    sink.expect = (kind, rows) => void sink.order.push(`expect ${kind} ${rows}`);
    const { files } = await ingest(sources(source({ files: [WMS_INVENTORY] }), erp), dataDir, sink);
    expect(sink.order).toEqual(['expect positions 2', 'position']);
    expect(files).toMatchObject([
      { file: 'wms-east/inventory.csv', accepted: 1 },
      { file: 'erp/stock.csv', read: 0, failed: { code: 'FILE_NOT_UTF8', line: 2 } },
    ]);
  });
});
