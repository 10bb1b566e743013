/**
 * Money, exactly. Amounts are integers in the currency's minor units (cents for USD, yen for
 * JPY, fils for KWD); unit costs are decimals read from text, never binary floats, because an
 * ERP's moving-average cost can carry more digits than the currency (valuation_rate 12.345678).
 * A unit cost times a whole quantity is exact; the one rounding, to the currency's minor unit,
 * happens there, half away from zero, as on an invoice line.
 */
export type Currency = {
  /** ISO 4217 code, e.g. "USD". */
  code: string;
  /** Digits after the decimal point of the minor unit: 2 for USD, 0 for JPY, 3 for KWD. */
  exponent: number;
};

/** An exact decimal: coefficient / 10^scale. */
export type Decimal = { coefficient: bigint; scale: number };

export const DEFAULT_CURRENCY: Currency = { code: 'USD', exponent: 2 };

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;
const MAX_SCALE = 12;

/** The currency for an ISO 4217 code, its exponent from the runtime's table; undefined if unknown. */
export function currencyOf(code: string): Currency | undefined {
  if (!KNOWN.has(code)) return undefined;
  let currency = CURRENCIES.get(code);
  if (currency === undefined) {
    const nf = new Intl.NumberFormat('en-US', { style: 'currency', currency: code });
    currency = { code, exponent: nf.resolvedOptions().maximumFractionDigits ?? 2 };
    CURRENCIES.set(code, currency);
  }
  return currency;
}

/** Asked once per message: looked up in Intl once per code and process. */
const CURRENCIES = new Map<string, Currency>();

const KNOWN = new Set(Intl.supportedValuesOf('currency'));

/**
 * Reads a plain decimal ("214.06", "-3", "12.345678900"); undefined for anything else
 * (thousands separators, exponents, currency signs, more than 12 decimals).
 */
export function parseDecimal(text: string): Decimal | undefined {
  const m = DECIMAL.exec(text.trim());
  if (!m) return undefined;
  const fraction = (m[3] ?? '').replace(/0+$/, '');
  if (fraction.length > MAX_SCALE) return undefined;
  const coefficient = BigInt(m[2]! + fraction);
  return { coefficient: m[1] === '-' ? -coefficient : coefficient, scale: fraction.length };
}

/**
 * A number written in a YAML file as a decimal, read back as the decimal it was written as
 * (its shortest round-trip text); beyond 12 decimals (a float's noise, 642.1800000000001) it
 * is rounded to 12.
 */
export function decimalOfNumber(n: number): Decimal | undefined {
  if (!Number.isFinite(n) || Math.abs(n) >= 1e21) return undefined;
  return parseDecimal(String(n)) ?? parseDecimal(n.toFixed(MAX_SCALE));
}

