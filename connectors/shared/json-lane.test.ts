import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FileMapping } from '../../engine/core/rules/types.ts';
import { readAll } from '../../test/support/reading.ts';
import { CHUNK_BYTES } from './byte-stream.ts';
import { JsonLane, JsonRow } from './json-lane.ts';
import { LineSplitter } from './lines.ts';

const LIMITS = { maxLineChars: 240, maxFieldChars: 40, maxRecordLines: 3 };

/**
 * Inventory levels one named quantity a line, flat: the benchmark generator's shape (a GraphQL
 * bulk export nests `quantities` and `location` in each level: such lines hold nested values and
 * go to JSON.parse; Shopify's documented REST records are tested on their own below).
 */
const LEVELS: FileMapping = {
  path: 'shop/inventory_levels.jsonl',
  format: 'jsonl',
  kind: 'positions',
  dateFormat: 'iso',
  columns: {
    sku: 'inventory_item_id',
    location: 'location_id',
    status: 'name',
    quantity: 'quantity',
    asOf: 'updated_at',
  },
  constants: { unit: 'EA' },
  limits: LIMITS,
};

const FULFILLMENTS: FileMapping = {
  path: 'shop/fulfillments.jsonl',
  format: 'jsonl',
  kind: 'events',
  dateFormat: 'iso',
  columns: {
    sourceEventId: 'id',
    reference: 'order',
    type: 'kind',
    sku: 'inventory_item_id',
    location: 'location_id',
    quantity: 'quantity',
    occurredAt: 'created_at',
  },
  constants: { unit: 'EA' },
  typeMap: { fulfillment: 'shipment', refund: 'return' },
  limits: LIMITS,
};

async function expectSameAsParse(mapping: FileMapping, content: string | Buffer) {
  const lane = await readAll(mapping, content, { byteLane: true });
  const parsed = await readAll(mapping, content, { byteLane: false });
  expect(JSON.stringify(lane)).toBe(JSON.stringify(parsed));
  return lane;
}

/** JSON texts of values, good and odd: what JSON.parse and the lane must read alike. */
const VALUES = [
  '"SKU-1"',
  '" SKU-2 "',
  '"   "',
  '""',
  '"SK\\u00dc-3"',
  '"say \\"hi\\""',
  '"SK\u00dc-4"',
  '"tab\there"',
  '"unclosed',
  '5',
  '-3',
  '0',
  '-0',
  '1.50',
  '1e2',
  '1E+2',
  '2.5e-3',
  '1e400',
  '123456789012345',
  '1234567890123456789',
  '007',
  '1.',
  '.5',
  '+1',
  '-',
  'true',
  'false',
  'null',
  'tru',
  'nul',
  '{"nested":1}',
  '[1,2]',
  '"2026-11-19T10:00:00Z"',
  '"2026-11-21T10:00:00Z"',
  '"gid://shopify/Location/1"',
  '"available"',
  '"committed"',
];

const KEYS = [
  'inventory_item_id',
  'location_id',
  'name',
  'quantity',
  'updated_at',
  'id',
  'order',
  'kind',
  'created_at',
  'other',
  '__proto__',
  'constructor',
  'quan\\u0074ity',
];

/** Mostly a good value for the key, sometimes an odd one. */
const GOOD: Record<string, string[]> = {
  inventory_item_id: ['"gid://shopify/InventoryItem/1"', '"gid://shopify/InventoryItem/2"'],
  location_id: ['"gid://shopify/Location/1"'],
  name: ['"available"', '"committed"', '" damaged "'],
  quantity: ['5', '12', '0', '-2'],
  updated_at: ['"2026-11-19T10:00:00Z"', '"2026-11-19T10:00:00.000Z"'],
  id: ['"gid://shopify/Fulfillment/1"', '"gid://shopify/Fulfillment/2"'],
  order: ['"SO-1"', '"SO-2"'],
  kind: ['"fulfillment"', '"refund"', '"bogus"'],
  created_at: ['"2026-11-18T23:00:00Z"'],
};

const space = fc.constantFrom('', '', '', ' ', '  ', '\t', '\r');

const pair = (key: string) =>
  fc
    .tuple(
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...(GOOD[key] ?? VALUES)) },
        { weight: 1, arbitrary: fc.constantFrom(...VALUES) },
      ),
      space,
      space,
    )
    .map(([value, a, b]) => `"${key}"${a}:${b}${value}`);

