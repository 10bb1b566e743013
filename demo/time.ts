/**
 * Time helpers for the generator. The demo week lies in November, when New York is UTC−5 and
 * Los Angeles UTC−8 all week, but the offsets are still read from Intl so another as-of works.
 */
import { offsetAtMs } from '../connectors/shared/zone.ts';

export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;
export const DAY_MS = 24 * HOUR_MS;

const offsetCache = new Map<string, number>();

/** Offset of `timeZone` from UTC in minutes at `ms` (e.g. −300 for New York in November). */
export function offsetMinutes(timeZone: string, ms: number): number {
  const hourKey = `${timeZone}|${Math.floor(ms / HOUR_MS)}`;
  const cached = offsetCache.get(hourKey);
  if (cached !== undefined) return cached;
  const offset = Math.round(offsetAtMs(timeZone, ms) / MINUTE_MS);
  offsetCache.set(hourKey, offset);
  return offset;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `yyyy-MM-dd HH:mm` in the given time zone. */
export function localMinute(ms: number, timeZone: string): string {
  const d = new Date(ms + offsetMinutes(timeZone, ms) * MINUTE_MS);
  return `${localDate(d)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

function localDate(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** ISO-8601 UTC without milliseconds: `2026-11-21T23:00:00Z`. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** ERP posting date and time (UTC): [`2026-11-20`, `14:05:00`]. */
export function utcDateAndTime(ms: number): [string, string] {
  const d = new Date(ms);
  return [localDate(d), `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:00`];
}
