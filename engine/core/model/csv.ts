/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break. Files people
 * open in a spreadsheet (the journal, the audit export) also defuse formulas: a text cell that
 * starts with =, +, -, @, a tab or a carriage return and is not a plain number gets a leading
 * apostrophe, so a SKU or memo read from a source file cannot run as a formula.
 */
export function csvCell(
  value: string | number | null | undefined,
  opts: { guardFormulas?: boolean } = {},
): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' && Number.isNaN(value)) return '';
  let text = String(value);
  if (
    opts.guardFormulas &&
    typeof value === 'string' &&
    FORMULA_START.test(text) &&
    !NUMBER.test(text)
  )
    text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER = /^[+-]?\d+(\.\d+)?$/;
