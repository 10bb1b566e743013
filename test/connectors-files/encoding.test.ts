/**
 * Files in a legacy encoding, as systems really write them: Excel's "CSV (Comma delimited)" on a
 * Western Windows saves in its ANSI code page, Windows-1252, with CRLF line ends; a Japanese
 * system's export in Shift_JIS. Read as UTF-8 such a file is refused whole (its letters would be
 * replaced); `encoding` on its file mapping reads it as it is, on this thread and on a reading
 * thread alike, and its sha256 stays that of the bytes as stored.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonlConnector } from '../../connectors/jsonl/index.ts';
import { readMappedFileInWorker } from '../../connectors/shared/read-in-worker.ts';
import type { FileMapping } from '../../engine/core/rules/types.ts';
import { loadRuleset } from '../../engine/core/rules/load.ts';
import { readAll } from '../support/reading.ts';
import {
  WMS_INVENTORY,
  mapping,
  tempDataDir,
  writeData,
  readSourceFiles,
  proposalFor,
} from './helpers.ts';

/** Windows-1252 bytes of a text: Latin-1's, but for the few 1252 puts at 0x80–0x9F. */
function windows1252(text: string): Buffer {
  const extra: Record<string, number> = { '€': 0x80, '–': 0x96, '—': 0x97, '™': 0x99 };
  return Buffer.from([...text].map((c) => extra[c] ?? c.charCodeAt(0)));
}

const HEADER = 'Item,Bin,Status,Qty,UOM,SnapshotTime';
const ROWS = [
  'CAFÉ-MOLIDO-250,WH-EAST-A-01,AVAILABLE,12,EA,2026-11-21 18:00',
  'CRÈME-BRÛLÉE-6,WH-EAST-A-02,AVAILABLE,4,EA,2026-11-21 18:00',
  'TÉ-VERDE–100,WH-EAST-A-03,DAMAGED,1,EA,2026-11-21 18:00',
  'PLAIN-1,WH-EAST-A-04,AVAILABLE,7,EA,2026-11-21 18:00',
];
/** As Excel writes it: Windows-1252, CRLF. */
const EXCEL_CSV = windows1252(`${[HEADER, ...ROWS].join('\r\n')}\r\n`);

const read = readSourceFiles;

describe('a CSV saved by Excel on Windows (Windows-1252, CRLF)', () => {
  it('is refused whole as UTF-8, the message naming the encoding to set', async () => {
    const { sink, summary } = await read([WMS_INVENTORY], EXCEL_CSV);
    expect(summary).toMatchObject({ read: 0, accepted: 0, failed: { code: 'FILE_NOT_UTF8' } });
    expect(summary.failed!.message).toMatch(/line 2 .*not UTF-8.*encoding: windows-1252/);
    expect(sink.positions).toEqual([]);
  });

  it('is read with every letter when its mapping says encoding: windows-1252', async () => {
    const { sink, summary } = await read(
      [{ ...WMS_INVENTORY, encoding: 'windows-1252' }],
      EXCEL_CSV,
    );
    expect(summary).toMatchObject({ read: 4, accepted: 4, rejected: 0 });
    expect(summary.failed).toBeUndefined();
    expect(sink.positions.map((p) => [p.sku, p.location, p.quantity])).toEqual([
      ['CAFÉ-MOLIDO-250', 'WH-EAST-A-01', 12],
      ['CRÈME-BRÛLÉE-6', 'WH-EAST-A-02', 4],
      ['TÉ-VERDE–100', 'WH-EAST-A-03', 1],
      ['PLAIN-1', 'WH-EAST-A-04', 7],
    ]);
    expect(sink.positions.map((p) => p.origin!.line)).toEqual([2, 3, 4, 5]);
    // the fingerprint is of the file as stored, not of its text
    expect(summary.sha256).toBe(createHash('sha256').update(EXCEL_CSV).digest('hex'));
  });

  it('reads a bad row in it as a bad row: rejected with its line, the others kept', async () => {
    const content = windows1252(
      [HEADER, ROWS[0], 'CAFÉ-MOLIDO-250,WH-EAST-A-01,AVAILABLE,doce,EA,2026-11-21 18:00', ROWS[1]]
        .join('\r\n')
        .concat('\r\n'),
    );
    const { sink, summary } = await read([{ ...WMS_INVENTORY, encoding: 'windows-1252' }], content);
    expect(summary).toMatchObject({ read: 3, accepted: 2, rejected: 1 });
    expect(sink.rejects).toHaveLength(1);
    expect(sink.rejects[0]).toMatchObject({ line: 3, sku: 'CAFÉ-MOLIDO-250' });
    expect(sink.rejects[0]!.reason).toMatch(/'doce' is not a number/);
  });
});

