/**
 * Excel for Mac's "CSV (Macintosh)" ends each line with a carriage return alone. Read by line
 * feeds, such a file was one line: its header swallowed every row and the file was quarantined
 * as lacking a column it has. Its lines are the file's lines now, numbered as a text editor
 * shows them, on this thread and on a reading thread alike; the sha256 is of the bytes as stored.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readMappedFileInWorker } from '../../connectors/shared/read-in-worker.ts';
import { readAll } from '../support/reading.ts';
import { WMS_INVENTORY, readSourceFiles } from './helpers.ts';

const HEADER = 'Item,Bin,Status,Qty,UOM,SnapshotTime';
const rows = (date: string) => [
  `SKU-1,WH-EAST-A-01,AVAILABLE,3,EA,${date} 18:00`,
  `"SKU-2, large",WH-EAST-A-01,AVAILABLE,4,EA,${date} 18:00`,
  `SKU-3,WH-EAST-A-02,AVAILABLE,three,EA,${date} 18:00`,
  `SKU-4,WH-EAST-A-02,DAMAGED,1,EA,${date} 18:00`,
];

const read = (content: Buffer) => readSourceFiles([WMS_INVENTORY], content);

describe('a CSV with carriage-return line ends (Excel for Mac)', () => {
  const content = Buffer.from(`${[HEADER, ...rows('2026-11-21')].join('\r')}\r`);

  it('is read row by row, a bad row rejected at its line', async () => {
    const { sink, summary } = await read(content);
    expect(summary).toMatchObject({ read: 4, accepted: 3, rejected: 1 });
    expect(summary.failed).toBeUndefined();
    expect(sink.positions.map((p) => [p.sku, p.quantity, p.origin!.line])).toEqual([
      ['SKU-1', 3, 2],
      ['SKU-2, large', 4, 3],
      ['SKU-4', 1, 5],
    ]);
    expect(sink.rejects).toEqual([
      expect.objectContaining({ line: 4, sku: 'SKU-3', reason: expect.stringMatching(/three/) }),
    ]);
    expect(summary.sha256).toBe(createHash('sha256').update(content).digest('hex'));
  });

  it('without a last line end too', async () => {
    const { summary } = await read(Buffer.from([HEADER, ...rows('2026-11-21')].join('\r')));
    expect(summary).toMatchObject({ read: 4, accepted: 3, rejected: 1 });
  });

  it('names the right line when its bytes are not UTF-8', async () => {
    const bad = Buffer.concat([
      Buffer.from(`${HEADER}\r${rows('2026-11-21')[0]}\rSKU-`),
      Buffer.from([0xff]),
      Buffer.from(',WH-EAST-A-01,AVAILABLE,1,EA,2026-11-21 18:00\r'),
    ]);
    const { summary } = await read(bad);
    expect(summary.failed).toMatchObject({ code: 'FILE_NOT_UTF8', line: 3 });
  });

  it('is read alike on a reading thread', async () => {
    // dated before the as-of these reads take
    const early = Buffer.from(`${[HEADER, ...rows('2026-11-19')].join('\r')}\r`);
    const mapping = { ...WMS_INVENTORY, path: 'wms/inventory.csv' };
    const here = await readAll(mapping, early);
    const there = await readAll(mapping, early, {}, readMappedFileInWorker);
    expect(there.calls).toStrictEqual(here.calls);
    expect(there.summary).toStrictEqual(here.summary);
    expect(here.summary).toMatchObject({ read: 4, accepted: 3, rejected: 1 });
  });

  it('a CRLF file is read as before: its carriage returns are not lines', async () => {
    const crlf = Buffer.from(`${[HEADER, ...rows('2026-11-21')].join('\r\n')}\r\n`);
    const { sink, summary } = await read(crlf);
    expect(summary).toMatchObject({ read: 4, accepted: 3, rejected: 1 });
    expect(sink.positions.map((p) => p.origin!.line)).toEqual([2, 3, 5]);
  });
});
