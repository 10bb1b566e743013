import { describe, expect, it } from 'vitest';
import { makeDecimalReader, makeNumberParser } from './numbers.ts';

describe('makeNumberParser', () => {
  it('reads thousands separators and decimal commas in the declared format only', () => {
    const us = makeNumberParser('1,234.5');
    expect(['1,032', '1032', '-1,032.25', '12,345,678', '0.5'].map(us)).toEqual([
      1032, 1032, -1032.25, 12345678, 0.5,
    ]);
    expect(['1,03', '1,0320', ',032', '1.032,5', '1e3', ''].map(us)).toEqual(
      Array(6).fill(undefined),
    );
    const de = makeNumberParser('1.234,5');
    expect(['1.032,5', '1032,5', '-1.032', '7'].map(de)).toEqual([1032.5, 1032.5, -1032, 7]);
    expect(['1,032.5', '1.03,5'].map(de)).toEqual([undefined, undefined]);
    const fr = makeNumberParser('1 234,5');
    expect(['1 032,5', '1\u00a0032', '1\u202f032,25'].map(fr)).toEqual([1032.5, 1032, 1032.25]);
    expect(makeNumberParser("1'234.5")("1'032.5")).toBe(1032.5);
    expect(makeNumberParser('1234,5')('1032,5')).toBe(1032.5);
    expect(makeNumberParser('1234,5')('1.032')).toBeUndefined();
    expect(makeNumberParser(undefined)('1,032')).toBeUndefined();
  });

  it("reads a minus at a number's end where the format ends in one (SAP's lists), nowhere else", () => {
    const sap = makeNumberParser('1.234,5-');
    expect(['12-', '1.032,500-', '-3', '7', '0-'].map(sap)).toEqual([-12, -1032.5, -3, 7, 0]);
    expect(['-12-', '12--', '-', '1.03,2-'].map(sap)).toEqual(Array(4).fill(undefined));
    expect(makeNumberParser('1234.5-')('4.5-')).toBe(-4.5);
    // without it, a trailing minus is no number: refused, never read as positive
    expect(makeNumberParser('1.234,5')('12-')).toBeUndefined();
    expect(makeNumberParser(undefined)('12-')).toBeUndefined();
    // unit costs stay exact decimals
    expect(makeDecimalReader('1.234,5-')('1.214,06-')).toBe('-1214.06');
    expect(makeDecimalReader('1.234,5-')('0,00-')).toBe('0');
  });
});
