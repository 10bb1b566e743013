import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  x12ThreePlConnector,
  exportCorrection947,
  exportCorrectionCsv,
} from '../../connectors/x12-3pl/index.ts';
import type { WriteBackRequest } from '../../connectors/types.ts';
import { InputError } from '../../engine/core/errors.ts';
import type { SourceDef } from '../../engine/core/rules/types.ts';

import { collect } from '../support/collect-sink.ts';

const FIXTURES = new URL('../fixtures/x12/', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'tally-x12-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function source(settings: Record<string, unknown>): SourceDef {
  return {
    id: '3pl-dallas',
    connector: 'x12-3pl',
    role: '3pl',
    owner: 'logistics',
    timezone: 'America/Chicago',
    cutoffMinutes: 20 * 60,
    expectedLagMinutes: 120,
    systemOfRecord: ['physical_movements'],
    locations: ['DC-DAL'],
    group: 'default',
    files: [],
    file: 'rules/sources.yaml',
    line: 20,
    settings,
  };
}

async function read(
  paths: string[],
  extra: Partial<{ asOf: string; cursor: string }> = {},
  dataDir = FIXTURES,
) {
  const { sink, ...got } = collect();
  const result = await x12ThreePlConnector.read(
    { source: source({ paths }), dataDir, ...extra },
    sink,
  );
  return { ...got, result };
}

describe('x12-3pl: documented transaction sets', () => {
  it('reads an 846 into positions, one per LIN × QTY qualifier', async () => {
    const { positions, rejects } = await read(['846-inventory.edi']);
    expect(rejects).toEqual([]);
    expect(positions.map((p) => [p.sku, p.status, p.quantity, p.unit])).toEqual([
      ['SKU-RED', '17', 120, 'EA'],
      ['SKU-RED', '33', 100, 'EA'],
      ['SKU-RED', '63', 40, 'EA'],
      ['SKU-BLUE', '17', 12, 'CA'],
      ['SKU-BLUE', '33', 12, 'CA'],
      ['SKU-BLUE', 'BQ', 5, 'EA'],
    ]);
    // BIA 20261120 1800 in Chicago (CST, UTC−6)
    expect(positions[0]).toMatchObject({
      location: 'DC-DAL',
      asOf: '2026-11-21T00:00:00.000Z',
      origin: { line: 7 },
    });
  });

  it('reads a 944 receipt: W07 lines received, a W13 damaged exception moved to damaged', async () => {
    const { events } = await read(['944-receipt.edi']);
    expect(
      events.map((e) => [e.sourceEventId, e.type, e.sku, e.fromStatus, e.toStatus, e.quantity]),
    ).toEqual([
      ['944:WR-7001:1', 'receipt', 'SKU-RED', undefined, '33', 100],
      ['944:WR-7001:1:W13:1', 'status_change', 'SKU-RED', '33', 'damaged', 4],
      ['944:WR-7001:2', 'receipt', 'SKU-BLUE', undefined, '33', 24],
    ]);
    expect(events[0]).toMatchObject({
      reference: 'PO-1001',
      location: 'DC-DAL',
      occurredAt: '2026-11-20T06:00:00.000Z',
    });
  });

  it('reads a 945 shipment: units shipped per W12, order number as reference', async () => {
    const { events } = await read(['945-shipment.edi']);
    expect(events.map((e) => [e.sourceEventId, e.type, e.sku, e.quantity, e.reference])).toEqual([
      ['945:SH-777:1', 'shipment', 'SKU-RED', 10, 'SO-5001'],
      ['945:SH-777:2', 'shipment', 'SKU-BLUE', 3, 'SO-5001'],
    ]);
  });

  it('reads a 947 and maps W19 reason codes to the reason catalogue', async () => {
    const { events } = await read(['947-adjustment.edi']);
    expect(events.map((e) => [e.type, e.reasonCode, e.fromStatus, e.toStatus, e.quantity])).toEqual(
      [
        ['adjustment', 'PHYSICAL_COUNT', '33', undefined, 3],
        ['status_change', 'DAMAGED_IN_FACILITY', '33', 'damaged', 2],
        ['status_change', 'PUT_ON_HOLD', '33', 'hold', 1],
        ['status_change', 'TAKEN_OFF_HOLD', 'hold', '33', 1],
        ['adjustment', 'BOOK_ADJUSTMENT_INCREASE', undefined, '33', 6],
      ],
    );
    expect(events[0]).toMatchObject({ sourceEventId: '947:ADJ-88:1', reference: 'DEP-9' });
  });

  it('reads two interchanges in one file', async () => {
    const { positions, events, result } = await read(['two-interchanges.edi']);
    expect(positions).toHaveLength(3);
    expect(events).toHaveLength(2);
    expect(result.files[0]).toMatchObject({ read: 2, accepted: 2, rejected: 0 });
  });

  it('holds back records after asOf', async () => {
    const { events } = await read(['945-shipment.edi', '944-receipt.edi'], {
      asOf: '2026-11-20T12:00:00.000Z',
    });
    expect(events.map((e) => e.type)).toEqual(['receipt', 'status_change', 'receipt']);
  });
});

