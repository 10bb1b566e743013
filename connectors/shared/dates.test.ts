import { describe, expect, it } from 'vitest';
import { checkDateFormat, makeDateParser } from './dates.ts';

const NY = 'America/New_York';
const LA = 'America/Los_Angeles';

describe('makeDateParser', () => {
  it('reads ISO times with Z, offsets, fractions, and a space separator', () => {
    const iso = makeDateParser('iso', NY);
    expect(iso('2026-11-21T23:00:00Z')).toBe('2026-11-21T23:00:00.000Z');
    expect(iso('2026-11-21T23:00:00.5Z')).toBe('2026-11-21T23:00:00.500Z');
    expect(iso('2026-11-21T18:00:00-05:00')).toBe('2026-11-21T23:00:00.000Z');
    expect(iso('2026-11-21T18:00:00+0130')).toBe('2026-11-21T16:30:00.000Z');
    expect(iso('2026-11-21 23:00Z')).toBe('2026-11-21T23:00:00.000Z');
  });

  it('reads ISO times without an offset, and dates, in the source zone', () => {
    const iso = makeDateParser('iso', LA);
    expect(iso('2026-11-21T10:00:00')).toBe('2026-11-21T18:00:00.000Z');
    expect(iso('2026-07-01')).toBe('2026-07-01T07:00:00.000Z');
  });

  it('refuses impossible or malformed times', () => {
    const iso = makeDateParser('iso', 'UTC');
    for (const bad of [
      '2026-02-29T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-11-21T24:00:00Z',
      '21/11/2026',
      '',
      'now',
    ]) {
      expect(iso(bad), bad).toBeUndefined();
    }
    expect(iso('2028-02-29T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('converts local patterns across the spring-forward change (New York, 2026-03-08)', () => {
    const p = makeDateParser('yyyy-MM-dd HH:mm', NY);
    expect(p('2026-03-08 01:59')).toBe('2026-03-08T06:59:00.000Z'); // EST, UTC−5
    expect(p('2026-03-08 03:00')).toBe('2026-03-08T07:00:00.000Z'); // EDT, UTC−4
    // 02:30 never happens on that day: read as 03:30 EDT, the usual "compatible" choice
    expect(p('2026-03-08 02:30')).toBe('2026-03-08T07:30:00.000Z');
  });

  it('converts local patterns across the fall-back change (New York, 2026-11-01)', () => {
    const p = makeDateParser('yyyy-MM-dd HH:mm', NY);
    expect(p('2026-11-01 00:30')).toBe('2026-11-01T04:30:00.000Z');
    // 01:30 happens twice; the earlier (EDT) instant is taken
    expect(p('2026-11-01 01:30')).toBe('2026-11-01T05:30:00.000Z');
    expect(p('2026-11-01 02:30')).toBe('2026-11-01T07:30:00.000Z');
  });

  it('keeps every minute of a day that changes offset strictly increasing outside the gap', () => {
    const p = makeDateParser('yyyy-MM-dd HH:mm', LA);
    let previous = '';
    for (let minute = 0; minute < 24 * 60; minute++) {
      const hh = String(Math.floor(minute / 60)).padStart(2, '0');
      const mm = String(minute % 60).padStart(2, '0');
      if (hh === '02') continue; // the gap on 2026-03-08 in Los Angeles
      const iso = p(`2026-03-08 ${hh}:${mm}`)!;
      expect(iso > previous, `${hh}:${mm}`).toBe(true);
      previous = iso;
    }
  });

  it('reads one-digit parts and seconds fractions (ERP posting times)', () => {
    const p = makeDateParser('yyyy-MM-dd HH:mm:ss', 'UTC');
    expect(p('2026-11-20 9:05:00')).toBe('2026-11-20T09:05:00.000Z');
    expect(p('2026-11-20 14:05:00.123456')).toBe('2026-11-20T14:05:00.123Z');
    expect(p('2026-11-20 14:05')).toBeUndefined();
    expect(p('2026-11-20 14:05:00 extra')).toBeUndefined();
  });

  it('reads day-first patterns with literals', () => {
    expect(makeDateParser('dd/MM/yyyy HH.mm', 'UTC')('21/11/2026 07.15')).toBe(
      '2026-11-21T07:15:00.000Z',
    );
  });
});

describe('checkDateFormat', () => {
  it('accepts iso and complete patterns, refuses patterns without a date', () => {
    expect(checkDateFormat('iso')).toBeUndefined();
    expect(checkDateFormat('yyyy-MM-dd HH:mm')).toBeUndefined();
    expect(checkDateFormat('HH:mm')).toMatch(/lacks yyyy, MM or dd/);
  });
});
