import { describe, expect, it } from 'vitest';
import { makeNumberParser } from './numbers.ts';

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
});
