import { describe, expect, it } from 'vitest';
import { iso } from './evidence.ts';

describe('iso', () => {
  it('writes every time exactly as Date#toISOString does', () => {
    const times = [
      0, -1, -60_000, -86_400_001, 1, 59_999, 60_000, 8.64e15, -8.64e15, 253402300799999,
    ];
    let t = Date.parse('2026-11-14T23:00:00Z');
    for (let i = 0; i < 20_000; i++) {
      t += (i * 7919) % 3_600_001;
      times.push(t, t + 0.5, Math.floor(t / 60_000) * 60_000);
    }
    for (const ms of times) expect(iso(ms)).toBe(new Date(ms).toISOString());
  });

  it('refuses a time that is not one, as Date#toISOString does', () => {
    expect(() => iso(Number.NaN)).toThrow(RangeError);
  });
});
