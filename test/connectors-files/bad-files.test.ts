/**
 * Issue 3 "Bad files": bad rows go to the rejects file with their line while good rows count;
 * a file that cannot be parsed at all is rejected whole and the sink receives nothing.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvConnector } from '../../connectors/csv/index.ts';
import { InputError } from '../../engine/core/errors.ts';
import type { RejectedRecord } from '../../connectors/types.ts';
import { WMS_INVENTORY, recordingSink, source, tempDataDir, writeData } from './helpers.ts';

const HEADER = 'Item,Bin,Status,Qty,UOM,SnapshotTime';
const MALFORMED = [
  { row: ',WH-EAST-A-01,AVAILABLE,3,EA,2026-11-21 18:00', reason: /missing sku/ },
  {
    row: 'SKU-1,WH-EAST-A-01,AVAILABLE,three,EA,2026-11-21 18:00',
    reason: /Qty.*'three' is not a number/,
  },
  {
    row: 'SKU-1,WH-EAST-A-01,AVAILABLE,3,EA,2026-11-31 18:00',
    reason: /SnapshotTime.*not yyyy-MM-dd HH:mm/,
  },
  { row: 'SKU-1,WH-EAST-A-01,AVAILABLE,3,EA', reason: /expected 6 fields, found 5/ },
  { row: 'SKU-1,WH-EAST-A-01,,3,EA,2026-11-21 18:00', reason: /missing status/ },
  {
    row: '"SKU-1"x,WH-EAST-A-01,AVAILABLE,3,EA,2026-11-21 18:00',
    reason: /text after a closing quote/,
  },
];

async function read(dataDir: string, sink = recordingSink()) {
  const result = await csvConnector.read(
    { source: source({ files: [WMS_INVENTORY] }), dataDir },
    sink,
  );
  return { sink, summary: result.files[0]! };
}

describe('a file with 1 % malformed rows among 10,000', () => {
  it('delivers every good row and writes every bad row, with its line, to the rejects file', async () => {
    const dataDir = tempDataDir();
    const lines = [HEADER];
    const badLines = new Map<number, RegExp>();
    for (let i = 0; i < 10_000; i++) {
      const line = i + 2;
      if (i % 100 === 37) {
        const bad = MALFORMED[badLines.size % MALFORMED.length]!;
        badLines.set(line, bad.reason);
        lines.push(bad.row);
      } else {
        lines.push(`SKU-${i},WH-EAST-A-01,AVAILABLE,${i},EA,2026-11-21 18:00`);
      }
    }
    writeData(dataDir, 'wms-east/inventory.csv', `${lines.join('\n')}\n`);
    const { sink, summary } = await read(dataDir);

    expect(summary).toMatchObject({ read: 10_000, accepted: 9_900, rejected: 100 });
    expect(sink.positions).toHaveLength(9_900);
    const delivered = new Set(sink.positions.map((p) => p.origin!.line));
    for (let line = 2; line <= 10_001; line++)
      expect(delivered.has(line)).toBe(!badLines.has(line));
    expect(sink.positions[0]).toMatchObject({
      sku: 'SKU-0',
      quantity: 0,
      asOf: '2026-11-21T23:00:00.000Z',
    });

    const rejectsPath = join(dataDir, 'rejects', 'wms-east', 'inventory.csv.rejects.jsonl');
    expect(summary.rejectsPath).toBe(rejectsPath);
    const written = readFileSync(rejectsPath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RejectedRecord);
    expect(written).toHaveLength(100);
    expect(written).toEqual(sink.rejects);
    for (const r of written) {
      expect(r.file).toBe('wms-east/inventory.csv');
      expect(r.reason).toMatch(badLines.get(r.line)!);
      expect(r.raw).toBe(lines[r.line - 1]);
    }
  });

  it('removes a stale rejects file when a later read of the file is clean', async () => {
    const dataDir = tempDataDir();
    writeData(dataDir, 'wms-east/inventory.csv', `${HEADER}\nSKU-1,B,S,x,EA,2026-11-21 18:00\n`);
    const first = await read(dataDir);
    expect(existsSync(first.summary.rejectsPath!)).toBe(true);
    writeData(dataDir, 'wms-east/inventory.csv', `${HEADER}\nSKU-1,B,S,1,EA,2026-11-21 18:00\n`);
    const second = await read(dataDir);
    expect(second.summary.rejectsPath).toBeUndefined();
    expect(existsSync(first.summary.rejectsPath!)).toBe(false);
  });
});

describe('a rejects folder that cannot be written', () => {
  it('is a coded input error naming the path, not a crash', async () => {
    const dataDir = tempDataDir();
    writeData(dataDir, 'wms-east/inventory.csv', `${HEADER}\nSKU-1,B,S,x,EA,2026-11-21 18:00\n`);
    writeData(dataDir, 'not-a-folder', 'plain file');
    const ctx = {
      source: source({ files: [WMS_INVENTORY] }),
      dataDir,
      rejectsDir: join(dataDir, 'not-a-folder'),
    };
    const error = await csvConnector.read(ctx, recordingSink()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({
      code: 'REJECTS_UNWRITABLE',
      where: { file: expect.stringContaining('not-a-folder') },
    });
  });
});

describe('a file that cannot be read at all is quarantined, not the run', () => {
  async function expectQuarantined(content: string | Buffer, code: string, line?: number) {
    const dataDir = tempDataDir();
    writeData(dataDir, 'wms-east/inventory.csv', content);
    const sink = recordingSink();
    const { summary } = await read(dataDir, sink);
    expect(summary).toMatchObject({
      file: 'wms-east/inventory.csv',
      read: 0,
      accepted: 0,
      rejected: 0,
      failed: { code, ...(line !== undefined ? { line } : {}) },
    });
    expect(sink.order).toEqual([]);
    expect(sink.rejects).toEqual([]);
    expect(existsSync(join(dataDir, 'rejects'))).toBe(false);
    return summary.failed!;
  }

  it('bytes that are not UTF-8: quarantined, naming the line', async () => {
    const content = Buffer.concat([
      Buffer.from(`${HEADER}\nSKU-1,B,S,1,EA,2026-11-21 18:00\nSKU-`),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(',B,S,1,EA,2026-11-21 18:00\n'),
    ]);
    const failed = await expectQuarantined(content, 'FILE_NOT_UTF8', 3);
    expect(failed.message).toMatch(/line 3 .*not UTF-8/);
  });

  it('a header lacking a mapped column: quarantined, listing what is missing', async () => {
    const content = 'Item,Bin,Status,Quantity,UOM,SnapshotTime\nSKU-1,B,S,1,EA,2026-11-21 18:00\n';
    const failed = await expectQuarantined(content, 'HEADER_MISSING_COLUMN', 1);
    expect(failed.message).toMatch(/lacks 'Qty'/);
  });

  it('an empty (0-byte) file: quarantined, it has no header', async () => {
    await expectQuarantined('', 'FILE_EMPTY', 1);
  });

  it('a folder where a file should be: quarantined with a coded failure', async () => {
    const dataDir = tempDataDir();
    writeData(dataDir, 'wms-east/inventory.csv/inner.csv', 'x');
    const { summary } = await read(dataDir);
    expect(summary.failed).toMatchObject({ code: 'FILE_UNREADABLE' });
  });

  it('a missing file: quarantined with a coded failure, not a crash', async () => {
    const { summary } = await read(tempDataDir());
    expect(summary).toMatchObject({ read: 0, failed: { code: 'FILE_NOT_FOUND' } });
  });

  it('removes a stale rejects file of a file now quarantined', async () => {
    const dataDir = tempDataDir();
    writeData(dataDir, 'wms-east/inventory.csv', `${HEADER}\nSKU-1,B,S,x,EA,2026-11-21 18:00\n`);
    const first = await read(dataDir);
    writeData(dataDir, 'wms-east/inventory.csv', '');
    const second = await read(dataDir);
    expect(second.summary.failed).toMatchObject({ code: 'FILE_EMPTY' });
    expect(existsSync(first.summary.rejectsPath!)).toBe(false);
  });
});
