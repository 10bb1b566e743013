/**
 * Strict number reading for quantities and costs: digits with an optional minus sign and
 * decimal part. Thousands separators, exponents, hex, blanks and `NaN` are refused, because a
 * quantity that was guessed is worse than a row that was rejected.
 */
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
