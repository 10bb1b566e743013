/**
 * How a delimited file writes its quantities, read off their values for `tally init`: the
 * number format (a decimal comma, a thousands group, a minus at the end) and, for movements,
 * what a minus means.
 */
import type { FilePlan, Plan } from './plan.ts';
import { column } from './table.ts';
import type { Table } from './table.ts';

/**
 * How a file writes its quantities, when they say it (a decimal comma, a thousands group, a
 * minus at the end): `1.204` in a file separated by semicolons is Excel's 1204 in most of
 * Europe, 1.204 elsewhere. Undefined when plain numbers leave the default right.
 */
export function numberFormatOf(values: string[], delimiter: string): string | undefined {
  // SAP's lists write a negative number's minus at its end (`12-`, `1.032,500-`)
  const trailing = values.filter((v) => /^\d[\d.,' ]*-$/.test(v.trim()));
  if (trailing.length) {
    const rest = values.map((v) => v.trim().replace(/-$/, ''));
    return `${groupingOf(rest, delimiter) ?? '1234.5'}-`;
  }
  return groupingOf(values, delimiter);
}

function groupingOf(values: string[], delimiter: string): string | undefined {
  const has = (re: RegExp) => values.some((v) => re.test(v.trim()));
  const europe = delimiter === ';';
  if (has(/^-?\d{1,3}( \d{3})+(,\d+)?$/)) return '1 234,5';
  if (has(/^-?\d{1,3}('\d{3})+(\.\d+)?$/)) return "1'234.5";
  if (has(/^-?\d{1,3}(\.\d{3})+,\d+$/) || (europe && has(/^-?\d{1,3}(\.\d{3})+$/)))
    return '1.234,5';
  if (has(/^-?\d{1,3}(,\d{3})+\.\d+$/) || (!europe && has(/^-?\d{1,3}(,\d{3})+$/)))
    return '1,234.5';
  if (has(/^-?\d+,\d+$/)) return europe ? '1.234,5' : '1234,5';
  return undefined;
}

/**
 * Whether a movements file's quantities are signed, and how. A minus means one of two things:
 * the movement the other way (a negative receipt ships back: `signedQuantity: true`), or where
 * the stock went, as stock ledgers and SAP's lists write a goods issue (`3-` shipped:
 * `signedQuantity: stock`). Its shipments and transfers out tell them apart: mostly negative,
 * the sign is the stock's. Read the wrong way, every goods issue would be a return.
 */
export function signsOf(
  plan: Plan,
  file: FilePlan,
  t: Table,
  readNumber: (text: string) => number | undefined,
): void {
  const qty = column(t, file.columns.quantity!)!;
  const type = column(t, file.columns.type!)!;
  let negative: string | undefined;
  let outNegative = 0;
  let outPositive = 0;
  for (const r of t.rows) {
    const q = readNumber(qty(r).trim());
    if (q === undefined || q === 0) continue;
    if (q < 0) negative ??= qty(r);
    const kind = file.typeMap![type(r)];
    if (kind === 'shipment' || kind === 'transfer_out') {
      if (q < 0) outNegative++;
      else outPositive++;
    }
  }
  if (negative === undefined) return;
  if (outNegative > outPositive) {
    file.signedQuantity = 'stock';
    plan.report.decide.push(
      `${file.path}: quantities like "${negative}" are negative, its shipments and transfers out mostly so: read as where the stock went (signedQuantity: stock; a shipment written positive is its reversal): check it`,
    );
  } else {
    file.signedQuantity = true;
    plan.report.decide.push(
      `${file.path}: quantities like "${negative}" are negative: read as the movement the other way (signedQuantity: true; a negative receipt ships back, a negative adjustment decreases): check it`,
    );
  }
}
