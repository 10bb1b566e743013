import { describe, expect, it } from 'vitest';
import type { FileFormat, FileMapping } from '../../engine/core/rules/types.ts';
import { WMS_INVENTORY, mapping, source } from '../../test/connectors-files/helpers.ts';
import { checkFileSettings } from './settings.ts';

const ALL: FileFormat[] = ['csv', 'tsv', 'jsonl'];
const check = (file: FileMapping, formats: FileFormat[] = ALL) =>
  checkFileSettings(source({ files: [file] }), formats);

describe('checkFileSettings', () => {
  it('accepts the demo WMS mapping', () => {
    expect(check(WMS_INVENTORY)).toEqual([]);
  });

  it('one problem per invalid case, each naming the file', () => {
    const cases: [FileMapping, RegExp][] = [
      [
        { ...WMS_INVENTORY, format: 'jsonl' },
        /files\[0\] \(wms-east\/inventory.csv\): format 'jsonl' is not read by this connector/,
      ],
      [
        { ...WMS_INVENTORY, columns: { ...WMS_INVENTORY.columns, colour: 'Colour' } },
        /unknown field 'colour' for kind positions/,
      ],
      [
        {
          ...WMS_INVENTORY,
          columns: { sku: 'Item', location: 'Bin', status: 'Status', asOf: 'SnapshotTime' },
        },
        /field 'quantity' needs a column or a constant/,
      ],
      [{ ...WMS_INVENTORY, dateFormat: 'HH:mm' }, /date format 'HH:mm' lacks yyyy, MM or dd/],
      [{ ...WMS_INVENTORY, typeMap: { X: 'receipt' } }, /typeMap applies only to events files/],
      [{ ...WMS_INVENTORY, kind: 'items' }, /unknown field 'location' for kind items/],
      [
        mapping({ path: 'e.csv', kind: 'events', statusColumns: ['a'] }),
        /statusColumns apply only to positions and opening files/,
      ],
      [
        {
          ...WMS_INVENTORY,
          columns: { sku: 'Item', location: 'Bin', status: 'Status', quantity: 'Qty' },
          constants: { asOf: 'yesterday' },
        },
        /constant asOf 'yesterday' does not match the date format/,
      ],
    ];
    for (const [file, expected] of cases) {
      const problems = check(file, ['csv']);
      expect(
        problems.some((p) => expected.test(p)),
        `${expected} in ${JSON.stringify(problems)}`,
      ).toBe(true);
    }
  });

  it('wide files need no status or quantity column; items may carry alias columns', () => {
    const wide = mapping({
      path: 'w.tsv',
      format: 'tsv',
      kind: 'positions',
      columns: { sku: 's', location: 'l', asOf: 'a' },
      statusColumns: ['available'],
    });
    expect(check(wide)).toEqual([]);
    const items = mapping({
      path: 'i.csv',
      kind: 'items',
      columns: { sku: 'a', skuClass: 'b', 'alias:shop': 'c' },
    });
    expect(check(items)).toEqual([]);
  });

  it('a source with no files or a bad time zone is reported, not thrown', () => {
    expect(checkFileSettings(source({ files: [], timezone: 'Nowhere/City' }), ['csv'])).toEqual([
      "timezone 'Nowhere/City' is not an IANA time zone",
      'no files are declared (files is empty)',
    ]);
  });
});