/** An object line: the mapped keys in any order (some missing, some twice), or junk. */
const lineOf = (keys: string[]) =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .tuple(
          fc.shuffledSubarray([...keys, ...keys.slice(0, 2), 'other'], { minLength: 1 }),
          space,
          space,
        )
        .chain(([chosen, a, b]) =>
          fc.tuple(...chosen.map(pair)).map((pairs) => `${a}{${pairs.join(',')}}${b}`),
        ),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '{}',
        ' { } ',
        '[]',
        '"text"',
        '42',
        'null',
        '{"quantity":5,}',
        '{"quantity" 5}',
        '{quantity:5}',
        '{"quantity":5} x',
        '{"quantity":5}}',
        '{"a":{"b":1},"quantity":5}',
        '   ',
        '\r',
        `{"other":"${'x'.repeat(250)}"}`,
      ),
    },
    { weight: 1, arbitrary: fc.constantFrom(...KEYS).map((k) => `{"${k}":1}`) },
  );

const fileOf = (keys: string[]) =>
  fc
    .record({
      bom: fc.boolean(),
      lines: fc.array(fc.tuple(lineOf(keys), fc.constantFrom('\n', '\r\n', '\n\n')), {
        maxLength: 40,
      }),
      lastEnding: fc.boolean(),
    })
    .map(({ bom, lines, lastEnding }) => {
      const text = (bom ? '\ufeff' : '') + lines.map(([l, end]) => l + end).join('');
      return lastEnding || !text.endsWith('\n') ? text : text.replace(/\r?\n$/, '');
    });

