import { describe, expect, it } from 'vitest';
import { parseNumber } from './numbers.ts';

describe('parseNumber', () => {
  it('reads integers and decimals', () => {
    expect(parseNumber('0')).toBe(0);
    expect(parseNumber('-0')).toBe(0);
    expect(parseNumber('42')).toBe(42);
    expect(parseNumber('-7')).toBe(-7);
    expect(parseNumber('1.25')).toBe(1.25);
    expect(parseNumber('123456789012345')).toBe(123456789012345);
  });

  it('refuses anything that would be a guess', () => {
    for (const bad of [
      '',
      '-',
      'x',
      '1,000',
      '1e3',
      '0x10',
      ' 5',
      '5 ',
      '1.',
      '.5',
      'NaN',
      '1234567890123456789',
    ]) {
      expect(parseNumber(bad), bad).toBeUndefined();
    }
  });
});
