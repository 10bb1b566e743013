/**
 * Exact money for the close: integer minor units (cents) computed from decimal text, never from
 * binary floating point. A unit cost of 0.1 is the decimal 0.1 (its shortest text), so 3 × 0.1 is
 * exactly 30 cents; rounding to the minor unit is half away from zero, once, per line.
 */
const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** The decimal text of a finite number or a decimal string ("12.5", "-0.125"). */
export function decimalTextOf(value: number | string): string {
  const text = typeof value === 'number' ? numberText(value) : value.trim();
  if (!DECIMAL.test(text)) throw new RangeError(`not a decimal amount: "${text}"`);
  return text;
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite amount: ${n}`);
  // shortest round-trip text; exponents only for very small or large values
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}

/** `value` × `quantity` in minor units of a currency with `decimals` places, rounded once. */
export function minorUnits(value: number | string, quantity = 1, decimals = 2): number {
  const m = DECIMAL.exec(decimalTextOf(value))!;
  const fraction = m[3] ?? '';
  const scaled = BigInt(`${m[2]}${fraction}`) * BigInt(quantity);
  const negative = (m[1] === '-') !== quantity < 0 && scaled !== 0n;
  const magnitude = scaled < 0n ? -scaled : scaled;
  const shift = fraction.length - decimals;
  let minor: bigint;
  if (shift <= 0) minor = magnitude * 10n ** BigInt(-shift);
  else {
    const unit = 10n ** BigInt(shift);
    minor = magnitude / unit + ((magnitude % unit) * 2n >= unit ? 1n : 0n);
  }
  const out = Number(negative ? -minor : minor);
  if (!Number.isSafeInteger(out))
    throw new RangeError(`amount out of range: ${value} × ${quantity}`);
  return out;
}

/** "-12.34" from -1234 minor units (two places unless told). */
export function decimalFromMinor(minor: number, decimals = 2): string {
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(decimals + 1, '0');
  if (decimals === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}