describe('x12-3pl: malformed files', () => {
  const cases: [string, RegExp][] = [
    ['malformed-iea-control.edi', /IEA02 control number 999 does not match ISA13 106/],
    ['malformed-ge-count.edi', /GE01 says 2 transaction sets, group 7 has 1/],
    ['malformed-se-control.edi', /SE02 control number 0009 does not match ST02 0001/],
    ['malformed-unknown-reason.edi', /W19-01 reason code "ZZ" is not a known adjustment reason/],
    ['malformed-bad-quantity.edi', /QTY02 quantity "ten" is not a number/],
    ['malformed-w14-total.edi', /W14-01 total 999 does not match the sum of the lines \(124\)/],
    ['malformed-unsupported-set.edi', /transaction set 850 is not read by x12-3pl/],
    ['malformed-not-x12.edi', /not an X12 interchange/],
    [
      'malformed-no-gs.edi',
      /^interchange could not be read: ST at line 2 is outside a functional group \(no GS before it\)$/,
    ],
  ];
  for (const [file, reason] of cases)
    it(`rejects ${file} with a clear reason and delivers nothing from it`, async () => {
      const { positions, events, rejects, result } = await read([file]);
      expect(positions).toEqual([]);
      expect(events).toEqual([]);
      expect(rejects).toHaveLength(1);
      expect(rejects[0]!.reason).toMatch(reason);
      expect(rejects[0]!.file).toBe(file);
      expect(rejects[0]!.line).toBeGreaterThan(0);
      expect(result.files[0]).toMatchObject({ accepted: 0, rejected: 1 });
    });

  it('names the keys of the sets in an interchange it cannot parse', async () => {
    const { rejects } = await read(['malformed-no-gs.edi']);
    const skus = new Set(rejects[0]!.keys?.map((k) => `${k.sku} @ ${k.location}`));
    expect(skus.size).toBeGreaterThan(0);
    for (const k of skus) expect(k).toMatch(/ @ DC-DAL$/);
    expect(rejects[0]!.kind).toBe('events');
  });

  it('rejects one bad transaction set and keeps the good ones of the same interchange', async () => {
    const { events, rejects, result } = await read(['mixed-one-bad-set.edi']);
    expect(events.map((e) => e.sourceEventId)).toEqual(['947:ADJ-89:1', '947:ADJ-91:1']);
    expect(rejects).toEqual([
      expect.objectContaining({
        line: 8,
        reason: '947 transaction set 0002: SE01 says 9 segments, transaction set 0002 has 5',
      }),
    ]);
    expect(rejects[0]!.raw).toMatch(/^ST\*947\*0002~/);
    expect(result.files[0]).toMatchObject({ read: 3, accepted: 2, rejected: 1 });
  });

  it('refuses bad settings with every problem named', async () => {
    expect(x12ThreePlConnector.checkSettings(source({ paths: [], exportFormat: 'xml' }))).toEqual([
      expect.stringMatching(/settings.paths/),
      expect.stringMatching(/settings.exportFormat/),
    ]);
    const err = await x12ThreePlConnector
      .read({ source: source({ paths: ['nope.edi'] }), dataDir: FIXTURES }, collect().sink)
      .catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.code).toBe('X12_PATH_NOT_FOUND');
  });
});

describe('x12-3pl: incremental pulls', () => {
  it('skips files no newer than the cursor', async () => {
    const dir = join(tmp, 'drop');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    copyFileSync(join(FIXTURES, '944-receipt.edi'), join(dir, 'a-944.edi'));
    utimesSync(
      join(dir, 'a-944.edi'),
      new Date('2026-11-20T10:00:00Z'),
      new Date('2026-11-20T10:00:00Z'),
    );
    const first = await read(['.'], {}, dir);
    expect(first.events).toHaveLength(3);
    copyFileSync(join(FIXTURES, '945-shipment.edi'), join(dir, 'b-945.edi'));
    utimesSync(
      join(dir, 'b-945.edi'),
      new Date('2026-11-21T10:00:00Z'),
      new Date('2026-11-21T10:00:00Z'),
    );
    const second = await read(['.'], { cursor: first.result.cursor }, dir);
    expect(second.events.map((e) => e.type)).toEqual(['shipment', 'shipment']);
    expect(second.result.cursor).toBe('2026-11-21T10:00:00.000Z');
  });
});

const correction = (over: Partial<WriteBackRequest> = {}): WriteBackRequest => ({
  idempotencyKey: 'corr-2026-0042',
  sku: 'SKU-RED',
  location: 'DC-DAL',
  rawStatus: '33',
  delta: -4,
  expectedCurrent: 100,
  reasonCode: 'DAMAGED_IN_FACILITY',
  reference: 'EXC-77',
  ...over,
});

