/**
 * Issue 11, the file readers under fault injection: a stray quote, an unclosed last quote, a
 * runaway line or field costs its own line and nothing else; every physical line is read once.
 */
import { describe, expect, it } from 'vitest';
import { csvConnector } from '../../connectors/csv/index.ts';
import { jsonlConnector } from '../../connectors/jsonl/index.ts';
import type { FileMapping } from '../../engine/core/rules/types.ts';
import {
  WMS_INVENTORY,
  mapping,
  recordingSink,
  source,
  tempDataDir,
  writeData,
} from './helpers.ts';

const HEADER = 'Item,Bin,Status,Qty,UOM,SnapshotTime';
const row = (i: number) => `SKU-${i},WH-EAST-A-01,AVAILABLE,${i},EA,2026-11-21 18:00`;

async function readCsv(content: string | Buffer, file: FileMapping = WMS_INVENTORY) {
  const dataDir = tempDataDir();
  writeData(dataDir, file.path, content);
  const sink = recordingSink();
  const result = await csvConnector.read({ source: source({ files: [file] }), dataDir }, sink);
  return { sink, summary: result.files[0]! };
}

function rows(n: number, at: Map<number, string> = new Map()): string[] {
  return Array.from({ length: n }, (_, i) => at.get(i + 2) ?? row(i));
}

describe('a stray quote', () => {
  it('mid-file costs its own line: 10,000 data lines are 10,000 rows read', async () => {
    const lines = [
      HEADER,
      ...rows(10_000, new Map([[502, 'SKU-X,"B,AVAILABLE,1,EA,2026-11-21 18:00']])),
    ];
    // a later quote that would otherwise close the stray one, thousands of lines down
    lines[7_000] = '"SKU-Q",WH-EAST-A-01,AVAILABLE,1,EA,2026-11-21 18:00';
    const { sink, summary } = await readCsv(`${lines.join('\n')}\n`);
    expect(summary).toMatchObject({ read: 10_000, accepted: 9_999, rejected: 1 });
    expect(sink.rejects).toMatchObject([
      { line: 502, raw: 'SKU-X,"B,AVAILABLE,1,EA,2026-11-21 18:00' },
    ]);
    expect(sink.rejects[0]!.reason).toMatch(
      /stray quote: .*opened on line 502 .*not closed within 100 lines/,
    );
    expect(sink.positions.find((p) => p.origin!.line === 7_001)?.sku).toBe('SKU-Q');
  });

  it('closed a few lines down by another quote: only its own line is rejected', async () => {
    const lines = [
      HEADER,
      row(1),
      'SKU-X,"B,AVAILABLE,1,EA,2026',
      row(3),
      '"SKU-4",B,AVAILABLE,4,EA,2026-11-21 18:00',
      row(5),
    ];
    const { sink, summary } = await readCsv(lines.join('\n'));
    expect(summary).toMatchObject({ read: 5, accepted: 4, rejected: 1 });
    expect(sink.rejects.map((r) => r.line)).toEqual([3]);
    expect(sink.rejects[0]!.reason).toMatch(/lines 3\.\.5/);
    expect(sink.positions.map((p) => p.sku)).toEqual(['SKU-1', 'SKU-3', 'SKU-4', 'SKU-5']);
  });

  it('left open at the end of the file: that line is rejected, the lines after it are read', async () => {
    const lines = [HEADER, ...rows(500), 'SKU-X,"B,AVAILABLE,1,EA,2026-11-21 18:00', ...rows(500)];
    const { sink, summary } = await readCsv(lines.join('\n'));
    expect(summary).toMatchObject({ read: 1_001, accepted: 1_000, rejected: 1 });
    expect(sink.rejects.map((r) => r.line)).toEqual([502]);
  });

  it('on the very last line, after quoted line breaks that are fine', async () => {
    const content = `${HEADER},Note\nSKU-1,B,S,1,EA,2026-11-21 18:00,"two\nlines"\nSKU-2,B,S,1,EA,"2026-11-21 18:00\n`;
    const file = { ...WMS_INVENTORY };
    const { sink, summary } = await readCsv(content, file);
    expect(summary).toMatchObject({ read: 2, accepted: 1, rejected: 1 });
    expect(sink.rejects).toMatchObject([{ line: 4, reason: 'a quoted field is never closed' }]);
  });

  it('honours limits.maxRecordLines', async () => {
    const note = Array.from({ length: 5 }, (_, i) => `part ${i}`).join('\n');
    const content = `${HEADER},Note\n${row(1)},"${note}"\n${row(2)},\n`;
    const tight = { ...WMS_INVENTORY, limits: { maxRecordLines: 3 } };
    const loose = await readCsv(content, WMS_INVENTORY);
    expect(loose.summary).toMatchObject({ read: 2, accepted: 2 });
    const { summary, sink } = await readCsv(content, tight);
    expect(summary.read).toBe(summary.accepted + summary.rejected);
    expect(sink.rejects[0]).toMatchObject({ line: 2 });
    expect(sink.rejects[0]!.reason).toMatch(/not closed within 3 lines/);
    expect(sink.positions.map((p) => p.sku)).toContain('SKU-2');
  });
});

