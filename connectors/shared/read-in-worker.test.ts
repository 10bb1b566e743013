import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileMapping } from '../../engine/core/rules/types.ts';
import type { Sink } from '../types.ts';
import { SOURCE, readAll } from '../../test/support/reading.ts';
import { CHUNK_BYTES } from './byte-stream.ts';
import { readMappedFileInWorker } from './read-in-worker.ts';

const EVENTS: FileMapping = {
  path: 'wms/events.csv',
  format: 'csv',
  kind: 'events',
  dateFormat: 'yyyy-MM-dd HH:mm',
  columns: {
    sourceEventId: 'id',
    type: 'type',
    sku: 'sku',
    location: 'loc',
    fromLocation: 'from',
    toLocation: 'to',
    quantity: 'qty',
    occurredAt: 'at',
    reference: 'ref',
    counterpartReference: 'xref',
    reasonCode: 'reason',
  },
  constants: { unit: 'EA' },
  typeMap: { RECEIVE: 'receipt', SHIP: 'shipment', MOVE: 'transfer_out' },
  limits: { maxLineChars: 120, maxFieldChars: 40, maxRecordLines: 3 },
};

const OPENING: FileMapping = {
  path: 'wms/opening.jsonl',
  format: 'jsonl',
  kind: 'opening',
  dateFormat: 'iso',
  columns: { sku: 'sku', location: 'loc', status: 'status', quantity: 'qty', asOf: 'at' },
  constants: {},
};

const ITEMS: FileMapping = {
  path: 'erp/items.csv',
  format: 'csv',
  kind: 'items',
  dateFormat: 'iso',
  columns: { sku: 'code', skuClass: 'class', unitCost: 'cost', packUnit: 'pack', packFactor: 'n' },
  constants: {},
};

/** The same file read here and on a reading thread delivers the very same calls. */
async function expectSameOnThread(mapping: FileMapping, content: string | Buffer) {
  const here = await readAll(mapping, content);
  const there = await readAll(mapping, content, {}, readMappedFileInWorker);
  // strict: a field present as undefined here must be so there, and absent stay absent
  expect(there.calls).toStrictEqual(here.calls);
  expect(there.summary).toStrictEqual(here.summary);
  expect(there.progress).toStrictEqual(here.progress);
  expect(there.rejects).toBe(here.rejects);
  return there;
}

