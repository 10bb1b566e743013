/**
 * Strict number reading for quantities and costs: digits with an optional minus sign and
 * decimal part. Thousands separators, exponents, hex, blanks and `NaN` are refused, because a
 * quantity that was guessed is worse than a row that was rejected.
 */
import { decimalText, parseDecimal } from '../../engine/core/model/money.ts';

const DECIMAL = /^-?\d+\.\d+$/;
/** Integers with more digits could exceed 2^53 and lose precision. */
const SAFE_DIGITS = 15;

export function parseNumber(text: string): number | undefined {
  const len = text.length;
  if (len === 0 || len > SAFE_DIGITS + 1)
    return len > 0 && DECIMAL.test(text) ? Number(text) : undefined;
  let i = text.charCodeAt(0) === 45 ? 1 : 0;
  if (i === len) return undefined;
  let n = 0;
  for (; i < len; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    n = n * 10 + c;
  }
  if (i === len) return text.charCodeAt(0) === 45 && n !== 0 ? -n : n;
  return DECIMAL.test(text) ? Number(text) : undefined;
}

const GROUPINGS = ['1234.5', '1,234.5', '1.234,5', '1 234,5', "1'234.5", '1234,5'];

/**
 * How a file writes its numbers, named by an example: `1,234.5` (thousands comma, decimal
 * point), `1.234,5` (German, Dutch …), `1 234,5` (French; a no-break space is read too),
 * `1'234.5` (Swiss), `1234,5` (decimal comma, no grouping) and `1234.5` (the default: plain).
 * Grouping must be in threes, so `1,03` in a `1,234.5` file is refused, never read as 103.
 * Each may end in a minus, `1.234,5-`: a negative number may carry its sign at its end, as
 * SAP's lists write it (`12-`, `1.032,500-`); a leading minus is read too.
 */
export const NUMBER_FORMATS = [...GROUPINGS, ...GROUPINGS.map((f) => `${f}-`)];
export type NumberFormat = (typeof NUMBER_FORMATS)[number];

export function makeNumberParser(format: string | undefined): (text: string) => number | undefined {
  if (format?.endsWith('-')) return trailingMinus(makeNumberParser(format.slice(0, -1)));
  if (format === undefined || format === '1234.5') return parseNumber;
  const plain = makePlainText(format);
  return (text) => {
    const p = plain(text);
    return p === undefined ? undefined : parseNumber(p);
  };
}

/** `read`, and also a number with its minus at its end (`12-`), never both ends (`-12-`). */
function trailingMinus<T extends number | string>(
  read: (text: string) => T | undefined,
): (text: string) => T | undefined {
  return (text) => {
    if (!text.endsWith('-')) return read(text);
    const body = text.slice(0, -1);
    if (body.startsWith('-')) return undefined;
    const v = read(body);
    if (v === undefined) return undefined;
    if (typeof v === 'number') return (v === 0 ? 0 : -v) as T;
    return (v === '0' ? v : `-${v}`) as T;
  };
}

/**
 * Reads an exact decimal (a unit cost) written in the file's number format, as plain decimal
 * text without trailing zeros: `1.234,50` → `1234.5`. Never through a binary float, so
 * `214.06` stays 214.06. Undefined when the text is not a decimal in that format.
 */
export function makeDecimalReader(
  format: string | undefined,
): (text: string) => string | undefined {
  if (format?.endsWith('-')) return trailingMinus(makeDecimalReader(format.slice(0, -1)));
  const plain = makePlainText(format);
  return (text) => {
    const p = plain(text);
    const d = p === undefined ? undefined : parseDecimal(p);
    return d === undefined ? undefined : decimalText(d);
  };
}

const PLAIN = /^-?\d+(?:\.\d+)?$/;

/** The text in the plain `1234.5` form, or undefined when it does not have the format's shape. */
function makePlainText(format: string | undefined): (text: string) => string | undefined {
  if (format === undefined || format === '1234.5') return (t) => (PLAIN.test(t) ? t : undefined);
  const decimal = format.endsWith(',5') ? ',' : '.';
  const group = format.length === 7 ? format[1]! : '';
  const groups = group === ' ' ? '[ \u00a0\u202f]' : group ? `\\${group}` : '';
  const dec = `\\${decimal}`;
  const shape = groups
    ? new RegExp(`^-?(?:\\d{1,3}(?:${groups}\\d{3})+|\\d+)(?:${dec}\\d+)?$`)
    : new RegExp(`^-?\\d+(?:${dec}\\d+)?$`);
  const strip = groups ? new RegExp(groups, 'g') : undefined;
  return (text) =>
    shape.test(text) ? (strip ? text.replace(strip, '') : text).replace(decimal, '.') : undefined;
}
