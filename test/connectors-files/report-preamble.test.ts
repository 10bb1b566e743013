/**
 * ERP and WMS "report" exports write a title and a date above the column names. `headerLine`
 * on the file's mapping says where the header is; the lines above are not rows, the rows keep
 * the file's line numbers, and without the setting the refusal says what to set. `tally init`
 * finds such a header and proposes it.
 */
import { describe, expect, it } from 'vitest';
import {
  WMS_INVENTORY,
  mapping,
  tempDataDir,
  writeData,
  readSourceFiles,
  proposalFor,
} from './helpers.ts';

const REPORT = [
  'Inventory on hand report',
  'Warehouse: WH-EAST,Run at: 2026-11-21 18:05',
  '',
  'Item,Bin,Status,Qty,UOM,SnapshotTime',
  'SKU-1,WH-EAST-A-01,AVAILABLE,3,EA,2026-11-21 18:00',
  'SKU-2,WH-EAST-A-01,AVAILABLE,x,EA,2026-11-21 18:00',
  'SKU-3,WH-EAST-A-02,DAMAGED,1,EA,2026-11-21 18:00',
].join('\r\n');

const read = readSourceFiles;

describe('a report export with title lines above its header', () => {
  it('is read from its headerLine, rows numbered as in the file', async () => {
    const { sink, summary } = await read([{ ...WMS_INVENTORY, headerLine: 4 }], REPORT);
    expect(summary).toMatchObject({ read: 3, accepted: 2, rejected: 1 });
    expect(sink.positions.map((p) => [p.sku, p.origin!.line])).toEqual([
      ['SKU-1', 5],
      ['SKU-3', 7],
    ]);
    expect(sink.rejects[0]).toMatchObject({ line: 6, sku: 'SKU-2' });
    // the lines above the header are not rows, and the file's summary says so
    expect(summary.notes).toEqual(['lines 1–3, above its header (headerLine), are not rows']);
  });

  it('a quote left open in a title line does not swallow the header below it', async () => {
    // a title opening a quote it never closes, and a bin named for its 6" shelf further down:
    // read as CSV, that quote would close the title's field, one record of lines 1–9 taking
    // the header and the rows above it along
    const lines = [
      '"Inventory on hand: East DC',
      'Run at: 2026-11-21 18:05',
      '',
      'Item,Bin,Status,Qty,UOM,SnapshotTime',
      'SKU-1,WH-EAST-A-01,AVAILABLE,3,EA,2026-11-21 18:00',
      'SKU-2,WH-EAST-A-01,AVAILABLE,x,EA,2026-11-21 18:00',
      'SKU-3,WH-EAST-A-02,DAMAGED,1,EA,2026-11-21 18:00',
      'SKU-4,WH-EAST-A-02,AVAILABLE,2,EA,2026-11-21 18:00',
      'SKU-5,WH-EAST-SHELF-6",AVAILABLE,4,EA,2026-11-21 18:00',
    ];
    const { sink, summary } = await read([{ ...WMS_INVENTORY, headerLine: 4 }], lines.join('\n'));
    expect(summary.failed).toBeUndefined();
    expect(summary).toMatchObject({ read: 5, accepted: 4, rejected: 1 });
    expect(sink.positions.map((p) => [p.sku, p.origin!.line])).toEqual([
      ['SKU-1', 5],
      ['SKU-3', 7],
      ['SKU-4', 8],
      ['SKU-5', 9],
    ]);
  });

  it('without the setting, is refused saying what line 1 holds and what to set', async () => {
    const { summary } = await read([WMS_INVENTORY], REPORT);
    expect(summary.failed).toMatchObject({ code: 'HEADER_MISSING_COLUMN', line: 1 });
    expect(summary.failed!.message).toMatch(
      /line 1 holds 'Inventory on hand report'; .*set headerLine on the file's mapping/,
    );
  });

  it('a header below its title that lacks a column is refused at its own line', async () => {
    const noQty = REPORT.replace('Qty,UOM', 'Quantity,UOM');
    const { summary } = await read([{ ...WMS_INVENTORY, headerLine: 4 }], noQty);
    expect(summary.failed).toMatchObject({ code: 'HEADER_MISSING_COLUMN', line: 4 });
    expect(summary.failed!.message).toMatch(/lacks 'Qty'/);
  });

  it('a file that ends before its headerLine has no header', async () => {
    const { summary } = await read([{ ...WMS_INVENTORY, headerLine: 9 }], REPORT);
    expect(summary.failed).toMatchObject({ code: 'FILE_EMPTY', line: 9 });
  });

  it('is a setting of delimited files only', async () => {
    const jsonl = mapping({ ...WMS_INVENTORY, format: 'jsonl', headerLine: 2 });
    await expect(read([jsonl], '{}')).rejects.toThrow(/headerLine applies only to csv and tsv/);
  });

  it('is proposed by tally init, which reads the header below the title', async () => {
    const dir = tempDataDir();
    writeData(
      dir,
      'wms/onhand.csv',
      [
        'Inventory on hand report',
        'Run at: 2026-11-21 18:05',
        'sku,location,status,qty,snapshot_at',
        'SKU-1,WH-EAST,available,3,2026-11-21T18:00:00Z',
      ].join('\n'),
    );
    const { plan, proposed } = await proposalFor(dir, 'wms/onhand.csv', 'UTC');
    expect(proposed).toMatchObject({ kind: 'positions', headerLine: 3 });
    expect(plan.report.guessed).toContainEqual(
      expect.stringMatching(/wms\/onhand\.csv: the header is line 3; the 2 line\(s\) above it/),
    );
  });

  it('is found by tally init below a title that leaves a quote open', async () => {
    const dir = tempDataDir();
    writeData(
      dir,
      'wms/onhand.csv',
      [
        '"Inventory on hand: East DC',
        'Run at: 2026-11-21 18:05',
        'sku,location,status,qty,snapshot_at',
        'SKU-1,WH-EAST,available,3,2026-11-21T18:00:00Z',
        'SKU-2,SHELF-6",available,4,2026-11-21T18:00:00Z',
      ].join('\n'),
    );
    const { proposed } = await proposalFor(dir, 'wms/onhand.csv', 'UTC');
    expect(proposed).toMatchObject({
      kind: 'positions',
      headerLine: 3,
      columns: { sku: 'sku', location: 'location', quantity: 'qty' },
    });
  });
});

