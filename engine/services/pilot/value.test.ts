import { describe, expect, it } from 'vitest';
import { storedValueMinor } from './value.ts';

describe('storedValueMinor', () => {
  it('reads a stored double with a float tail as the cents it stands for', () => {
    expect(storedValueMinor(679.3000000000001)).toBe(67_930);
    expect(storedValueMinor(0.1 + 0.2)).toBe(30);
    expect(storedValueMinor('120.5')).toBe(12_050);
    expect(storedValueMinor(-0.005)).toBe(-1);
  });

  it('refuses what is not a number', () => {
    expect(() => storedValueMinor('n/a')).toThrow(/not a number/);
  });
});
