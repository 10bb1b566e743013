/**
 * Exact money for the close, over engine/core/model/money.ts: integer minor units of the close's
 * currency, computed from decimal text, never from binary floating point. A unit cost of 0.1 is
 * the decimal 0.1, so 97 × 0.1 is exactly 9.70; the one rounding, to the minor unit, is half away
 * from zero, per line.
 */
import {
  currencyOf,
  DEFAULT_CURRENCY,
  decimalOfNumber,
  decimalText,
  extendMinor,
  parseDecimal,
  toMinor,
  type Currency,
  type Decimal,
} from '../../core/model/money.ts';

/** A unit cost or an amount as the item master or a stored row holds it. */
export type Amount = number | string | Decimal;

export function decimalOf(value: Amount): Decimal {
  const d =
    typeof value === 'number'
      ? decimalOfNumber(value)
      : typeof value === 'string'
        ? parseDecimal(value)
        : value;
  if (d === undefined) throw new RangeError(`not a decimal amount: "${String(value)}"`);
  return d;
}

export function amountText(value: Amount): string {
  return decimalText(decimalOf(value));
}

/** quantity × unit cost in minor units, signed like the quantity. */
export function lineValueMinor(unitCost: Amount, quantity: number, currency: Currency): number {
  const value = extendMinor(decimalOf(unitCost), quantity, currency);
  return quantity < 0 ? -value : value;
}

/** An amount in minor units. */
export function amountMinor(value: Amount, currency: Currency = DEFAULT_CURRENCY): number {
  return toMinor(decimalOf(value), currency);
}

/** The currency of the Accounts rules (two decimals when unnamed or unknown to the runtime). */
export function closeCurrency(code: string | undefined): Currency {
  return (code ? currencyOf(code) : undefined) ?? DEFAULT_CURRENCY;
}