describe('a header naming a mapped column twice', () => {
  it('is refused naming both columns, where the first was read without a word', async () => {
    const file = [
      'Item,Bin,Status,Qty,UOM,SnapshotTime,Qty',
      'SKU-1,WH-EAST-A-01,AVAILABLE,3,EA,2026-11-21 18:00,40',
    ].join('\n');
    const { summary, sink } = await read([WMS_INVENTORY], file);
    expect(summary.failed).toMatchObject({ code: 'HEADER_DUPLICATE_COLUMN', line: 1 });
    expect(summary.failed!.message).toMatch(/names 'Qty' in columns 4 and 7/);
    expect(sink.positions).toEqual([]);
    // a name the rules do not map may repeat
    const twiceUnmapped = file
      .replace(',Qty\n', ',Note\n')
      .replace('Item,', 'Note,Item,')
      .replace('SKU-1,', 'x,SKU-1,');
    const ok = await read([WMS_INVENTORY], twiceUnmapped);
    expect(ok.summary.failed).toBeUndefined();
    expect(ok.summary).toMatchObject({ accepted: 1 });
  });
});

describe('a header whose names changed case', () => {
  it('is refused naming the column it has under the mapped name', async () => {
    const file = [
      'ITEM,Bin,Status,QTY,UOM,SnapshotTime',
      'SKU-1,B,AVAILABLE,3,EA,2026-11-21 18:00',
    ];
    const { summary } = await read([WMS_INVENTORY], file.join('\n'));
    expect(summary.failed).toMatchObject({ code: 'HEADER_MISSING_COLUMN', line: 1 });
    expect(summary.failed!.message).toMatch(
      /lacks 'Item' \(the header has 'ITEM': names are compared exactly\), 'Qty' \(the header has 'QTY'/,
    );
  });
});

describe('a report export with a total line below its rows', () => {
  const TOTALS = [
    'Item,Bin,Status,Qty,UOM,SnapshotTime',
    'SKU-1,WH-EAST-A-01,AVAILABLE,3,EA,2026-11-21 18:00',
    'SKU-3,WH-EAST-A-02,DAMAGED,1,EA,2026-11-21 18:00',
    'Total,,,4,,',
    '',
    '',
  ].join('\r\n');

  it('reads the rows above its footerLines, and says the total line is not a row', async () => {
    const { sink, summary } = await read([{ ...WMS_INVENTORY, footerLines: 1 }], TOTALS);
    expect(summary).toMatchObject({ read: 2, accepted: 2, rejected: 0 });
    expect(sink.positions.map((p) => p.sku)).toEqual(['SKU-1', 'SKU-3']);
    expect(summary.notes).toEqual([
      "line 4, below its rows (footerLines), is not a row: 'Total,,,4,,'",
    ]);
  });

  it('without the setting, rejects the total line as a row', async () => {
    const { summary, sink } = await read([WMS_INVENTORY], TOTALS);
    expect(summary).toMatchObject({ read: 3, accepted: 2, rejected: 1 });
    expect(sink.rejects[0]).toMatchObject({ line: 4 });
  });

  it('is a setting of delimited files only', async () => {
    const jsonl = mapping({ ...WMS_INVENTORY, format: 'jsonl', footerLines: 1 });
    await expect(read([jsonl], '{}')).rejects.toThrow(/footerLines applies only to csv and tsv/);
  });

  it('is proposed by tally init, which leaves the total out of what it reads', async () => {
    const dir = tempDataDir();
    writeData(
      dir,
      'wms/onhand.csv',
      [
        'sku;location;status;qty;snapshot_at',
        'SKU-1;WH-EAST;available;3;2026-11-21T18:00:00Z',
        'SKU-2;WH-EAST;available;1.204;2026-11-21T18:00:00Z',
        'Summe;;;1.207;',
        '',
      ].join('\n'),
    );
    const { plan, proposed } = await proposalFor(dir, 'wms/onhand.csv', 'UTC');
    expect(proposed).toMatchObject({ kind: 'positions', footerLines: 1 });
    expect(plan.report.guessed).toContainEqual(
      'wms/onhand.csv: its last line is a total, not a row (footerLines: 1)',
    );
    // a last row whose sku starts like a total fills every cell: a row, not a footer
    writeData(
      dir,
      'wms/onhand.csv',
      'sku,location,status,qty,snapshot_at\nTOTAL-CLEAN-500,WH-EAST,available,3,2026-11-21T18:00:00Z\n',
    );
    expect((await proposalFor(dir, 'wms/onhand.csv', 'UTC')).proposed!.footerLines).toBeUndefined();
  });
});

describe('tally init on an export larger than what it looks at', () => {
  it('proposes from its first 16 MiB and finds its total in its last line', async () => {
    const dir = tempDataDir();
    const rows: string[] = ['sku;location;status;qty;snapshot_at'];
    // ~19 MiB: more than the 16 MiB sample, so the total line is past it
    for (let i = 0; i < 330_000; i++)
      rows.push(`SKU-${String(i).padStart(7, '0')};WH-EAST;available;1.204;2026-11-21T18:00:00Z`);
    rows.push('Summe;;;397.320.000;', '');
    writeData(dir, 'wms/onhand.csv', rows.join('\n'));
    const { plan, proposed } = await proposalFor(dir, 'wms/onhand.csv', 'UTC');
    expect(proposed).toMatchObject({
      kind: 'positions',
      delimiter: ';',
      numberFormat: '1.234,5',
      footerLines: 1,
    });
    // and it says the proposal is a sample's
    expect(plan.report.recognized).toContainEqual(
      expect.stringMatching(/wms\/onhand\.csv: .*\(proposed from its first [\d,]+ rows/),
    );
  });
});

describe('tally init on a stock list without a time column', () => {
  it('gives it the date in its name, or the latest time in the folder, and says so', async () => {
    const dir = tempDataDir();
    const list = 'sku,location,status,qty\nSKU-1,WH-EAST,available,3\n';
    writeData(dir, 'wms/stock_2026-11-20.csv', list);
    writeData(dir, 'store/stock.csv', list.replace('WH-EAST', 'STORE-1'));
    writeData(
      dir,
      'dc/onhand.csv',
      'sku,location,status,qty,snapshot_at\nSKU-1,DC-1,available,3,2026-11-21T18:00:00Z\n',
    );
    const named = await proposalFor(dir, 'wms/stock_2026-11-20.csv', 'UTC');
    expect(named.proposed).toMatchObject({ constants: { asOf: '2026-11-20T00:00:00Z' } });
    expect(named.plan.report.decide).toContainEqual(
      expect.stringMatching(
        /wms\/stock_2026-11-20\.csv: no time column: asOf set to 2026-11-20T00:00:00Z \(the date in its name\)/,
      ),
    );
    const latest = await proposalFor(dir, 'store/stock.csv', 'UTC');
    expect(latest.proposed).toMatchObject({ constants: { asOf: '2026-11-21T18:00:00' } });
    expect(latest.plan.report.decide.join('\n')).toMatch(/the latest time in the folder/);
    // and the rules written validate (a positions file needs its asOf)
    const rules = tempDataDir();
    for (const [name, text] of Object.entries(latest.files)) writeData(rules, name, text);
    const { loadRuleset } = await import('../../engine/core/rules/load.ts');
    expect((await loadRuleset(rules)).problems).toEqual([]);
  });
});
