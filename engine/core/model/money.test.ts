import { describe, expect, it } from 'vitest';
import {
  currencyOf,
  decimalOfNumber,
  decimalText,
  extendMinor,
  formatMoney,
  majorOfMinor,
  minorOfNumber,
  minorText,
  parseDecimal,
  parseMoney,
} from './money.ts';

const USD = { code: 'USD', exponent: 2 };

describe('money', () => {
  it('multiplies a unit cost by a quantity exactly where floats do not', () => {
    expect(3 * 214.06).not.toBe(642.18);
    expect(extendMinor(parseDecimal('214.06')!, 3, USD)).toBe(64218);
    expect(extendMinor(parseDecimal('119.80')!, -2, USD)).toBe(23960);
    expect(formatMoney(extendMinor(parseDecimal('214.06')!, 3), USD)).toBe('$642.18');
    expect(formatMoney(23960)).toBe('$239.60');
  });

  it('rounds once, half away from zero, when the cost has more digits than the currency', () => {
    expect(extendMinor(parseDecimal('12.345678')!, 1)).toBe(1235);
    expect(extendMinor(parseDecimal('0.125')!, 3)).toBe(38);
    expect(extendMinor(parseDecimal('0.125')!, 4)).toBe(50);
  });

  it('reads plain decimals and refuses anything else', () => {
    expect(parseMoney('214.06')).toBe(21406);
    expect(parseMoney('214.060000000')).toBe(21406);
    expect(parseMoney('7')).toBe(700);
    for (const bad of ['', 'abc', '1,234.50', '$5', '1e3', '1.', '.5', '1.2.3', 'NaN'])
      expect(parseMoney(bad), bad).toBeUndefined();
    expect(decimalText(parseDecimal('-0012.3400')!)).toBe('-12.34');
  });

  it('formats with the currency and thousands separators, from the integer', () => {
    expect(formatMoney(123456789)).toBe('$1,234,567.89');
    expect(formatMoney(-115500)).toBe('-$1,155.00');
    expect(formatMoney(0)).toBe('$0.00');
    expect(formatMoney(900719925474099, 'USD')).toBe('$9,007,199,254,740.99');
    expect(formatMoney(1500, currencyOf('JPY')!)).toBe('¥1,500');
    expect(formatMoney(1234567, 'KWD')).toBe('KWD 1,234.567');
    expect(formatMoney(250, 'EUR')).toBe('€2.50');
  });

  it('knows the exponent of a currency and refuses an unknown code', () => {
    expect(currencyOf('JPY')?.exponent).toBe(0);
    expect(currencyOf('KWD')?.exponent).toBe(3);
    expect(currencyOf('usd')).toBeUndefined();
    expect(currencyOf('XXQ')).toBeUndefined();
  });

  it('converts limits written as numbers and back to major units for rules', () => {
    expect(minorOfNumber(642.18)).toBe(64218);
    expect(minorOfNumber(2000)).toBe(200000);
    expect(minorOfNumber(Infinity)).toBe(Infinity);
    expect(decimalText(decimalOfNumber(0.0000001)!)).toBe('0.0000001');
    expect(majorOfMinor(64218)).toBe(642.18);
    expect(String(majorOfMinor(23960))).toBe('239.6');
    expect(minorText(5)).toBe('0.05');
    expect(minorText(-64218)).toBe('-642.18');
    expect(minorText(1500, { code: 'JPY', exponent: 0 })).toBe('1500');
  });
});

describe('money from stored doubles', () => {
  it('reads a float with noise past 12 decimals as the decimal it stands for', () => {
    expect(minorOfNumber(3 * 214.06)).toBe(64218);
    expect(minorOfNumber(2 * 119.8)).toBe(23960);
    expect(decimalOfNumber(1e21)).toBeUndefined();
    expect(decimalText(decimalOfNumber(1e-7)!)).toBe('0.0000001');
  });
});
