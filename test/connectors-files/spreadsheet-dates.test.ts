/**
 * An export opened and saved in a spreadsheet can lose a date column's format: the cells then
 * hold the spreadsheet's serial dates (days since 1899-12-30). Such a row is refused as before,
 * and its reason says what the number is and the date it stands for.
 */
import { describe, expect, it } from 'vitest';
import { WMS_INVENTORY, readSourceFiles } from './helpers.ts';

describe('a date column saved as spreadsheet serial numbers', () => {
  it('refuses the row, naming the serial date and the date it stands for', async () => {
    const file = [
      'Item,Bin,Status,Qty,UOM,SnapshotTime',
      'SKU-1,WH-EAST-A-01,AVAILABLE,3,EA,2026-11-21 18:00',
      'SKU-2,WH-EAST-A-01,AVAILABLE,4,EA,46347.75',
      'SKU-3,WH-EAST-A-01,AVAILABLE,5,EA,yesterday',
    ].join('\n');
    const { summary, sink } = await readSourceFiles([WMS_INVENTORY], file);
    expect(summary).toMatchObject({ read: 3, accepted: 1, rejected: 2 });
    expect(sink.rejects.map((r) => [r.line, r.reason])).toEqual([
      [
        3,
        "asOf (column SnapshotTime): '46347.75' is not yyyy-MM-dd HH:mm (it reads as a spreadsheet's serial date, 2026-11-21 18:00: export the column as a date text)",
      ],
      [4, "asOf (column SnapshotTime): 'yesterday' is not yyyy-MM-dd HH:mm"],
    ]);
  });
});
