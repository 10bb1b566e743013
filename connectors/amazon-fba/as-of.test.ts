import { describe, expect, it } from 'vitest';
import { columnAsOf, fileNameAsOf } from './as-of.ts';

describe('fileNameAsOf', () => {
  it('reads the dates report downloads and schedulers put in a name, as UTC', () => {
    expect(fileNameAsOf('GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA_2026-11-20.txt')).toBe(
      '2026-11-20T00:00:00.000Z',
    );
    expect(fileNameAsOf('amazon/myi-20261120T0630.tsv')).toBe('2026-11-20T06:30:00.000Z');
    expect(fileNameAsOf('myi_2026-11-20_06-30-15.txt')).toBe('2026-11-20T06:30:15.000Z');
  });

  it('finds no date in a report id, an impossible day or a name without one', () => {
    expect(fileNameAsOf('50012018456.txt')).toBeUndefined();
    expect(fileNameAsOf('myi-2026-02-30.txt')).toBeUndefined();
    expect(fileNameAsOf('fba-myi-unsuppressed-inventory.txt')).toBeUndefined();
  });
});

describe('columnAsOf', () => {
  it('reads a day, a US day and a date-time; a time without an offset is UTC', () => {
    expect(columnAsOf('2026-11-20')).toBe('2026-11-20T00:00:00.000Z');
    expect(columnAsOf('11/20/2026')).toBe('2026-11-20T00:00:00.000Z');
    expect(columnAsOf('2026-11-20 06:00:00')).toBe('2026-11-20T06:00:00.000Z');
    expect(columnAsOf('2026-11-20T06:00:00-08:00')).toBe('2026-11-20T14:00:00.000Z');
    expect(columnAsOf('')).toBeUndefined();
    expect(columnAsOf('11/31/2026')).toBeUndefined();
  });
});
