import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ingest } from '../../connectors/ingest.ts';
import { idleReadingThreads } from '../../connectors/shared/read-in-worker.ts';
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

const before = process.env.TALLY_READ_THREADS;
afterEach(() => {
  if (before === undefined) delete process.env.TALLY_READ_THREADS;
  else process.env.TALLY_READ_THREADS = before;
});

const ITEMS = mapping({
  path: 'erp/items.csv',
  kind: 'items',
  columns: { sku: 'item_code', skuClass: 'item_group', unitCost: 'cost' },
});
const SHOP = mapping({
  path: 'shop/levels.jsonl',
  format: 'jsonl',
  kind: 'positions',
  columns: { sku: 'sku', location: 'location', status: 'status', quantity: 'qty', asOf: 'at' },
});

/** Several files of three sources in every phase, each with good rows and bad ones. */
function writeFolder(dataDir: string, rows: number): void {
  const items = ['item_code,item_group,cost'];
  const stock = ['Item,Bin,Status,Qty,UOM,SnapshotTime'];
  const txn = ['TxnId,TxnType,Item,Bin,Qty,TxnTime'];
  const shop: string[] = [];
  for (let i = 0; i < rows; i++) {
    const sku = `SKU-${i}`;
    items.push(i % 97 === 5 ? `${sku},apparel,12.x` : `${sku},apparel,${i % 50}.25`);
    stock.push(`${sku},B-${i % 7},AVAILABLE,${i % 13 === 3 ? 'many' : i % 40},EA,2026-11-21 18:00`);
    txn.push(
      `T${i},${i % 3 ? 'RECEIVE' : 'SHIP'},${sku},B-${i % 7},${i % 9},2026-11-20 10:0${i % 10}`,
    );
    if (i % 101 === 7) txn.push(`T${i}x,BOGUS,${sku},B-1,1,2026-11-20 10:00`);
    shop.push(
      i % 89 === 4
        ? `{"sku":"${sku}","location":"WEB","status":"available","qty":"-"}`
        : `{"sku":"${sku}","location":"WEB","status":"available","qty":${i % 11},"at":"2026-11-21T18:00:00Z"}`,
    );
  }
  writeData(dataDir, 'erp/items.csv', `${items.join('\n')}\n`);
  writeData(dataDir, 'wms-east/opening.csv', `${stock.slice(0, rows / 2).join('\n')}\n`);
  writeData(dataDir, 'wms-east/inventory.csv', `${stock.join('\n')}\n`);
  writeData(dataDir, 'wms-east/transactions.csv', `${txn.join('\n')}\n`);
  writeData(dataDir, 'shop/levels.jsonl', `${shop.join('\n')}\n`);
}

const FOLDER = () =>
  sources(
    source({ id: 'erp', timezone: 'UTC', files: [ITEMS] }),
    source({
      id: 'wms-east',
      files: [
        WMS_TXN,
        WMS_INVENTORY,
        { ...WMS_INVENTORY, path: 'wms-east/opening.csv', kind: 'opening' },
      ],
    }),
    source({ id: 'shop', connector: 'jsonl', timezone: 'UTC', files: [SHOP] }),
  );

function rejectsFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  for (const sub of readdirSync(dir))
    for (const f of readdirSync(join(dir, sub)))
      out[`${sub}/${f}`] = readFileSync(join(dir, sub, f), 'utf8');
  return out;
}

async function ingestWith(threads: '0' | 'all', rows: number) {
  process.env.TALLY_READ_THREADS = threads;
  const dataDir = tempDataDir();
  writeFolder(dataDir, rows);
  const sink = recordingSink();
  const rejectsDir = join(dataDir, 'rejects-out');
  const result = await ingest(FOLDER(), dataDir, sink, { rejectsDir });
  // each run has its own folder: a rejects path is compared from there
  const files = result.files.map((f) => ({
    ...f,
    rejectsPath: f.rejectsPath?.replace(rejectsDir, '<rejects>'),
  }));
  return { sink, result: { ...result, files }, rejects: rejectsFiles(rejectsDir) };
}

