import { describe, expect, it } from 'vitest';
import { decimalFromMinor, minorUnits } from './minor.ts';

describe('exact minor units', () => {
  it('multiplies decimal text, not binary floats', () => {
    expect(minorUnits(0.1, 3)).toBe(30);
    expect(0.1 * 3 * 100).not.toBe(30);
    expect(minorUnits('12.50', 7)).toBe(8750);
    expect(minorUnits(19.99, -3)).toBe(-5997);
  });
  it('rounds once, half away from zero', () => {
    expect(minorUnits(0.125, 1)).toBe(13);
    expect(minorUnits(-0.125, 1)).toBe(-13);
    expect(minorUnits(0.3333, 3)).toBe(100);
    expect(minorUnits(1.005)).toBe(101);
  });
  it('writes minor units back as decimal text', () => {
    expect(decimalFromMinor(-1234)).toBe('-12.34');
    expect(decimalFromMinor(5)).toBe('0.05');
    expect(decimalFromMinor(0)).toBe('0.00');
  });
  it('refuses what is not an amount', () => {
    expect(() => minorUnits(Number.NaN)).toThrow(/finite/);
    expect(() => minorUnits('12,5')).toThrow(/decimal/);
  });
});