describe('a runaway line or field', () => {
  it('a 64 MB line is rejected with its number and the file streams on, fast and small', async () => {
    const huge = `SKU-H,${'x'.repeat(64 * 1024 * 1024)},AVAILABLE,1,EA,2026-11-21 18:00`;
    const content = [HEADER, row(1), huge, row(3)].join('\n');
    const rss = process.memoryUsage().rss;
    const started = performance.now();
    const { sink, summary } = await readCsv(content);
    const seconds = (performance.now() - started) / 1000;
    expect(summary).toMatchObject({ read: 3, accepted: 2, rejected: 1 });
    expect(sink.rejects[0]).toMatchObject({ line: 3 });
    expect(sink.rejects[0]!.reason).toMatch(
      /over the limit of 1048576 characters \(limits.maxLineChars\)/,
    );
    expect(sink.rejects[0]!.raw.length).toBeLessThanOrEqual(200);
    expect(sink.rejects[0]!.raw.startsWith('SKU-H,xxx')).toBe(true);
    expect(seconds).toBeLessThan(10);
    expect(process.memoryUsage().rss - rss).toBeLessThan(256 * 1024 * 1024);
  });

  it('limits.maxLineChars applies to lines that fit in a chunk too, for CSV and JSON Lines', async () => {
    const long = `SKU-L,${'y'.repeat(5_000)},AVAILABLE,1,EA,2026-11-21 18:00`;
    const tight = { ...WMS_INVENTORY, limits: { maxLineChars: 2_048, maxFieldChars: 8_000 } };
    const { sink, summary } = await readCsv([HEADER, row(1), long, row(3)].join('\n'), tight);
    expect(summary).toMatchObject({ read: 3, accepted: 2, rejected: 1 });
    expect(sink.rejects[0]!.reason).toMatch(/5038 characters long, over the limit of 2048/);

    const dataDir = tempDataDir();
    const jsonl = mapping({
      path: 'shop/positions.jsonl',
      format: 'jsonl',
      kind: 'positions',
      columns: { sku: 'sku', location: 'loc', status: 'st', quantity: 'q', asOf: 't' },
      limits: { maxLineChars: 1_024 },
    });
    const ok = '{"sku":"A","loc":"L","st":"available","q":1,"t":"2026-11-21T00:00:00Z"}';
    const big = `{"sku":"${'z'.repeat(3_000)}","loc":"L","st":"available","q":1,"t":"2026-11-21T00:00:00Z"}`;
    writeData(dataDir, jsonl.path, [ok, big, ok].join('\n'));
    const js = recordingSink();
    const res = await jsonlConnector.read(
      { source: source({ connector: 'jsonl', files: [jsonl] }), dataDir },
      js,
    );
    expect(res.files[0]).toMatchObject({ read: 3, accepted: 2, rejected: 1 });
    expect(js.rejects[0]).toMatchObject({ line: 2 });
  });

  it('a mapped cell over limits.maxFieldChars rejects its row; an unmapped one does not', async () => {
    const content = [
      `${HEADER},Description`,
      `SKU-1,${'b'.repeat(5_000)},AVAILABLE,1,EA,2026-11-21 18:00,short`,
      `SKU-2,B,AVAILABLE,1,EA,2026-11-21 18:00,${'d'.repeat(5_000)}`,
    ].join('\n');
    const { sink, summary } = await readCsv(content);
    expect(summary).toMatchObject({ read: 2, accepted: 1, rejected: 1 });
    expect(sink.rejects[0]).toMatchObject({ line: 2 });
    expect(sink.rejects[0]!.reason).toMatch(
      /field 2 is 5000 characters long, over the limit of 4096/,
    );
    expect(sink.positions[0]!.sku).toBe('SKU-2');
  });
});

