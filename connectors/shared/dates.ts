/**
 * Timestamps from files → canonical ISO-8601 UTC strings (`2026-11-20T14:00:00.000Z`).
 * `iso` accepts RFC 3339 / ISO 8601 (`T` or a space between date and time, optional seconds and
 * fraction); a value with `Z` or an offset is exact, one without is wall-clock time in the
 * source's zone, as is every value read with a pattern. Patterns use yyyy MM dd HH mm ss SSS;
 * other characters are literals. Month, day, hour, minute and second accept one or two digits
 * (ERP exports write `9:05:00`); a fraction of seconds after `ss` is accepted and kept.
 */
import { localToUtcMs } from './zone.ts';

export type DateParser = (text: string) => string | undefined;

type Token = { kind: 'y' | 'M' | 'd' | 'H' | 'm' | 's' | 'S' } | { kind: 'lit'; text: string };

const PATTERN_TOKENS: [string, Token['kind']][] = [
  ['yyyy', 'y'],
  ['MM', 'M'],
  ['dd', 'd'],
  ['HH', 'H'],
  ['mm', 'm'],
  ['ss', 's'],
  ['SSS', 'S'],
];

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
/** The shape nearly every machine-written UTC timestamp has; checked without a regex. */
const SIMPLE_UTC_LENGTH = 20;

/** Returns a problem with the pattern, or undefined when it is usable. */
export function checkDateFormat(format: string): string | undefined {
  if (format === 'iso') return undefined;
  const kinds = compile(format).map((t) => t.kind);
  for (const needed of ['y', 'M', 'd'] as const) {
    if (!kinds.includes(needed)) return `date format '${format}' lacks yyyy, MM or dd`;
  }
  return undefined;
}

export function makeDateParser(format: string, zone: string): DateParser {
  const minutes = new Map<number, string>();
  const parse =
    format === 'iso'
      ? (t: string) => parseIso(t, zone, minutes)
      : patternParser(format, zone, minutes);
  // snapshot files repeat one timestamp on every row and event files repeat minutes: a bounded
  // text → result cache beats parsing (a string's hash is computed once and kept)
  const seen = new Map<string, string | undefined>();
  // a snapshot repeats its time on every row: comparing with the last text beats hashing it
  let lastText = '';
  let lastValue: string | undefined;
  return (text) => {
    if (text === lastText) return lastValue;
    let value = seen.get(text);
    lastText = text;
    if (value !== undefined || seen.has(text)) return (lastValue = value);
    value = parse(text);
    if (seen.size >= TEXT_CACHE_LIMIT) seen.clear();
    seen.set(text, value);
    return (lastValue = value);
  };
}

const TEXT_CACHE_LIMIT = 100_000;

function parseIso(text: string, zone: string, minutes: Map<number, string>): string | undefined {
  if (
    text.length === SIMPLE_UTC_LENGTH &&
    text.charCodeAt(19) === 90 /* Z */ &&
    text.charCodeAt(10) === 84
  ) {
    const ok = fields(text, [0, 4, 5, 7, 8, 10, 11, 13, 14, 16, 17, 19]);
    if (ok && validAndMs(ok[0]!, ok[1]!, ok[2]!, ok[3]!, ok[4]!, ok[5]!, 0) !== undefined) {
      return `${text.slice(0, 19)}.000Z`;
    }
  }
  const m = ISO.exec(text);
  if (!m) return undefined;
  const ms = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as number[];
  const offset = m[8];
  if (!offset || offset === 'Z' || offset === 'z') {
    return validAndIso(y!, mo!, d!, h!, mi!, s!, ms, zone, Boolean(offset), minutes);
  }
  const local = validAndMs(y!, mo!, d!, h!, mi!, s!, ms);
  if (local === undefined) return undefined;
  const sign = offset[0] === '-' ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0);
  return new Date(local - sign * offsetMin * 60_000).toISOString();
}

/** Reads digit runs between fixed positions; undefined if any is not all digits. */
function fields(text: string, bounds: number[]): number[] | undefined {
  const out: number[] = [];
  for (let b = 0; b < bounds.length; b += 2) {
    let n = 0;
    for (let i = bounds[b]!; i < bounds[b + 1]!; i++) {
      const c = text.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return undefined;
      n = n * 10 + c;
    }
    out.push(n);
  }
  const seps = text[4] === '-' && text[7] === '-' && text[13] === ':' && text[16] === ':';
  return seps ? out : undefined;
}

const SLOT = { y: 0, M: 1, d: 2, H: 3, m: 4, s: 5, S: 6 } as const;

