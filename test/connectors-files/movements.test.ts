/**
 * Issue 11, generic delimited files as a bin-level WMS exports them: movements with from- and
 * to-bins on one row and signed quantities, numbers written the German way (`1.032,5`), and one
 * count sheet read in two roles (the counted positions, and the cycle-count events).
 */
import { describe, expect, it } from 'vitest';
import { csvConnector } from '../../connectors/csv/index.ts';
import { ingest } from '../../connectors/ingest.ts';
import {
  mapping,
  proposalFor,
  readSourceFiles,
  recordingSink,
  source,
  tempDataDir,
  writeData,
} from './helpers.ts';

/** A WMS movement export (semicolon-free CSV, decimal comma, signed Menge). */
const MOVEMENTS = [
  'Beleg;Art;Artikel;VonPlatz;NachPlatz;Menge;Zeit;Auftrag',
  'M-1;WE;SKU-1;;WH-EAST-A-01;"1.032";2026-11-20 08:00;PO-7',
  'M-2;UML;SKU-1;WH-EAST-A-01;WH-EAST-B-07;"12,5";2026-11-20 09:00;',
  'M-3;TR;SKU-1;WH-EAST-B-07;WH-WEST-A-01;40;2026-11-20 10:00;TO-3',
  'M-4;WE;SKU-2;;WH-EAST-A-02;-6;2026-11-20 11:00;PO-8',
  'M-5;KORR;SKU-2;WH-EAST-A-02;;-2;2026-11-20 12:00;',
  'M-6;WA;SKU-2;WH-EAST-A-02;;1.03;2026-11-20 13:00;SO-1',
]
  .join('\n')
  .replaceAll(';', ',');

const WMS_MOVES = mapping({
  path: 'wms/movements.csv',
  kind: 'events',
  columns: {
    sourceEventId: 'Beleg',
    type: 'Art',
    sku: 'Artikel',
    fromLocation: 'VonPlatz',
    toLocation: 'NachPlatz',
    quantity: 'Menge',
    occurredAt: 'Zeit',
    reference: 'Auftrag',
  },
  typeMap: {
    WE: 'receipt',
    UML: 'putaway',
    TR: 'transfer_out',
    KORR: 'adjustment',
    WA: 'shipment',
  },
  dateFormat: 'yyyy-MM-dd HH:mm',
  numberFormat: '1.234,5',
  signedQuantity: true,
});

describe('a WMS movement export', () => {
  it('books from/to rows, signed quantities and grouped numbers; refuses a bad grouping', async () => {
    const dataDir = tempDataDir();
    writeData(dataDir, WMS_MOVES.path, MOVEMENTS);
    const sink = recordingSink();
    const result = await csvConnector.read(
      { source: source({ id: 'wms', files: [WMS_MOVES] }), dataDir },
      sink,
    );
    expect(result.files[0]).toMatchObject({ read: 6, accepted: 5, rejected: 1 });
    expect(sink.rejects).toMatchObject([
      { line: 7, reason: expect.stringMatching(/'1.03' is not a number/) },
    ]);
    const got = sink.events.map((e) => [
      e.sourceEventId,
      e.type,
      e.location,
      e.counterpartLocation,
      e.quantity,
      e.reference,
    ]);
    expect(got).toEqual([
      ['M-1', 'receipt', 'WH-EAST-A-01', undefined, 1032, 'PO-7'],
      ['M-2', 'putaway', 'WH-EAST-A-01', 'WH-EAST-B-07', 12.5, undefined],
      ['M-3:out', 'transfer_out', 'WH-EAST-B-07', 'WH-WEST-A-01', 40, 'TO-3'],
      ['M-3:in', 'transfer_in', 'WH-WEST-A-01', 'WH-EAST-B-07', 40, 'TO-3'],
      ['M-4', 'shipment', 'WH-EAST-A-02', undefined, 6, 'PO-8'],
      ['M-5', 'adjustment', 'WH-EAST-A-02', undefined, -2, undefined],
    ]);
    expect(sink.events.every((e) => e.origin!.file === 'wms/movements.csv')).toBe(true);
  });

  it('without signedQuantity a negative quantity is still a reject, with its line', async () => {
    const dataDir = tempDataDir();
    writeData(dataDir, WMS_MOVES.path, MOVEMENTS);
    const sink = recordingSink();
    const plain = { ...WMS_MOVES, signedQuantity: undefined };
    await csvConnector.read({ source: source({ id: 'wms', files: [plain] }), dataDir }, sink);
    expect(sink.rejects.map((r) => [r.line, /negative/.test(r.reason)])).toEqual([
      [5, true],
      [6, true],
      [7, false],
    ]);
  });
});