describe('files read ahead on a second thread', () => {
  it('give the sink every call, count and reject of files read one after another', async () => {
    // 20,000 rows a file: several batches each, so a file read ahead waits for its turn
    const here = await ingestWith('0', 20_000);
    const ahead = await ingestWith('all', 20_000);
    expect(here.result.readAhead).toBe(0);
    // every file after the first was started while the one before it was being taken
    expect(ahead.result.readAhead).toBe(ahead.result.files.length - 1);
    expect(ahead.sink.order).toEqual(here.sink.order);
    expect(ahead.sink.items).toStrictEqual(here.sink.items);
    expect(ahead.sink.openings).toStrictEqual(here.sink.openings);
    expect(ahead.sink.positions).toStrictEqual(here.sink.positions);
    expect(ahead.sink.events).toStrictEqual(here.sink.events);
    expect(ahead.sink.rejects).toStrictEqual(here.sink.rejects);
    expect(ahead.result.files).toStrictEqual(here.result.files);
    expect(ahead.result.failures).toEqual([]);
    // the rejects files hold the same lines, and there are some in every file with bad rows
    expect(ahead.rejects).toEqual(here.rejects);
    expect(Object.keys(ahead.rejects).sort()).toEqual([
      'erp/items.csv.rejects.jsonl',
      'shop/levels.jsonl.rejects.jsonl',
      'wms-east/inventory.csv.rejects.jsonl',
      'wms-east/opening.csv.rejects.jsonl',
      'wms-east/transactions.csv.events.rejects.jsonl',
    ]);
    expect(here.result.files.map((f) => f.rejected).every((n) => n > 0)).toBe(true);
    expect(idleReadingThreads()).toBe(0);
  });

  it('ends a read started ahead for a source that failed before its turn, and leaves no rejects of it', async () => {
    process.env.TALLY_READ_THREADS = 'all';
    const dataDir = tempDataDir();
    writeFolder(dataDir, 200);
    // erp's second positions file has a bad row: read ahead, it writes a rejects file at once
    writeData(
      dataDir,
      'erp/stock.csv',
      'Item,Bin,Status,Qty,UOM,SnapshotTime\nSKU-1,A,AVAILABLE,1,EA,2026-11-21 18:00\n',
    );
    writeData(
      dataDir,
      'erp/stock2.csv',
      'Item,Bin,Status,Qty,UOM,SnapshotTime\nSKU-2,A,AVAILABLE,x,EA,2026-11-21 18:00\n',
    );
    const erp = source({
      id: 'erp',
      files: [
        { ...WMS_INVENTORY, path: 'erp/stock.csv' },
        { ...WMS_INVENTORY, path: 'erp/stock2.csv' },
      ],
    });
    const wms = source({ id: 'wms-east', files: [WMS_INVENTORY, WMS_TXN] });
    const sink = recordingSink();
    const rejectsDir = join(dataDir, 'rejects-out');
    // the sink refuses erp's position once the second file, read ahead, has written its rejects
    const position = sink.position;
    sink.position = (p) => {
      if (p.source === 'erp') {
        const written = join(rejectsDir, 'erp', 'stock2.csv.rejects.jsonl');
        const wait = new Int32Array(new SharedArrayBuffer(4));
        for (let i = 0; i < 200 && !existsSync(written); i++) Atomics.wait(wait, 0, 0, 50);
        expect(existsSync(written)).toBe(true);
        throw new InputError('BAD_TIME', 'refused', { file: 'erp/stock.csv' });
      }
      position(p);
    };
    const { files, failures } = await ingest(sources(erp, wms), dataDir, sink, { rejectsDir });
    expect(failures.map((f) => [f.source, f.code])).toEqual([['erp', 'BAD_TIME']]);
    expect(files.map((f) => f.file)).toEqual([
      'wms-east/inventory.csv',
      'wms-east/transactions.csv',
    ]);
    expect(sink.positions.every((p) => p.source === 'wms-east')).toBe(true);
    expect(sink.rejects.some((r) => r.file === 'erp/stock2.csv')).toBe(false);
    expect(Object.keys(rejectsFiles(rejectsDir)).sort()).toEqual([
      'wms-east/inventory.csv.rejects.jsonl',
      'wms-east/transactions.csv.events.rejects.jsonl',
    ]);
    expect(idleReadingThreads()).toBe(0);
  });
});
