import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FileMapping } from '../../engine/core/rules/types.ts';
import { CHUNK_BYTES } from './byte-stream.ts';
import { readAll } from '../../test/support/reading.ts';

const LIMITS = { maxLineChars: 90, maxFieldChars: 40, maxRecordLines: 3 };

const EVENTS: FileMapping = {
  path: 'wms/events.csv',
  format: 'csv',
  kind: 'events',
  dateFormat: 'yyyy-MM-dd HH:mm',
  columns: { sourceEventId: 'id', type: 'type', sku: 'sku', location: 'loc', quantity: 'qty' },
  constants: { unit: 'EA' },
  typeMap: { RECEIVE: 'receipt', SHIP: 'shipment' },
  limits: LIMITS,
};
EVENTS.columns.occurredAt = 'day+time';

const POSITIONS: FileMapping = {
  path: 'wms/stock.tsv',
  format: 'tsv',
  kind: 'positions',
  dateFormat: 'iso',
  columns: { sku: 'sku', location: 'loc', status: 'status', quantity: 'qty', asOf: 'at' },
  constants: { unit: 'EA' },
  limits: LIMITS,
};

const ITEMS: FileMapping = {
  path: 'erp/items.csv',
  format: 'csv',
  kind: 'items',
  dateFormat: 'iso',
  columns: { sku: 'code', skuClass: 'class', packUnit: 'pack', packFactor: 'factor' },
  constants: {},
  limits: LIMITS,
};

async function expectSameAsText(mapping: FileMapping, content: string | Buffer) {
  const lane = await readAll(mapping, content, { byteLane: true });
  const text = await readAll(mapping, content, { byteLane: false });
  // compared as text: the big file's hundred thousand rows take toEqual seconds
  expect(JSON.stringify(lane)).toBe(JSON.stringify(text));
  return lane;
}

const CELLS = [
  'W1',
  'RECEIVE',
  'SHIP',
  'BOGUS',
  'SKU-1',
  ' SKU-2 ',
  'SK\u00dc-3',
  '"SKU,4"',
  '"say ""hi"""',
  '"two\nlines"',
  '"cr\r\nlf"',
  '"stray',
  'x"y',
  'BIN-1',
  '',
  ' ',
  '5',
  '-3',
  '1.5',
  'x1',
  '2026-11-15',
  '18:00',
  '18:0',
  '2026-11-21T10:00:00Z',
  'A'.repeat(45),
  '\t',
  '\u00a0',
];

/** Mostly a cell that column reads well, sometimes an odd one. */
const cellOf = (good: string[]) =>
  fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...good) }, fc.constantFrom(...CELLS));

const lineOf = (columns: string[][], delimiter: string) =>
  fc
    .oneof(
      { weight: 8, arbitrary: fc.tuple(...columns.map(cellOf)) },
      { weight: 2, arbitrary: fc.array(fc.constantFrom(...CELLS), { minLength: 1, maxLength: 9 }) },
      { weight: 1, arbitrary: fc.constant(['B'.repeat(120)]) },
      { weight: 1, arbitrary: fc.constant([]) },
    )
    .map((cells: readonly string[]) => cells.join(delimiter));

/** A file of the header's columns; `columns` holds good cells for each. */
const fileOf = (header: string[], columns: string[][], delimiter: string) =>
  fc
    .record({
      bom: fc.boolean(),
      lines: fc.array(fc.tuple(lineOf(columns, delimiter), fc.constantFrom('\n', '\r\n')), {
        maxLength: 40,
      }),
      lastEnding: fc.boolean(),
    })
    .map(({ bom, lines, lastEnding }) => {
      const body = lines.map(([l, end]) => l + end).join('');
      const text = (bom ? '\ufeff' : '') + header.join(delimiter) + '\n' + body;
      return lastEnding || !text.endsWith('\n') ? text : text.slice(0, -1);
    });

const SKUS = ['SKU-1', 'SKU-2', ' SKU-3', 'SKU-4\t', 'SKU-1'];
const EVENT_FILE = fileOf(
  ['id', 'type', 'sku', 'loc', 'qty', 'day', 'time'],
  [
    ['W1', 'W2', ' W3 '],
    ['RECEIVE', 'SHIP', 'receipt'],
    SKUS,
    ['BIN-1', 'BIN-2 ', '\u000bBIN-3'],
    ['5', '-3', '1.5', '0'],
    ['2026-11-15', '2026-11-19', '2026-11-20'],
    ['18:00', '9:05', '23:59'],
  ],
  ',',
);
const POSITION_FILE = fileOf(
  ['sku', 'loc', 'status', 'qty', 'at'],
  [
    SKUS,
    ['BIN-1', 'BIN-2'],
    ['AVAILABLE', 'HOLD '],
    ['5', '12', '0'],
    ['2026-11-19T10:00:00Z', '2026-11-19 10:00', '2026-11-21T10:00:00Z'],
  ],
  '\t',
);
const ITEM_FILE = fileOf(
  ['code', 'class', 'pack', 'factor'],
  [SKUS, ['A', 'B'], ['CASE', 'BOX', ''], ['12', '6', '']],
  ',',
);