describe('one count sheet read in two roles', () => {
  it('gives the counted positions and the cycle-count events, each with its own counts', async () => {
    const dataDir = tempDataDir();
    writeData(
      dataDir,
      'wms/counts.csv',
      [
        'CountId,Item,Bin,Status,Counted,CountedAt',
        'C-1,SKU-1,WH-EAST-A-01,AVAILABLE,"1,204",2026-11-21 06:00',
        'C-2,SKU-2,WH-EAST-A-02,AVAILABLE,7,2026-11-21 06:05',
        'C-3,SKU-3,WH-EAST-A-03,AVAILABLE,-1,2026-11-21 06:10',
      ].join('\n'),
    );
    const common = {
      path: 'wms/counts.csv',
      dateFormat: 'yyyy-MM-dd HH:mm',
      numberFormat: '1,234.5',
    };
    const positions = mapping({
      ...common,
      kind: 'positions',
      columns: {
        sku: 'Item',
        location: 'Bin',
        status: 'Status',
        quantity: 'Counted',
        asOf: 'CountedAt',
      },
    });
    const events = mapping({
      ...common,
      kind: 'events',
      columns: {
        sourceEventId: 'CountId',
        sku: 'Item',
        location: 'Bin',
        toStatus: 'Status',
        quantity: 'Counted',
        occurredAt: 'CountedAt',
      },
      constants: { type: 'cycle_count' },
    });
    const sink = recordingSink();
    const rejectsDir = `${dataDir}/.rejects`;
    const { files } = await ingest(
      { sources: new Map([['wms', source({ id: 'wms', files: [positions, events] })]]) },
      dataDir,
      sink,
      { rejectsDir },
    );
    expect(files).toMatchObject([
      { file: 'wms/counts.csv', read: 3, accepted: 3, rejected: 0 },
      { file: 'wms/counts.csv', read: 3, accepted: 2, rejected: 1 },
    ]);
    expect(sink.positions.map((p) => p.quantity)).toEqual([1204, 7, -1]);
    expect(sink.events.map((e) => [e.type, e.quantity])).toEqual([
      ['cycle_count', 1204],
      ['cycle_count', 7],
    ]);
    expect(files[1]!.rejectsPath).toBe(`${rejectsDir}/wms/counts.csv.events.rejects.jsonl`);
  });
});

