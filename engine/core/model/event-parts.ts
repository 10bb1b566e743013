/**
 * What a reading thread sends of an event beside its record (sink-wire.ts): its source event
 * id, reference and counterpart reference as byte texts, and its times already read as
 * milliseconds, so the thread that keeps the event makes no string of any of them.
 */
import type { ByteTexts } from './byte-texts.ts';

export type EventParts = {
  texts: ByteTexts;
  /** Each a text's number in `texts`, or -1 where the record holds it as a string (or lacks it). */
  id: number;
  ref: number;
  xref: number;
  /** The record's occurredAt and recordedAt in milliseconds; NaN where the record holds the text. */
  occurredMs: number;
  recordedMs: number;
};

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const digits = (s: string, from: number, to: number): number => {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
};

/**
 * Milliseconds of a time written exactly as `Date.prototype.toISOString` writes it
 * (`2026-11-20T14:00:00.000Z`, years 1970–9999), so that `new Date(ms).toISOString()` gives the
 * very same text back; NaN for any other text (it travels as a string).
 */
export function canonicalTimeMs(s: string): number {
  if (
    s.length !== 24 ||
    s.charCodeAt(4) !== 45 /* - */ ||
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(10) !== 84 /* T */ ||
    s.charCodeAt(13) !== 58 /* : */ ||
    s.charCodeAt(16) !== 58 ||
    s.charCodeAt(19) !== 46 /* . */ ||
    s.charCodeAt(23) !== 90 /* Z */
  )
    return NaN;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 7);
  const day = digits(s, 8, 10);
  const hour = digits(s, 11, 13);
  const minute = digits(s, 14, 16);
  const second = digits(s, 17, 19);
  const milli = digits(s, 20, 23);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) return NaN;
  if (minute < 0 || minute > 59 || second < 0 || second > 59 || milli < 0) return NaN;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : DAYS[month - 1]!)) return NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second, milli);
}