describe('x12-3pl: correction export', () => {
  it('writes a 947 that its own reader accepts, envelope and counts included', async () => {
    const edi = exportCorrection947(
      [
        correction(),
        correction({
          idempotencyKey: 'corr-43',
          sku: 'SKU-BLUE',
          delta: 6,
          reasonCode: 'PHYSICAL_COUNT',
        }),
      ],
      { controlNumber: 42, now: new Date('2026-11-22T09:30:00Z') },
    );
    expect(edi).toMatch(
      /^ISA\*00\*.{10}\*00\*.{10}\*ZZ\*TALLY {10}\*ZZ\*THREEPL {8}\*261122\*0930\*U\*00401\*000000042\*0\*P\*>~/,
    );
    expect(edi).toMatch(/^W19\*AU\*-4\*EA\*\*SK\*SKU-RED~$/m);
    expect(edi).toMatch(/^SE\*6\*0001~$/m);
    expect(edi).toMatch(/^GE\*2\*42~$/m);
    expect(edi).toMatch(/^IEA\*1\*000000042~$/m);
    writeFileSync(join(tmp, 'export.edi'), edi);
    const back = await read(['export.edi'], {}, tmp);
    expect(back.rejects).toEqual([]);
    expect(back.events.map((e) => [e.sku, e.reasonCode, e.quantity, e.location])).toEqual([
      ['SKU-RED', 'DAMAGED_IN_FACILITY', 4, 'DC-DAL'],
      ['SKU-BLUE', 'PHYSICAL_COUNT', 6, 'DC-DAL'],
    ]);
  });

  it('writes a CSV with one row per correction, quoting where needed', () => {
    const csv = exportCorrectionCsv([correction({ reference: 'EXC-77, recount' })]);
    expect(csv.split('\n')).toEqual([
      'idempotency_key,sku,location,raw_status,delta,expected_current,reason_code,w19_reason_code,reference',
      'corr-2026-0042,SKU-RED,DC-DAL,33,-4,100,DAMAGED_IN_FACILITY,AU,"EXC-77, recount"',
      '',
    ]);
  });

  it('write-back exports once per idempotency key and reports the path', async () => {
    const exportDir = join(tmp, 'exports');
    const src = source({ paths: ['.'], exportDir });
    const first = await x12ThreePlConnector.writeBack!(src, correction());
    expect(first).toEqual({ status: 'exported', path: join(exportDir, '947-corr-2026-0042.edi') });
    const body = readFileSync(first.status === 'exported' ? first.path : '', 'utf8');
    const again = await x12ThreePlConnector.writeBack!(src, correction({ delta: -999 }));
    expect(again).toEqual(first);
    expect(readFileSync(join(exportDir, '947-corr-2026-0042.edi'), 'utf8')).toBe(body);
    const csv = await x12ThreePlConnector.writeBack!(
      source({ paths: ['.'], exportDir, exportFormat: 'csv' }),
      correction({ idempotencyKey: 'k/2' }),
    );
    expect(csv).toEqual({ status: 'exported', path: join(exportDir, '947-k_2.csv') });
  });
});

describe('x12-3pl: a 3PL writing ISO-8859-1', () => {
  const readLatin = async (settings: Record<string, unknown>) => {
    const { sink, ...got } = collect();
    const result = await x12ThreePlConnector.read(
      { source: source({ paths: ['846-latin1.edi'], ...settings }), dataDir: FIXTURES },
      sink,
    );
    return { ...got, result };
  };

  it('reads the accents with settings.encoding: iso-8859-1', async () => {
    const { positions, rejects } = await readLatin({ encoding: 'iso-8859-1' });
    expect(rejects).toEqual([]);
    expect(positions.map((p) => [p.sku, p.quantity])).toEqual([
      ['CAFÉ-250', 40],
      ['SKU-BLUE', 12],
      ['SKU-RED', 100],
    ]);
  });

  it('read as UTF-8, refuses the set holding bytes that are not, naming the setting; the other set counts', async () => {
    const { positions, rejects, result } = await readLatin({});
    expect(positions.map((p) => p.sku)).toEqual(['SKU-RED']);
    expect(rejects).toHaveLength(1);
    expect(rejects[0]!.reason).toMatch(
      /^846 transaction set 0001: bytes that are not UTF-8; .*settings\.encoding$/,
    );
    // both its keys are left incomplete, CAFÉ-250 read as its bytes most likely are
    expect(rejects[0]!.keys).toEqual([
      { sku: 'CAFÉ-250', location: 'DC-DAL' },
      { sku: 'SKU-BLUE', location: 'DC-DAL' },
    ]);
    expect(result.files[0]).toMatchObject({ read: 2, accepted: 1, rejected: 1 });
  });
});