describe('the movement and two-role example of docs/connectors/files.md', () => {
  it('validates as part of a ruleset, and a third role of the same kind is refused', async () => {
    const { cpSync, mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadRuleset } = await import('../../engine/core/rules/load.ts');
    const doc = readFileSync(new URL('../../docs/connectors/files.md', import.meta.url), 'utf8');
    const example = doc
      .split('```yaml\n')
      .map((b) => b.split('```')[0]!)
      .find((b) => b.includes('fromLocation: VonPlatz'))!;
    const dir = mkdtempSync(join(tmpdir(), 'tally-moves-'));
    cpSync(new URL('../fixtures/rules-invalid/_base', import.meta.url).pathname, dir, {
      recursive: true,
    });
    const write = (sources: string) => {
      const base = readFileSync(join(dir, 'sources.yaml'), 'utf8').split('\nsources:\n')[0]!;
      const indented = sources
        .replace(/^/gm, '  ')
        .replaceAll('WH-EAST', 'WH-1')
        .replace('id: wms-east', 'id: wms');
      writeFileSync(join(dir, 'sources.yaml'), `${base}\nsources:\n${indented}`);
    };
    write(example);
    const ok = await loadRuleset(dir, { knownConnectors: ['csv'] });
    expect(ok.problems).toEqual([]);
    const files = ok.ruleset!.sources.get('wms')!.files;
    expect(files.map((f) => [f.kind, f.numberFormat, f.signedQuantity])).toEqual([
      ['events', '1.234,5', true],
      ['positions', undefined, undefined],
      ['events', undefined, undefined],
    ]);
    // an SAP list's numbers and signs validate and reach the reader as written
    write(
      example
        .replace("numberFormat: '1.234,5'", "numberFormat: '1.234,5-'")
        .replace('signedQuantity: true', 'signedQuantity: stock'),
    );
    const sap = await loadRuleset(dir, { knownConnectors: ['csv'] });
    expect(sap.problems).toEqual([]);
    expect(sap.ruleset!.sources.get('wms')!.files[0]).toMatchObject({
      numberFormat: '1.234,5-',
      signedQuantity: 'stock',
    });
    write(example.replace('signedQuantity: true', 'signedQuantity: sometimes'));
    const bad = await loadRuleset(dir, { knownConnectors: ['csv'] });
    expect(bad.problems.map((p) => p.message).join('\n')).toMatch(/signedQuantity/);
    write(example.replace('kind: positions', 'kind: events'));
    const dup = await loadRuleset(dir, { knownConnectors: ['csv'] });
    expect(dup.problems.map((p) => p.message)).toContainEqual(
      expect.stringMatching(/"wms-east\/counts.csv" is already read as events by source "wms"/),
    );
  });
});

