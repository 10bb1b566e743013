/**
 * A value at risk as stored today (a double column: `679.3000000000001` happens) in integer
 * minor units: read through a decimal of at most six places, then rounded once at the minor
 * unit, so a float's tail never reaches a sum or a message.
 */
import { DEFAULT_CURRENCY, parseDecimal, toMinor, type Currency } from '../../core/model/money.ts';

export function storedValueMinor(
  value: number | string,
  currency: Currency = DEFAULT_CURRENCY,
): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new RangeError(`stored value at risk is not a number: ${value}`);
  return toMinor(parseDecimal(n.toFixed(6))!, currency);
}