describe('a Shift_JIS export', () => {
  // コーヒー-250 and 倉庫 in Shift_JIS: a second byte can be below 0x80 (0x52, 0x5b, 0x71)
  const coffee = Buffer.from([0x83, 0x52, 0x81, 0x5b, 0x83, 0x71, 0x81, 0x5b]);
  const content = Buffer.concat([
    Buffer.from(`${HEADER}\r\n`),
    coffee,
    Buffer.from('-250,WH-EAST-A-01,AVAILABLE,3,EA,2026-11-21 18:00\r\n'),
  ]);

  it('is read with encoding: shift_jis', async () => {
    const { sink, summary } = await read([{ ...WMS_INVENTORY, encoding: 'shift_jis' }], content);
    expect(summary).toMatchObject({ read: 1, accepted: 1 });
    expect(sink.positions[0]!.sku).toBe('コーヒー-250');
  });
});

describe('JSON Lines in Windows-1252', () => {
  const JSONL = mapping({
    path: 'wms-east/levels.jsonl',
    kind: 'positions',
    format: 'jsonl',
    columns: { sku: 'sku', location: 'bin', status: 'status', quantity: 'qty', asOf: 'at' },
    constants: { unit: 'EA' },
  });
  const content = windows1252(
    [
      '{"sku":"CAFÉ-MOLIDO-250","bin":"WH-EAST-A-01","status":"AVAILABLE","qty":5,"at":"2026-11-21T18:00:00Z"}',
      '{"sku":"PLAIN-1","bin":"WH-EAST-A-01","status":"AVAILABLE","qty":2,"at":"2026-11-21T18:00:00Z"}',
    ].join('\n'),
  );

  it('is read with its encoding and refused without it', async () => {
    const named = await read([{ ...JSONL, encoding: 'windows-1252' }], content, jsonlConnector);
    expect(named.sink.positions.map((p) => p.sku)).toEqual(['CAFÉ-MOLIDO-250', 'PLAIN-1']);
    const plain = await read([JSONL], content, jsonlConnector);
    expect(plain.summary.failed?.code).toBe('FILE_NOT_UTF8');
  });
});

describe('on a reading thread', () => {
  it('delivers what a read on this thread delivers', async () => {
    const excel: FileMapping = {
      ...WMS_INVENTORY,
      path: 'wms/inventory.csv',
      encoding: 'windows-1252',
    };
    // dated before the as-of these reads take
    const content = windows1252(
      `${[HEADER, ...ROWS].join('\r\n').replaceAll('2026-11-21', '2026-11-19')}\r\n`,
    );
    const here = await readAll(excel, content);
    const there = await readAll(excel, content, {}, readMappedFileInWorker);
    expect(there.calls).toStrictEqual(here.calls);
    expect(there.summary).toStrictEqual(here.summary);
    expect(here.summary).toMatchObject({ read: 4, accepted: 4 });
    expect((here.calls[0] as [string, { sku: string }])[1].sku).toBe('CAFÉ-MOLIDO-250');
  });
});