describe('the byte lane', () => {
  it('delivers the rows, rejects, counts and progress the text parser does (events, csv)', async () => {
    await fc.assert(
      fc.asyncProperty(EVENT_FILE, async (content) => {
        await expectSameAsText(EVENTS, content);
      }),
      { numRuns: 60 },
    );
  });

  it('does so for positions in a TSV file and for item packs continued across lines', async () => {
    await fc.assert(
      fc.asyncProperty(POSITION_FILE, async (content) => {
        await expectSameAsText(POSITIONS, content);
      }),
      { numRuns: 40 },
    );
    await fc.assert(
      fc.asyncProperty(ITEM_FILE, async (content) => {
        await expectSameAsText(ITEMS, content);
      }),
      { numRuns: 40 },
    );
  });

  it('reads a mixed file as hand-checked', async () => {
    const content = [
      'id,type,sku,loc,qty,day,time',
      'W1,RECEIVE,SKU-1,BIN-1,5,2026-11-15,18:00',
      'W2,RECEIVE,"SKU,2",BIN-1,5,2026-11-15,18:00',
      'W3,RECEIVE,SK\u00dc-3,BIN-1,5,2026-11-15,18:00\r',
      'W4,RECEIVE,SKU-4,BIN-1,5',
      'W5,RECEIVE,SKU-5,BIN-1,5,2026-11-15,18:00,extra',
      'W6,RECEIVE,SKU-6,BIN-1,5,2026-11-15,18:00,,',
      `W7,RECEIVE,SKU-7,${'L'.repeat(41)},5,2026-11-15,18:00`,
      'W8,SHIP, SKU-8 ,BIN-1,x1,2026-11-15,18:00',
      'W9,SHIP,SKU-9,BIN-1,2,2026-11-15,18:00',
    ].join('\n');
    const { calls, summary } = await expectSameAsText(EVENTS, content);
    const events = (calls as [string, { sku: string }][]).filter(([kind]) => kind === 'event');
    expect(events.map(([, e]) => e.sku)).toEqual([
      'SKU-1',
      'SKU,2',
      'SK\u00dc-3',
      'SKU-6',
      'SKU-9',
    ]);
    expect(summary).toMatchObject({ read: 9, accepted: 5, rejected: 4, skipped: 0 });
    const lane = await readAll(EVENTS, content, { byteLane: true });
    expect(lane.rejects).toContain('expected 7 fields, found 5');
    expect(lane.rejects).toContain('expected 7 fields, found 8');
    expect(lane.rejects).toContain('field 4 is 41 characters long');
    expect(lane.rejects).toContain("quantity (column qty): 'x1' is not a number");
  });

  it('agrees on a long run of quoted lines, read as text in pieces', async () => {
    const parts = ['id,type,sku,loc,qty,day,time\n'];
    for (let i = 0; i < 8000; i++) {
      const odd = i % 97 === 0 ? `"BIN\n${i}"` : i % 89 === 0 ? `"stray${i}` : `"BIN-${i % 7}"`;
      parts.push(`W${i},RECEIVE,"SKU,${i % 13}",${odd},${i % 5},2026-11-15,18:00\n`);
    }
    const { summary } = await expectSameAsText(EVENTS, parts.join(''));
    expect(summary.accepted).toBeGreaterThan(7000);
  });

  it('agrees across chunk boundaries, over many rows and their progress reports', async () => {
    const lines = [
      ',SHIP,S,B,1,2026-11-15,18:00',
      'W2,SHIP,SKU-2,BIN-2,1,2026-11-16,09:30',
      'W3,SHIP,"SKU,3",BIN-2,1,2026-11-16,09:30',
      'W4,SHIP,SKU-4,"BIN\n4",1,2026-11-16,09:30',
      'W5,RECEIVE,SK\u00dc-5,BIN-1,7,2026-11-17,23:59',
      'W6,RECEIVE,"stray,BIN-1,7,2026-11-17,23:59',
      'W7,BOGUS,SKU-7,BIN-1,7,2026-11-17,23:59\r',
      '',
    ];
    const parts = ['id,type,sku,loc,qty,day,time\n'];
    let size = parts[0]!.length;
    for (let i = 0; size < 4 * CHUNK_BYTES; i++) {
      // mostly plain lines, as in an export, with an odd one every few dozen
      const line = `${i}${lines[i % 37 === 0 ? 1 + ((i / 37) % (lines.length - 1)) : 0]!}\n`;
      parts.push(line);
      size += line.length;
    }
    const { summary, progress } = await expectSameAsText(EVENTS, parts.join(''));
    expect(summary.read).toBeGreaterThan(100_000);
    expect(progress.length).toBeGreaterThan(1);
  });
});
