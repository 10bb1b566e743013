import { describe, expect, it } from 'vitest';
import { amountMinor, amountText, closeCurrency, lineValueMinor } from './minor.ts';

const USD = closeCurrency('USD');

describe('exact money for the close', () => {
  it('multiplies decimal text, not binary floats', () => {
    expect(lineValueMinor(0.1, 97, USD)).toBe(970);
    expect(0.1 * 97 * 100).not.toBe(970);
    expect(lineValueMinor('12.50', 7, USD)).toBe(8750);
    expect(lineValueMinor(19.99, -3, USD)).toBe(-5997);
    expect(lineValueMinor('1.5', 3, closeCurrency('JPY'))).toBe(5);
  });
  it('rounds once, half away from zero', () => {
    expect(lineValueMinor(0.125, 1, USD)).toBe(13);
    expect(lineValueMinor(0.125, -1, USD)).toBe(-13);
    expect(lineValueMinor('0.3333', 3, USD)).toBe(100);
    expect(amountMinor(1.005)).toBe(101);
  });
  it('writes an amount back as its decimal text', () => {
    expect(amountText(12.5)).toBe('12.5');
    expect(amountText('12.50')).toBe('12.5');
  });
  it('refuses what is not an amount', () => {
    expect(() => amountMinor(Number.NaN)).toThrow(/not a decimal/);
    expect(() => amountMinor('12,5')).toThrow(/not a decimal/);
  });
});