/** Each kind of bad line the fault-injection pass used, with the reason its reject must give. */
const FAULTS: { line: (i: number) => string; reason: RegExp }[] = [
  { line: () => ',B,AVAILABLE,3,EA,2026-11-21 18:00', reason: /missing sku/ },
  {
    line: (i) => `SKU-${i},B,AVAILABLE,three,EA,2026-11-21 18:00`,
    reason: /'three' is not a number/,
  },
  {
    line: (i) => `SKU-${i},B,AVAILABLE,"1,032",EA,2026-11-21 18:00`,
    reason: /'1,032' is not a number/,
  },
  { line: (i) => `SKU-${i},B,AVAILABLE,1e3,EA,2026-11-21 18:00`, reason: /'1e3' is not a number/ },
  { line: (i) => `SKU-${i},B,AVAILABLE,3,EA,2026-11-31 18:00`, reason: /not yyyy-MM-dd HH:mm/ },
  { line: (i) => `SKU-${i},B,AVAILABLE,3,EA`, reason: /expected 6 fields, found 5/ },
  {
    line: (i) => `SKU-${i},B,AVAILABLE,3,EA,2026-11-21 18:00,extra`,
    reason: /expected 6 fields, found 7/,
  },
  { line: (i) => `SKU-${i},B,,3,EA,2026-11-21 18:00`, reason: /missing status/ },
  {
    line: (i) => `"SKU-${i}"x,B,AVAILABLE,3,EA,2026-11-21 18:00`,
    reason: /text after a closing quote/,
  },
  { line: (i) => `SKU-${i},"B,AVAILABLE,3,EA,2026-11-21 18:00`, reason: /stray quote/ },
  { line: (i) => `SKU-${i},B,AVAILABLE,3,EA,"2026-11-21 18:00`, reason: /stray quote/ },
  {
    line: (i) => `SKU-${i},${'w'.repeat(5_000)},AVAILABLE,3,EA,2026-11-21 18:00`,
    reason: /limits.maxFieldChars/,
  },
  {
    line: (i) => `SKU-${i},B,AVAILABLE,3,EA,${'t'.repeat(1_100_000)}`,
    reason: /limits.maxLineChars/,
  },
  {
    line: (i) => `SKU-${i},B,AVAILABLE,3,EA,yesterday`,
    reason: /'yesterday' is not yyyy-MM-dd HH:mm/,
  },
];

describe('fault injection: 10,000 rows, 1 % bad of 14 kinds', () => {
  it('read = accepted + rejected exactly, and every bad line is rejected with its line', async () => {
    const bad = new Map<number, RegExp>();
    const lines = [HEADER];
    for (let i = 0; i < 10_000; i++) {
      const line = i + 2;
      if (i % 100 === 41) {
        const fault = FAULTS[bad.size % FAULTS.length]!;
        bad.set(line, fault.reason);
        lines.push(fault.line(i));
      } else lines.push(row(i));
    }
    const { sink, summary } = await readCsv(`${lines.join('\r\n')}\r\n`);
    expect(bad.size).toBe(100);
    expect(summary).toMatchObject({ read: 10_000, accepted: 9_900, rejected: 100 });
    expect(summary.read).toBe(summary.accepted + summary.rejected + (summary.skipped ?? 0));
    expect(new Set(sink.rejects.map((r) => r.line))).toEqual(new Set(bad.keys()));
    for (const r of sink.rejects) expect(r.reason, `line ${r.line}`).toMatch(bad.get(r.line)!);
    const accepted = sink.positions.map((p) => p.origin!.line);
    expect(accepted.filter((l) => bad.has(l))).toEqual([]);
    expect(accepted).toHaveLength(9_900);
  });
});
