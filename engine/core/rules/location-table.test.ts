import { describe, expect, it } from 'vitest';
import { parseTable } from './location-table.ts';

describe('parseTable', () => {
  it('reads CSV with quotes, doubled quotes, a quoted line break and CRLF, keeping each line', () => {
    const text = '\uFEFFBin,Warehouse\r\nA-01,WH-1\r\n"B,""2""",WH-2\n"C\n3",WH-3\n\nD-4,\n';
    expect(parseTable(text, 'csv')).toEqual({
      header: ['Bin', 'Warehouse'],
      records: [
        { line: 2, cells: ['A-01', 'WH-1'] },
        { line: 3, cells: ['B,"2"', 'WH-2'] },
        { line: 4, cells: ['C\n3', 'WH-3'] },
        { line: 7, cells: ['D-4', ''] },
      ],
    });
  });

  it('reads TSV and says where a quoted cell never closes', () => {
    expect(parseTable('Bin\tWarehouse\nA 1\tWH-1\n', 'tsv')).toEqual({
      header: ['Bin', 'Warehouse'],
      records: [{ line: 2, cells: ['A 1', 'WH-1'] }],
    });
    expect(parseTable('Bin,Warehouse\n"A-1,WH-1\n', 'csv')).toEqual({
      error: 'line 2: a quoted cell is never closed',
    });
    expect(parseTable('\n\n', 'csv')).toEqual({
      error: 'the file is empty (a header row is needed)',
    });
  });
});
