import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseIsoMs } from './time.ts';

describe('parseIsoMs', () => {
  it('equals Date.parse on UTC ISO times of every precision', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01'), max: new Date('2090-01-01'), noInvalidDate: true }),
        (d) => {
          const iso = d.toISOString();
          for (const s of [iso, iso.slice(0, 19) + 'Z', iso.slice(0, 16) + 'Z']) {
            expect(parseIsoMs(s)).toBe(Date.parse(s));
          }
        },
      ),
    );
  });

  it('falls back to Date.parse for offsets and rejects garbage', () => {
    expect(parseIsoMs('2026-11-20T10:00:00+02:00')).toBe(Date.parse('2026-11-20T08:00:00Z'));
    expect(parseIsoMs('not a time')).toBeNaN();
    expect(parseIsoMs('2026-1x-20T10:00:00Z')).toBeNaN();
  });

  it('agrees with Date.parse on fields out of range instead of rolling them over', () => {
    const texts = [
      '2026-13-01T00:00Z',
      '2026-00-10T10:00Z',
      '2026-01-32T10:00:00Z',
      '2026-01-01T25:00:00Z',
      '2026-01-01T24:00:00Z',
      '2026-01-01T10:61:00Z',
      '2026-01-01T10:00:61Z',
      '2026-02-30T00:00:00.000Z',
    ];
    for (const s of texts) expect([s, parseIsoMs(s)]).toEqual([s, Date.parse(s)]);
  });
});