describe('the file mapping setting', () => {
  it('is validated: an encoding Tally does not read is named with those it does', async () => {
    const rules = mkdtempSync(join(tmpdir(), 'tally-enc-rules-'));
    cpSync(join(import.meta.dirname, '../../rules'), rules, { recursive: true });
    const path = join(rules, 'sources.yaml');
    const text = readFileSync(path, 'utf8');
    const at = text.indexOf('format: csv');
    expect(at).toBeGreaterThan(0);
    const indent = text.slice(text.lastIndexOf('\n', at) + 1, at);
    writeFileSync(path, `${text.slice(0, at)}encoding: utf-16\n${indent}${text.slice(at)}`);
    const { problems } = await loadRuleset(rules);
    expect(problems.map((p) => p.message).join('\n')).toMatch(
      /unknown text encoding "utf-16" \(expected one of utf-8, windows-1252, iso-8859-1, shift_jis\)/,
    );
    writeFileSync(path, `${text.slice(0, at)}encoding: windows-1252\n${indent}${text.slice(at)}`);
    const ok = await loadRuleset(rules);
    expect(ok.problems).toEqual([]);
    const mapped = [...ok.ruleset!.sources.values()].flatMap((s) => s.files ?? []);
    expect(mapped.filter((f) => f.encoding === 'windows-1252')).toHaveLength(1);
  });
});

describe('tally init on an Excel CSV in Windows-1252', () => {
  it('proposes encoding: windows-1252 on its mapping, asks to check, and the mapping reads it', async () => {
    const dir = tempDataDir();
    const csv = windows1252(
      [
        'sku,location,status,qty,snapshot_at',
        'CAFÉ-MOLIDO-250,WH-EAST,available,12,2026-11-21T18:00:00Z',
        'TÉ-VERDE–100,WH-EAST,available,3,2026-11-21T18:00:00Z',
      ].join('\r\n'),
    );
    writeData(dir, 'stock.csv', csv);
    const { plan, files, proposed } = await proposalFor(dir, 'stock.csv', 'UTC');
    expect(proposed).toMatchObject({ kind: 'positions', encoding: 'windows-1252' });
    expect(files['sources.yaml']).toMatch(/encoding: windows-1252/);
    expect(plan.report.decide).toContainEqual(
      expect.stringMatching(/stock\.csv: not UTF-8; read as windows-1252/),
    );
    const { notes: _notes, ...file } = proposed!;
    const { sink, summary } = await read([mapping({ ...file, dateFormat: 'iso' })], csv);
    expect(summary).toMatchObject({ read: 2, accepted: 2 });
    expect(sink.positions.map((p) => p.sku)).toEqual(['CAFÉ-MOLIDO-250', 'TÉ-VERDE–100']);
  });
});

describe('a UTF-16 file (Excel\'s "Unicode Text")', () => {
  const text = `${[HEADER, ...ROWS].join('\r\n')}\r\n`;
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

  it.each([
    ['with its byte-order mark', le, {}],
    ['without one', Buffer.from(text, 'utf16le'), {}],
    ['even when a legacy encoding is named', le, { encoding: 'windows-1252' as const }],
  ])('is refused whole, %s, saying what it is and what to save it as', async (_, bytes, over) => {
    const { sink, summary } = await read([{ ...WMS_INVENTORY, ...over }], bytes);
    expect(summary.failed).toMatchObject({ code: 'FILE_NOT_UTF8', line: 1 });
    expect(summary.failed!.message).toMatch(/UTF-16 text .*save or export it as UTF-8/);
    expect(sink.positions).toEqual([]);
  });
});

describe('a file that is no text at all', () => {
  it.each([
    [
      'an .xlsx workbook',
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]),
      /zip archive \(an Excel \.xlsx workbook/,
    ],
    [
      'an .xls workbook',
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]),
      /Excel \.xls workbook/,
    ],
    ['a PDF', Buffer.from('%PDF-1.7\n%\xe2\xe3\n', 'latin1'), /a PDF document/],
  ])('is refused whole, %s, saying what it is', async (_, bytes, what) => {
    const { summary } = await read(
      [WMS_INVENTORY],
      Buffer.concat([bytes, Buffer.alloc(200, 0x41)]),
    );
    expect(summary.failed).toMatchObject({ code: 'FILE_NOT_UTF8', line: 1 });
    expect(summary.failed!.message).toMatch(what);
    expect(summary.failed!.message).toMatch(/save or export it as UTF-8/);
  });
});
