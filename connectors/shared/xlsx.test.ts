import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readXlsxRows } from './xlsx.ts';

const TEAM = new URL(
  '../../test/fixtures/pilot/team-discrepancies-2026-11-30.xlsx',
  import.meta.url,
).pathname;

describe('readXlsxRows', () => {
  it('reads a named sheet with shared strings, numbers and left-out empty cells', () => {
    const rows = readXlsxRows(TEAM, 'Nov counts');
    expect(rows[0]).toEqual({
      line: 1,
      cells: ['Item Code', 'Site', 'Counted', 'System', 'Diff', 'Comment', 'Checked by'],
    });
    expect(rows[3]).toEqual({ line: 4, cells: ['SKU-00013', 'LAX1', '45', '50', '-5', '', 'raj'] });
    expect(rows[8]!.cells.slice(0, 5)).toEqual(['SKU-00024', 'STORE-SF', '', '', 'n/a']);
  });

  it('names the sheets when the one asked for is not there', () => {
    expect(() => readXlsxRows(TEAM, 'Dec')).toThrow(
      /no sheet "Dec" \(sheets: "Notes", "Nov counts"\)/,
    );
  });

  it('refuses a file that is not a workbook, naming it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tally-xlsx-')), 'list.xlsx');
    writeFileSync(file, 'SKU,Site\nA,B\n');
    expect(() => readXlsxRows(file)).toThrow(
      /list\.xlsx: cannot read the workbook: it is not a zip file/,
    );
  });
});
