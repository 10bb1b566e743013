import { describe, expect, it } from 'vitest';
import { canonicalTimeMs } from './event-parts.ts';

describe('canonicalTimeMs', () => {
  it('reads back every time toISOString writes, 1970 to 9999', () => {
    const end = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const samples = [0, end, Date.UTC(2028, 1, 29), Date.UTC(2000, 1, 29, 23, 59, 59, 1)];
    for (let i = 0; i < 5000; i++) samples.push(Math.floor(next() * end));
    for (const ms of samples) expect(canonicalTimeMs(new Date(ms).toISOString())).toBe(ms);
  });

  it('refuses any other text, so it travels as written', () => {
    for (const text of [
      '2026-11-20T10:00:00Z', // no milliseconds
      '2026-11-20T10:00:00.000+00:00',
      '2026-11-20 10:00:00.000Z',
      '2026-11-20t10:00:00.000z',
      '2026-02-29T00:00:00.000Z', // not a leap year
      '1900-02-29T00:00:00.000Z',
      '2026-04-31T00:00:00.000Z',
      '2026-13-01T00:00:00.000Z',
      '2026-11-20T24:00:00.000Z',
      '2026-11-20T10:60:00.000Z',
      '2026-11-20T10:00:60.000Z',
      '1969-12-31T23:59:59.999Z', // before 1970
      '+012026-11-20T10:00:00.000Z',
      '2026-1a-20T10:00:00.000Z',
      '',
    ])
      expect(canonicalTimeMs(text), text).toBeNaN();
  });
});
