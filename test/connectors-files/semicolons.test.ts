/**
 * Excel writes "CSV" with semicolons where the decimal mark is a comma (Germany, France, Spain,
 * Italy, the Netherlands…): `Artikel;Lagerplatz;Status;Menge;…` and `12,5`. `delimiter: ';'` on
 * the file's mapping reads it; without it the header is one column, and the refusal says which
 * delimiter to set instead of only listing every column as missing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvConnector } from '../../connectors/csv/index.ts';
import { numberFormatOf } from '../../connectors/recognize/quantities.ts';
import { readMappedFileInWorker } from '../../connectors/shared/read-in-worker.ts';
import type { FileMapping } from '../../engine/core/rules/types.ts';
import { readAll } from '../support/reading.ts';
import {
  WMS_INVENTORY,
  mapping,
  recordingSink,
  source,
  tempDataDir,
  writeData,
  readSourceFiles,
  proposalFor,
} from './helpers.ts';

const GERMAN: FileMapping = {
  ...WMS_INVENTORY,
  delimiter: ';',
  numberFormat: '1.234,5',
};
const HEADER = 'Item;Bin;Status;Qty;UOM;SnapshotTime';
const rows = (date: string) => [
  `SKU-1;WH-EAST-A-01;AVAILABLE;1.204;EA;${date} 18:00`,
  `"SKU;2";WH-EAST-A-01;AVAILABLE;3;EA;${date} 18:00`,
  `SKU-3;WH-EAST-A-02;AVAILABLE;drei;EA;${date} 18:00`,
];
const FILE = `${[HEADER, ...rows('2026-11-21')].join('\r\n')}\r\n`;

const read = readSourceFiles;

describe('a CSV separated by semicolons (Excel in most of Europe)', () => {
  it('is read with delimiter: ";", its numbers as the file writes them', async () => {
    const { sink, summary } = await read([GERMAN], FILE);
    expect(summary).toMatchObject({ read: 3, accepted: 2, rejected: 1 });
    expect(sink.positions.map((p) => [p.sku, p.quantity])).toEqual([
      ['SKU-1', 1204],
      ['SKU;2', 3],
    ]);
    expect(sink.rejects[0]).toMatchObject({ line: 4, sku: 'SKU-3' });
  });

  it('without numberFormat, reads 1.204 as a decimal and says so in the summary, once', async () => {
    const plain: FileMapping = { ...WMS_INVENTORY, delimiter: ';' };
    const file = FILE.replace('AVAILABLE;3;EA', 'AVAILABLE;2.500;EA');
    const { sink, summary } = await read([plain], file);
    expect(sink.positions.map((p) => p.quantity)).toEqual([1.204, 2.5]);
    expect(summary.notes).toEqual([
      "numbers such as '1.204' were read as decimals (1.204); if the file groups thousands with '.', as Excel does with ';' where the decimal mark is a comma, set numberFormat: '1.234,5' on its mapping",
    ]);
    // with the setting, nothing to say; in a comma file, 1.204 is a decimal like any other
    expect((await read([GERMAN], file)).summary.notes).toBeUndefined();
    const comma = file.replaceAll(';', ',').replace('"SKU,2"', 'SKU-2');
    expect((await read([WMS_INVENTORY], comma)).summary.notes).toBeUndefined();
  });

  it('without it, is refused naming the delimiter to set', async () => {
    const { summary } = await read([WMS_INVENTORY], FILE);
    expect(summary.failed).toMatchObject({ code: 'HEADER_MISSING_COLUMN', line: 1 });
    expect(summary.failed!.message).toMatch(
      /one column and its names look separated by ';' \(set delimiter: ';' on the file's mapping\)/,
    );
  });

  it('is read alike on a reading thread', async () => {
    const content = `${[HEADER, ...rows('2026-11-19')].join('\r\n')}\r\n`;
    const m = { ...GERMAN, path: 'wms/inventory.csv' };
    const here = await readAll(m, content);
    const there = await readAll(m, content, {}, readMappedFileInWorker);
    expect(there.calls).toStrictEqual(here.calls);
    expect(there.summary).toStrictEqual(here.summary);
    expect(here.summary).toMatchObject({ read: 3, accepted: 2, rejected: 1 });
  });

  it('is a csv setting only', async () => {
    const tsv = mapping({ ...WMS_INVENTORY, format: 'tsv', delimiter: ';' });
    await expect(read([tsv], 'x')).rejects.toThrow(/delimiter applies only to csv files/);
  });

  it('is proposed by tally init', async () => {
    const dir = tempDataDir();
    writeData(
      dir,
      'bestand.csv',
      'sku;location;status;qty;snapshot_at\r\nSKU-1;WH-EAST;available;12;2026-11-21T18:00:00Z\r\n' +
        'SKU-2;WH-EAST;available;1.204;2026-11-21T18:00:00Z\r\n',
    );
    const { plan, files, proposed } = await proposalFor(dir, 'bestand.csv', 'UTC');
    expect(proposed).toMatchObject({
      format: 'csv',
      delimiter: ';',
      numberFormat: '1.234,5',
      columns: { sku: 'sku', location: 'location', quantity: 'qty' },
    });
    expect(files['sources.yaml']).toMatch(/delimiter: ;|delimiter: ";"|delimiter: ';'/);
    expect(plan.report.decide).toContainEqual(
      expect.stringMatching(
        /bestand\.csv: quantities like "1\.204" read with numberFormat '1\.234,5'/,
      ),
    );
    // and the proposed mapping reads the file as written
    const { notes: _notes, ...file } = proposed!;
    const { sink } = await read(
      [mapping({ ...file, dateFormat: 'iso' })],
      readFileSync(join(dir, 'bestand.csv'), 'utf8'),
    );
    expect(sink.positions.map((p) => p.quantity)).toEqual([12, 1204]);
  });
});

describe('the number format tally init reads off a quantity column', () => {
  it.each([
    [['12', '3'], ';', undefined],
    [['12', '1.204'], ';', '1.234,5'],
    [['12', '1.204'], ',', undefined],
    [['12,5'], ';', '1.234,5'],
    [['12,5'], ',', '1234,5'],
    [['1.204,5'], ',', '1.234,5'],
    [['1,204'], ',', '1,234.5'],
    [['1,204.5'], ';', '1,234.5'],
    [['1 204'], ';', '1 234,5'],
    [["1'204"], ',', "1'234.5"],
    [['12.5'], ',', undefined],
  ])('%j separated by %s: %s', (values, delimiter, expected) => {
    expect(numberFormatOf(values, delimiter)).toBe(expected);
  });
});

describe('tally init on a German Excel export as Excel writes it', () => {
  it('proposes delimiter, number format, date pattern and encoding, and the proposal reads it', async () => {
    // Windows-1252, CRLF, semicolons, 1.204 and 21.11.2026 18:00: "CSV (Trennzeichen-getrennt)"
    // of a system whose columns have English names
    const text = [
      'sku;location;status;qty;snapshot_at',
      'KAFFEE-GRÜN-250;WH-EAST;available;1.204;21.11.2026 18:00',
      'STRAßENSCHUH-42;WH-EAST;available;7;21.11.2026 18:00',
    ].join('\r\n');
    const bytes = Buffer.from(text, 'latin1');
    const dir = tempDataDir();
    writeData(dir, 'lager/bestand.csv', bytes);
    const { plan, proposed } = await proposalFor(dir, 'lager/bestand.csv', 'Europe/Berlin');
    expect(proposed).toMatchObject({
      kind: 'positions',
      delimiter: ';',
      numberFormat: '1.234,5',
      encoding: 'windows-1252',
      dateFormat: 'dd.MM.yyyy HH:mm',
      columns: { sku: 'sku', location: 'location', quantity: 'qty', asOf: 'snapshot_at' },
    });
    expect(plan.report.guessed).toContainEqual(
      expect.stringMatching(
        /column snapshot_at: times like "21\.11\.2026 18:00" read as dd\.MM\.yyyy HH:mm/,
      ),
    );
    const { notes: _notes, ...file } = proposed!;
    const dataDir = tempDataDir();
    writeData(dataDir, file.path, bytes);
    const sink = recordingSink();
    await csvConnector.read(
      { source: source({ files: [mapping(file)], timezone: 'Europe/Berlin' }), dataDir },
      sink,
    );
    expect(sink.rejects).toEqual([]);
    expect(sink.positions.map((p) => [p.sku, p.quantity, p.asOf])).toEqual([
      ['KAFFEE-GRÜN-250', 1204, '2026-11-21T17:00:00.000Z'],
      ['STRAßENSCHUH-42', 7, '2026-11-21T17:00:00.000Z'],
    ]);
  });
});

describe('tally init on an export whose columns have German names', () => {
  it('recognizes Artikel, Lagerplatz, Lager, Menge, Einheit and Stichtag', async () => {
    const dir = tempDataDir();
    writeData(
      dir,
      'lager/bestand.csv',
      Buffer.from(
        [
          'Artikel;Lagerplatz;Lager;Status;Menge;Einheit;Stichtag',
          'KAFFEE-GRÜN;WH-EAST-A-01;WH-EAST;available;1.270;EA;21.11.2026 18:00',
        ].join('\r\n'),
        'latin1',
      ),
    );
    const { plan, proposed } = await proposalFor(dir, 'lager/bestand.csv', 'Europe/Berlin');
    expect(proposed).toMatchObject({
      kind: 'positions',
      columns: {
        sku: 'Artikel',
        location: 'Lagerplatz',
        quantity: 'Menge',
        unit: 'Einheit',
        status: 'Status',
        asOf: 'Stichtag',
      },
      numberFormat: '1.234,5',
      dateFormat: 'dd.MM.yyyy HH:mm',
    });
    // the bin is placed in its warehouse
    expect(plan.locations.get('WH-EAST-A-01')).toMatchObject({ level: 'bin', parent: 'WH-EAST' });
  });
});