describe('tally init on a German ERP movements export', () => {
  const EXPORT = [
    'Belegnummer;Bewegungsart;Artikel;Lagerplatz;Menge;Einheit;Buchungsdatum;Auftrag',
    'B-1;Wareneingang;SKU-1;WH-EAST-A-01;120;EA;21.11.2026 08:00;PO-7',
    'B-2;Warenausgang;SKU-1;WH-EAST-A-01;3;EA;21.11.2026 09:00;SO-1',
    'B-3;Retoure;SKU-1;WH-EAST-A-01;1;EA;21.11.2026 10:00;SO-1',
    'B-4;Inventurdifferenz;SKU-2;WH-EAST-A-02;-2;EA;21.11.2026 11:00;',
    'B-5;Sonderbuchung;SKU-2;WH-EAST-A-02;5;EA;21.11.2026 12:00;',
    'B-6;Kundenretoure;SKU-2;WH-EAST-A-02;1;EA;21.11.2026 13:00;SO-2',
  ].join('\r\n');

  it('reads its column names and its movement words, and says which it guessed', async () => {
    const dir = tempDataDir();
    writeData(dir, 'erp/bewegungen.csv', EXPORT);
    const { plan, proposed } = await proposalFor(dir, 'erp/bewegungen.csv', 'Europe/Berlin');
    expect(proposed).toMatchObject({
      kind: 'events',
      delimiter: ';',
      columns: {
        sourceEventId: 'Belegnummer',
        type: 'Bewegungsart',
        sku: 'Artikel',
        quantity: 'Menge',
        occurredAt: 'Buchungsdatum',
        unit: 'Einheit',
        reference: 'Auftrag',
      },
      typeMap: {
        Wareneingang: 'receipt',
        Warenausgang: 'shipment',
        Retoure: 'return',
        Kundenretoure: 'return',
        Inventurdifferenz: 'adjustment',
        Sonderbuchung: 'adjustment',
      },
    });
    const guessed = plan.report.guessed.join('\n');
    // a count's posting is its difference; a word nobody lists is a guess, and both are said
    expect(guessed).toMatch(
      /movement type "Inventurdifferenz" read as an adjustment by its signed quantity .*map it to cycle_count/,
    );
    expect(guessed).toMatch(/movement type "Sonderbuchung" read as an adjustment$/m);
    expect(guessed).not.toMatch(/"Wareneingang"|"Warenausgang"|"Retoure"/);
    // its count's loss is written -2: the file's quantities are signed, and that is said
    expect(proposed).toMatchObject({ signedQuantity: true });
    expect(plan.report.decide).toContainEqual(
      expect.stringMatching(/erp\/bewegungen\.csv: quantities like "-2" are negative/),
    );
  });

  it('asks about a file of numbered movements whose type and time it cannot name', async () => {
    const dir = tempDataDir();
    // a till's transactions: read as a stock list, every sale would be a position
    writeData(
      dir,
      'pos/transactions.csv',
      'txn_id,store,sku,kind,qty,at,ref\nT-1,STORE-1,SKU-1,sale,1,2026-11-21T10:00:00Z,R-1\n',
    );
    const { plan, proposed } = await proposalFor(dir, 'pos/transactions.csv', 'UTC');
    expect(proposed).toBeUndefined();
    expect(plan.report.decide).toContainEqual(
      expect.stringMatching(
        /pos\/transactions\.csv: not read \(rows with a movement number \(txn_id\) but no type or time column Tally knows/,
      ),
    );
  });

  it("reads an SAP list's minus at the number's end, as tally init proposes it", async () => {
    // MB51 downloaded as a local file, its German column names: movement types as SAP's
    // numbers, German numbers, goods issues and losses written `3-`
    const sap = [
      'Materialbeleg;Bewegungsart;Material;Werk;Lagerort;Menge in ErfassME;ErfassME;Buchungsdatum',
      '4900000101;101;SKU-1;1000;0001;1.032,000;EA;21.11.2026',
      '4900000102;601;SKU-1;1000;0001;3-;EA;21.11.2026',
      '4900000103;702;SKU-2;1000;0001;2-;EA;21.11.2026',
      '4900000104;601;SKU-2;1000;0001;5-;EA;21.11.2026',
      // a goods issue cancelled (602): the stock comes back
      '4900000105;602;SKU-2;1000;0001;1;EA;21.11.2026',
    ].join('\r\n');
    const dir = tempDataDir();
    writeData(dir, 'sap/mb51.csv', sap);
    const { plan, proposed } = await proposalFor(dir, 'sap/mb51.csv', 'Europe/Berlin');
    expect(proposed).toMatchObject({
      kind: 'events',
      numberFormat: '1.234,5-',
      // its goods issue is written 3-: the sign says where the stock went
      signedQuantity: 'stock',
      columns: {
        sourceEventId: 'Materialbeleg',
        quantity: 'Menge in ErfassME',
        unit: 'ErfassME',
        location: 'Lagerort',
      },
      typeMap: { '101': 'receipt', '601': 'shipment', '602': 'shipment', '702': 'adjustment' },
    });
    // SAP's numbers read so are guesses, each said
    expect(plan.report.guessed).toContainEqual(
      'sap/mb51.csv: movement type "601" read as shipment (SAP\'s 601: goods issue for a delivery)',
    );
    expect(plan.report.decide).toContainEqual(
      expect.stringMatching(/quantities like "2-" read with numberFormat '1.234,5-'/),
    );
    expect(plan.report.decide).toContainEqual(
      expect.stringMatching(/read as where the stock went \(signedQuantity: stock/),
    );
    // read with what it proposed: 1032 in, 3 and 5 shipped, 2 lost, 1 back
    const { notes: _notes, ...proposedMapping } = proposed!;
    const { sink, summary } = await readSourceFiles(
      [mapping(proposedMapping as Parameters<typeof mapping>[0])],
      sap,
    );
    expect(summary).toMatchObject({ read: 5, accepted: 5, rejected: 0 });
    expect(sink.events.map((e) => [e.sourceEventId, e.type, e.quantity])).toEqual([
      ['4900000101', 'receipt', 1032],
      ['4900000102', 'shipment', 3],
      ['4900000103', 'adjustment', -2],
      ['4900000104', 'shipment', 5],
      ['4900000105', 'return', 1],
    ]);
  });
});