describe('the JSON Lines lane', () => {
  it('reads plain lines from the bytes and hands every other line to JSON.parse, in order', () => {
    const seen: string[] = [];
    const splitter = new LineSplitter((text, line) => void seen.push(`parse ${line} ${text}`));
    const lane = new JsonLane({
      splitter,
      row: new JsonRow(['sku', 'qty']),
      maxPlainBytes: 60,
      onRow: (r, line) => void seen.push(`lane ${line} ${r.value(0)} ${r.value(1)}`),
    });
    lane.pushBytes(
      Buffer.from(
        [
          '{"sku":" A-1 ","qty":5,"other":[1]}',
          '{"sku":"A-2","qty":1.50,"sku":"A-3"}\r',
          '',
          '{"sku":"A-\\u0034","qty":4}',
          '{"qty":-0,"sku":null,"x":true}',
          `{"sku":"${'L'.repeat(60)}"}`,
          '{"sku":"A-5","qty":5',
          '{"sku":"A-6","qty":6}',
        ].join('\n'),
      ),
    );
    lane.end();
    expect(seen).toEqual([
      'parse 1 {"sku":" A-1 ","qty":5,"other":[1]}',
      'lane 2 A-3 1.5',
      'parse 4 {"sku":"A-\\u0034","qty":4}',
      'lane 5 undefined 0',
      `parse 6 {"sku":"${'L'.repeat(60)}"}`,
      'parse 7 {"sku":"A-5","qty":5',
      'lane 8 A-6 6',
    ]);
  });

  it('delivers the rows, rejects, counts and progress JSON.parse does (positions)', async () => {
    await fc.assert(
      fc.asyncProperty(fileOf(Object.values(LEVELS.columns)), async (content) => {
        await expectSameAsParse(LEVELS, content);
      }),
      { numRuns: 80 },
    );
  });

  it('does so for events', async () => {
    await fc.assert(
      fc.asyncProperty(fileOf(Object.values(FULFILLMENTS.columns)), async (content) => {
        await expectSameAsParse(FULFILLMENTS, content);
      }),
      { numRuns: 60 },
    );
  });

  it('reads a mixed file as hand-checked', async () => {
    const content = [
      '{"inventory_item_id":"gid://shopify/InventoryItem/1","location_id":"gid://shopify/Location/1","name":"available","quantity":5,"updated_at":"2026-11-19T10:00:00Z"}',
      '{ "quantity" : 1.50 , "name":" committed ","inventory_item_id":"gid://shopify/InventoryItem/1","location_id":"gid://shopify/Location/1","updated_at":"2026-11-19T10:00:00Z" }\r',
      '{"inventory_item_id":"gid://shopify/InventoryItem/2","location_id":"gid://shopify/Location/1","name":"avail\\u0061ble","quantity":2,"updated_at":"2026-11-19T10:00:00Z"}',
      '',
      '{"inventory_item_id":"gid://shopify/InventoryItem/3","location_id":"gid://shopify/Location/1","name":"available","quantity":007,"updated_at":"2026-11-19T10:00:00Z"}',
      '{"inventory_item_id":"gid://shopify/InventoryItem/4","location_id":"gid://shopify/Location/1","name":"available","quantity":-0,"quantity":3,"updated_at":"2026-11-19T10:00:00Z"}',
      '{"inventory_item_id":"gid://shopify/InventoryItem/5","location_id":"gid://shopify/Location/1","name":"available","quantity":"x1","updated_at":"2026-11-19T10:00:00Z"}',
    ].join('\n');
    const { calls, summary, rejects } = await expectSameAsParse(LEVELS, content);
    const positions = (calls as [string, { sku: string; status: string; quantity: number }][])
      .filter(([kind]) => kind === 'position')
      .map(([, p]) => [p.sku, p.status, p.quantity]);
    expect(positions).toEqual([
      ['gid://shopify/InventoryItem/1', 'available', 5],
      ['gid://shopify/InventoryItem/1', 'committed', 1.5],
      ['gid://shopify/InventoryItem/2', 'available', 2],
      ['gid://shopify/InventoryItem/4', 'available', 3],
    ]);
    expect(summary).toMatchObject({ read: 6, accepted: 4, rejected: 2 });
    expect(rejects).toContain('not valid JSON');
    expect(rejects).toContain("'x1' is not a number");
  });

  it("reads Shopify's documented REST InventoryLevel records as JSON.parse does", async () => {
    // the legacy REST resource: numeric ids, `available` (null where the item is not tracked),
    // updated_at with the shop's offset, admin_graphql_api_id; one status column, `available`
    const rest: FileMapping = {
      path: 'shop/inventory_levels.jsonl',
      format: 'jsonl',
      kind: 'positions',
      dateFormat: 'iso',
      columns: { sku: 'inventory_item_id', location: 'location_id', asOf: 'updated_at' },
      statusColumns: ['available'],
      constants: { unit: 'EA' },
      limits: LIMITS,
    };
    const level = (item: number, available: string, updated: string) =>
      `{"inventory_item_id":${item},"location_id":905684977,"available":${available},` +
      `"updated_at":"${updated}","admin_graphql_api_id":"gid://shopify/InventoryLevel/905684977?inventory_item_id=${item}"}`;
    const content = [
      level(808950810, '6', '2026-11-19T14:00:00-05:00'),
      level(39072856, '0', '2026-11-19T11:00:00-08:00'),
      level(457924702, 'null', '2026-11-19T14:00:00-05:00'),
      level(49148385, '-2', '2026-11-19T19:00:00+00:00'),
      level(12345678901234567, '3', '2026-11-19T19:00:00Z'),
    ].join('\n');
    const { calls, summary } = await expectSameAsParse(rest, content);
    const positions = (calls as [string, { sku: string; quantity: number; asOf: string }][])
      .filter(([kind]) => kind === 'position')
      .map(([, p]) => [p.sku, p.quantity, p.asOf]);
    expect(positions).toEqual([
      ['808950810', 6, '2026-11-19T19:00:00.000Z'],
      ['39072856', 0, '2026-11-19T19:00:00.000Z'],
      ['49148385', -2, '2026-11-19T19:00:00.000Z'],
      [String(12345678901234567), 3, '2026-11-19T19:00:00.000Z'],
    ]);
    // the untracked item's row (available: null) says nothing of its stock: refused, either way
    expect(summary).toMatchObject({ read: 5, accepted: 4, rejected: 1 });
    const rejects = (calls as [string, { line: number; reason: string }][])
      .filter(([kind]) => kind === 'reject')
      .map(([, r]) => [r.line, r.reason]);
    expect(rejects).toEqual([[3, 'no quantity in any status column (available)']]);
  });

  it('leaves a mapping of nested properties to JSON.parse, with the same rows', async () => {
    const nested: FileMapping = {
      ...LEVELS,
      columns: { ...LEVELS.columns, quantity: 'quantities.available' },
    };
    const content =
      '{"inventory_item_id":"gid://shopify/InventoryItem/1","location_id":"gid://shopify/Location/1","name":"available","quantities":{"available":4},"updated_at":"2026-11-19T10:00:00Z"}\n';
    const { calls } = await expectSameAsParse(nested, content);
    expect(calls).toHaveLength(1);
    expect((calls[0] as [string, { quantity: number }])[1].quantity).toBe(4);
  });

  it('agrees across chunks on a file of many lines, odd ones among them', async () => {
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < CHUNK_BYTES * 2.5; i++) {
      const name = i % 53 === 0 ? 'av\\u0061ilable' : i % 7 === 0 ? 'committed' : 'available';
      const quantity = i % 41 === 0 ? '1e1' : i % 43 === 0 ? '"x"' : String(i % 9);
      const line = `{"inventory_item_id":"gid://shopify/InventoryItem/${i % 211}","location_id":"gid://shopify/Location/1","name":"${name}","quantity":${quantity},"updated_at":"2026-11-19T10:00:00Z"}\n`;
      parts.push(i % 97 === 0 ? `${line.slice(0, -2)}\n` : line);
      size += line.length;
    }
    const { summary } = await expectSameAsParse(LEVELS, parts.join(''));
    expect(summary.read).toBe(parts.length);
    expect(summary.rejected).toBeGreaterThan(0);
  });
});