/** The decimal as plain text, trailing zeros dropped: "214.06", "3", "-0.5". */
export function decimalText(d: Decimal): string {
  const negative = d.coefficient < 0n;
  const digits = (negative ? -d.coefficient : d.coefficient).toString().padStart(d.scale + 1, '0');
  const whole = digits.slice(0, digits.length - d.scale);
  const fraction = digits.slice(digits.length - d.scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** Rounds coefficient / 10^shift half away from zero. */
function roundShift(coefficient: bigint, shift: number): bigint {
  if (shift <= 0) return coefficient * 10n ** BigInt(-shift);
  const divisor = 10n ** BigInt(shift);
  const negative = coefficient < 0n;
  const abs = negative ? -coefficient : coefficient;
  const rounded = (abs + divisor / 2n) / divisor;
  return negative ? -rounded : rounded;
}

function safe(n: bigint, what: string): number {
  const v = Number(n);
  if (!Number.isSafeInteger(v)) throw new RangeError(`${what} is too large to hold exactly`);
  return v;
}

/** The decimal in minor units of the currency, rounded half away from zero at the minor unit. */
export function toMinor(d: Decimal, currency: Currency = DEFAULT_CURRENCY): number {
  return safe(roundShift(d.coefficient, d.scale - currency.exponent), 'amount');
}

/** Whether the decimal has no digits below the currency's minor unit. */
export function fitsMinor(d: Decimal, currency: Currency = DEFAULT_CURRENCY): boolean {
  return d.scale <= currency.exponent;
}

/** Reads a money amount written as text into minor units; undefined when it is not a decimal. */
export function parseMoney(
  text: string,
  currency: Currency = DEFAULT_CURRENCY,
): number | undefined {
  const d = parseDecimal(text);
  return d === undefined ? undefined : toMinor(d, currency);
}

/** A limit written as a YAML number (an approval limit, a tolerance value) in minor units. */
export function minorOfNumber(n: number, currency: Currency = DEFAULT_CURRENCY): number {
  if (n === Infinity) return Number.POSITIVE_INFINITY;
  const d = decimalOfNumber(n);
  if (d === undefined) throw new RangeError(`not an amount: ${n}`);
  return toMinor(d, currency);
}

/** |quantity| × unit cost in minor units: exact, then rounded once at the minor unit. */
export function extendMinor(
  unitCost: Decimal,
  quantity: number,
  currency: Currency = DEFAULT_CURRENCY,
): number {
  if (!Number.isInteger(quantity)) throw new RangeError(`quantity must be whole: ${quantity}`);
  const q = BigInt(Math.abs(quantity));
  return safe(roundShift(unitCost.coefficient * q, unitCost.scale - currency.exponent), 'value');
}

/**
 * One unit's share of a total in minor units (total ÷ quantity) as a decimal of the major unit,
 * to six digits below the minor unit; 0 for no quantity.
 */
export function unitOfTotal(
  totalMinor: number,
  quantity: number,
  currency = DEFAULT_CURRENCY,
): Decimal {
  if (quantity === 0) return { coefficient: 0n, scale: 0 };
  const extra = 6;
  const scaled = (BigInt(totalMinor) * 10n ** BigInt(extra + 1)) / BigInt(quantity);
  return parseDecimal(
    decimalText({ coefficient: roundShift(scaled, 1), scale: currency.exponent + extra }),
  )!;
}

/** Minor units back in the currency's major unit as a number, for rule facts and thresholds. */
export function majorOfMinor(minor: number, currency: Currency = DEFAULT_CURRENCY): number {
  // An integer divided by a power of ten is the double nearest the decimal: 64218 / 100 = 642.18.
  return minor / 10 ** currency.exponent;
}

/** Minor units as a plain decimal in the major unit: 64218 → "642.18" (exports, audit). */
export function minorText(minor: number, currency: Currency = DEFAULT_CURRENCY): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`not whole minor units: ${minor}`);
  const negative = minor < 0;
  const digits = String(Math.abs(minor)).padStart(currency.exponent + 1, '0');
  const cut = digits.length - currency.exponent;
  const fraction = currency.exponent > 0 ? `.${digits.slice(cut)}` : '';
  return `${negative ? '-' : ''}${digits.slice(0, cut)}${fraction}`;
}

const FORMATS = new Map<string, Intl.NumberFormat>();

/**
 * Minor units for people: the currency's sign, thousands separators and every minor digit,
 * e.g. 64218 → "$642.18", 123456789 → "$1,234,567.89", JPY 1500 → "¥1,500",
 * CHF -1250 → "-CHF 12.50". Exact: the digits come from the integer, not from a float.
 */
export function formatMoney(minor: number, currency: Currency | string = DEFAULT_CURRENCY): string {
  const c = typeof currency === 'string' ? (currencyOf(currency) ?? DEFAULT_CURRENCY) : currency;
  let nf = FORMATS.get(c.code);
  if (nf === undefined) {
    nf = new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency: c.code,
      minimumFractionDigits: c.exponent,
      maximumFractionDigits: c.exponent,
    });
    FORMATS.set(c.code, nf);
  }
  // Intl formats a decimal string exactly (no conversion to a double on the way); plain spaces
  // keep terminal columns and test expectations predictable.
  return nf.format(minorText(minor, c) as unknown as number).replace(/\u00a0/g, ' ');
}

/** Whether an amount in minor units is within a limit in minor units (Infinity = no limit). */
export function withinLimit(minor: number, limitMinor: number): boolean {
  return minor <= limitMinor;
}