describe('a file read on a reading thread', () => {
  it('delivers the events, rejects and counts a read on this thread does, in order', async () => {
    const content = [
      'id,type,sku,loc,from,to,qty,at,ref,xref,reason',
      'W1,RECEIVE,SKU-1,BIN-1,,,5,2026-11-15 18:00,PO-1,,',
      'W2,SHIP,"SKU,2",BIN-1,,,2,2026-11-15 18:05,SO-1,ERP-9,DAMAGED',
      'W3,MOVE,SKU-3,,BIN-1,BIN-2,4,2026-11-16 09:00,,,',
      'W4,RECEIVE,SKU-4,BIN-1,,,x1,2026-11-16 09:00,,,',
      'W5,BOGUS,SKU-5,BIN-1,,,1,2026-11-16 09:00,,,',
      'W6,RECEIVE,SKU-6,BIN-1,,,1,2026-11-25 09:00,,,',
      'W7,SHIP,SK\u00dc-7,BIN-1,,,3,2026-11-17 10:00,,,',
      'W8,RECEIVE,SKU-8,BIN-1',
    ].join('\n');
    const { calls, summary } = await expectSameOnThread(EVENTS, content);
    expect(summary).toMatchObject({ read: 8, accepted: 4, rejected: 3, skipped: 1 });
    const kinds = (calls as [string][]).map(([kind]) => kind);
    expect(kinds.filter((k) => k === 'event').length).toBeGreaterThanOrEqual(4);
    expect(kinds).toContain('reject');
  });

  it('delivers openings from JSON Lines and items with their packs and exact costs', async () => {
    const opening = [
      { sku: 'SKU-1', loc: 'BIN-1', status: 'AVAILABLE', qty: 5, at: '2026-11-14T18:00:00Z' },
      { sku: 'SKU-2', loc: 'BIN-1', status: 'HOLD', qty: 0, at: '2026-11-14T18:00:00Z' },
      { sku: 'SKU-3', loc: 'BIN-1', qty: 1, at: '2026-11-14T18:00:00Z' },
    ]
      .map((o) => JSON.stringify(o))
      .join('\n');
    await expectSameOnThread(OPENING, `${opening}\nnot json\n`);
    const items = 'code,class,cost,pack,n\nSKU-1,A,214.06,CASE,12\n,B,1,,\nSKU-1,A,214.06,BOX,6\n';
    const { calls } = await expectSameOnThread(ITEMS, items);
    expect(calls).toContainEqual(['item', expect.objectContaining({ unitCost: '214.06' })]);
  });

  it('delivers an item master over many batches: aliases, pack rows and rejects in order', async () => {
    const mapping: FileMapping = {
      ...ITEMS,
      columns: { ...ITEMS.columns, category: 'cat', 'alias:shop': 'gid', 'alias:pos': 'plu' },
    };
    const lines = ['code,class,cat,cost,pack,n,gid,plu'];
    for (let i = 0; i < 5000; i++) {
      const plu = i % 3 === 0 ? '' : `P${i}`;
      lines.push(`SKU-${i},C${i % 4},,${i % 7}.25,,,gid://shopify/InventoryItem/${i},${plu}`);
      if (i % 250 === 0) lines.push(`,,,,CASE,${(i % 5) + 2},,`);
      if (i % 333 === 0) lines.push(`SKU-x${i},,,1,,,,`);
    }
    const { calls, summary } = await expectSameOnThread(mapping, `${lines.join('\n')}\n`);
    expect(summary).toMatchObject({ accepted: 5020, rejected: 16 });
    const items = (calls as [string, { sku: string; packs?: object; aliases?: object }][])
      .filter(([kind]) => kind === 'item')
      .map(([, item]) => item);
    expect(items.filter((i) => i.packs).length).toBe(20);
    expect(items.find((i) => i.sku === 'SKU-1')!.aliases).toEqual({
      shop: 'gid://shopify/InventoryItem/1',
      pos: 'P1',
    });
  });

  it('agrees over many batches and progress reports, across chunk boundaries', async () => {
    const parts = ['id,type,sku,loc,from,to,qty,at,ref,xref,reason\n'];
    let size = parts[0]!.length;
    for (let i = 0; size < 7 * CHUNK_BYTES; i++) {
      const odd = i % 53 === 0 ? '"SKU\n9"' : i % 41 === 0 ? 'SK\u00dc-4' : `SKU-${i % 997}`;
      const line = `W${i},${i % 3 ? 'SHIP' : 'RECEIVE'},${odd},BIN-${i % 7},,,${i % 9},2026-11-1${i % 9} 0${i % 10}:00,R${i},,\n`;
      parts.push(line);
      size += line.length;
    }
    const { summary, progress } = await expectSameOnThread(EVENTS, parts.join(''));
    expect(summary.read).toBeGreaterThan(100_000);
    expect(progress.length).toBeGreaterThan(1);
  });

  it('reports a file refused whole as a read here does, and goes on reading the next', async () => {
    const notUtf8 = Buffer.concat([
      Buffer.from('id,type,sku,loc,from,to,qty,at,ref,xref,reason\nW1,SHIP,SKU-'),
      Buffer.from([0xff]),
      Buffer.from(',BIN,,,1,2026-11-15 18:00,,,\n'),
    ]);
    const { summary } = await expectSameOnThread(EVENTS, notUtf8);
    expect(summary).toMatchObject({ read: 0, failed: { code: 'FILE_NOT_UTF8', line: 2 } });
    const noColumn = await expectSameOnThread(EVENTS, 'id,type,sku\nW1,SHIP,SKU-1\n');
    expect(noColumn.summary.failed?.code).toBe('HEADER_MISSING_COLUMN');
    await expectSameOnThread(EVENTS, 'id,type,sku,loc,from,to,qty,at,ref,xref,reason\n');
  });

  it('fails the read when the sink throws, and the next read gets a working thread', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tally-thread-'));
    mkdirSync(join(dataDir, 'wms'));
    const lines = ['id,type,sku,loc,from,to,qty,at,ref,xref,reason'];
    for (let i = 0; i < 20_000; i++)
      lines.push(`W${i},RECEIVE,SKU-${i},BIN,,,1,2026-11-15 18:00,,,`);
    writeFileSync(join(dataDir, EVENTS.path), lines.join('\n'));
    let seen = 0;
    const failing: Sink = {
      opening() {},
      position() {},
      item() {},
      reject() {},
      event() {
        if (++seen === 9000) throw new Error('the sink broke');
      },
    };
    const ctx = { source: SOURCE, dataDir };
    await expect(readMappedFileInWorker(ctx, EVENTS, failing)).rejects.toThrow('the sink broke');
    const events: unknown[] = [];
    const sink: Sink = { ...failing, event: (e) => void events.push(e) };
    const summary = await readMappedFileInWorker(ctx, EVENTS, sink);
    expect(summary.accepted).toBe(20_000);
    expect(events).toHaveLength(20_000);
  });

  it('stops when the read is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopped by the user'));
    await expect(
      readMappedFileInWorker({ source: SOURCE, dataDir: '/', signal: controller.signal }, EVENTS, {
        opening() {},
        position() {},
        event() {},
        item() {},
        reject() {},
      }),
    ).rejects.toThrow('stopped by the user');
  });
});
