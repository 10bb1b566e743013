import { describe, expect, it } from 'vitest';
import { contains, nextPeriod, parsePeriod, periodContaining } from './period.ts';

describe('accounting periods (UTC months)', () => {
  it('runs from the first instant to the next month, closing at its last millisecond', () => {
    expect(parsePeriod('2026-12')).toEqual({
      name: '2026-12',
      startsAt: '2026-12-01T00:00:00.000Z',
      endsAt: '2027-01-01T00:00:00.000Z',
      asOf: '2026-12-31T23:59:59.999Z',
    });
    expect(nextPeriod(parsePeriod('2026-12')).name).toBe('2027-01');
    expect(parsePeriod('2028-02').asOf).toBe('2028-02-29T23:59:59.999Z');
  });

  it('knows which period a time falls in, edges included', () => {
    const nov = parsePeriod('2026-11');
    expect(contains(nov, '2026-11-01T00:00:00.000Z')).toBe(true);
    expect(contains(nov, '2026-11-30T23:59:59.999Z')).toBe(true);
    expect(contains(nov, '2026-12-01T00:00:00.000Z')).toBe(false);
    expect(periodContaining('2026-11-30T23:59:59.999Z').name).toBe('2026-11');
    expect(periodContaining('2026-12-01T00:30:00+01:00').name).toBe('2026-11');
  });

  it('refuses what is not a month, saying how to write one', () => {
    for (const bad of ['2026-13', '2026-1', 'Nov 2026', '2026-11-01'])
      expect(() => parsePeriod(bad)).toThrow(
        `--period must be a month written YYYY-MM (for example 2026-11), got "${bad}"`,
      );
  });
});