function patternParser(format: string, zone: string, minutes: Map<number, string>): DateParser {
  const tokens = compile(format);
  const endsWithSeconds = tokens[tokens.length - 1]?.kind === 's';
  const v = new Int32Array(7);
  const fixed = fixedWidth(tokens);
  return (text) => {
    if (text.length === fixed.length && readFixed(text, fixed, v)) {
      return validAndIso(v[0]!, v[1]!, v[2]!, v[3]!, v[4]!, v[5]!, v[6]!, zone, false, minutes);
    }
    v.fill(0);
    let i = 0;
    for (const t of tokens) {
      if (t.kind === 'lit') {
        if (!text.startsWith(t.text, i)) return undefined;
        i += t.text.length;
        continue;
      }
      const max = t.kind === 'y' ? 4 : t.kind === 'S' ? 9 : 2;
      const start = i;
      let n = 0;
      while (i - start < max && i < text.length) {
        const c = text.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        n = n * 10 + c;
        i++;
      }
      const width = i - start;
      if (width === 0 || (t.kind === 'y' && width < 4)) return undefined;
      v[SLOT[t.kind]] = t.kind === 'S' ? milliseconds(n, width) : n;
    }
    if (i < text.length && endsWithSeconds) {
      const fraction = /^[.,](\d{1,9})$/.exec(text.slice(i));
      if (!fraction) return undefined;
      v[6] = milliseconds(Number(fraction[1]), fraction[1]!.length);
      i = text.length;
    }
    if (i !== text.length) return undefined;
    return validAndIso(v[0]!, v[1]!, v[2]!, v[3]!, v[4]!, v[5]!, v[6]!, zone, false, minutes);
  };
}

/**
 * The usual case — every part zero-padded (`2026-11-20 09:05`) — read at fixed positions with
 * no per-token work; anything else falls back to the general reader.
 */
type Fixed = {
  length: number;
  digits: Int32Array;
  slots: Int32Array;
  literals: [number, number][];
};

function fixedWidth(tokens: Token[]): Fixed {
  const digits: number[] = [];
  const slots: number[] = [];
  const literals: [number, number][] = [];
  let at = 0;
  for (const t of tokens) {
    if (t.kind === 'lit') {
      for (let k = 0; k < t.text.length; k++) literals.push([at++, t.text.charCodeAt(k)]);
      continue;
    }
    const width = t.kind === 'y' ? 4 : t.kind === 'S' ? 3 : 2;
    for (let k = 0; k < width; k++) {
      digits.push(at++);
      slots.push(SLOT[t.kind]);
    }
  }
  return { length: at, digits: Int32Array.from(digits), slots: Int32Array.from(slots), literals };
}

function readFixed(text: string, fixed: Fixed, v: Int32Array): boolean {
  for (const [at, code] of fixed.literals) if (text.charCodeAt(at) !== code) return false;
  v.fill(0);
  const { digits, slots } = fixed;
  for (let k = 0; k < digits.length; k++) {
    const c = text.charCodeAt(digits[k]!) - 48;
    if (c < 0 || c > 9) return false;
    const slot = slots[k]!;
    v[slot] = v[slot]! * 10 + c;
  }
  return true;
}

/** A fraction of `width` digits, truncated to milliseconds. */
function milliseconds(n: number, width: number): number {
  return width <= 3 ? n * 10 ** (3 - width) : Math.floor(n / 10 ** (width - 3));
}

function compile(format: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  outer: while (i < format.length) {
    for (const [word, kind] of PATTERN_TOKENS) {
      if (format.startsWith(word, i)) {
        tokens.push({ kind } as Token);
        i += word.length;
        continue outer;
      }
    }
    const prev = tokens[tokens.length - 1];
    if (prev?.kind === 'lit') prev.text += format[i];
    else tokens.push({ kind: 'lit', text: format[i]! });
    i++;
  }
  return tokens;
}

/**
 * Date objects cost more than the rest of a row, so the UTC text is built from a per-minute
 * cache (a week of events has ~10,000 distinct minutes) plus the seconds, which no zone shifts.
 */
function validAndIso(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ms: number,
  zone: string,
  utc: boolean,
  minutes: Map<number, string>,
): string | undefined {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  if (d > daysInMonth(y, mo)) return undefined;
  const localMinute = daysFromCivil(y, mo, d) * 1440 + h * 60 + mi;
  let prefix = minutes.get(localMinute);
  if (prefix === undefined) {
    const localMs = localMinute * 60_000;
    prefix = new Date(utc ? localMs : localToUtcMs(zone, localMs)).toISOString().slice(0, 17);
    if (minutes.size >= MINUTE_CACHE_LIMIT) minutes.clear();
    minutes.set(localMinute, prefix);
  }
  return prefix + TWO_DIGITS[s] + '.' + (ms < 10 ? '00' : ms < 100 ? '0' : '') + ms + 'Z';
}

const MINUTE_CACHE_LIMIT = 500_000;
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function validAndMs(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ms: number,
): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  if (d > daysInMonth(y, mo)) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, s, ms);
}

function daysInMonth(y: number, mo: number): number {
  if (mo === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}
