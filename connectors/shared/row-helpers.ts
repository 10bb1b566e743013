/**
 * What every row handler of one file shares (records.ts): its getters, its number and date
 * readers, and the reasons it words, with what a spreadsheet may have done to a cell said (a
 * serial date, a thousands group read as decimals).
 */
import type { Getter } from './columns.ts';
import { makeDateParser } from './dates.ts';
import { makeDecimalReader, makeNumberParser } from './numbers.ts';
import type { RecordContext } from './records.ts';

/** A number written as thousands groups with a point: `1.270`, `12.345.678`. */
const POINT_GROUPED = /^-?\d{1,3}(?:\.\d{3})+$/;

/**
 * A semicolon file is Excel's where the decimal mark is a comma, and there `1.270` is 1270;
 * read without a numberFormat it is 1.27, a whole unit off by a thousand, and where the unit
 * takes decimals (kg) nothing else would say so. The first such quantity is named once in the
 * file's summary, with the setting that reads it as the file means it.
 */
function watchGrouping<R>(
  ctx: RecordContext<R>,
  num: (text: string) => number | undefined,
): (text: string) => number | undefined {
  const notes = ctx.notes;
  if (ctx.mapping.numberFormat !== undefined || ctx.mapping.delimiter !== ';' || !notes) return num;
  let told = false;
  return (text) => {
    const n = num(text);
    if (!told && n !== undefined && POINT_GROUPED.test(text)) {
      told = true;
      notes.push(
        `numbers such as '${text}' were read as decimals (${n}); if the file groups thousands with '.', as Excel does with ';' where the decimal mark is a comma, set numberFormat: '1.234,5' on its mapping`,
      );
    }
    return n;
  };
}

/**
 * A spreadsheet's own date, days since 1899-12-30 (`46347`, `46347.75`), where a date column lost
 * its format on the way: said, with the date it would be, for the person fixing the export.
 */
function serialDateHint(text: string): string {
  if (!/^\d{5}(?:[.,]\d+)?$/.test(text)) return '';
  const days = Number(text.replace(',', '.'));
  const date = new Date(Date.UTC(1899, 11, 30) + Math.round(days * 86_400_000));
  return ` (it reads as a spreadsheet's serial date, ${date.toISOString().slice(0, 16).replace('T', ' ')}: export the column as a date text)`;
}

/** Shared per-row helpers bound to one file. */
export function rowHelpers<R>(ctx: RecordContext<R>) {
  const { get, label } = ctx.fields;
  const none: Getter<R> = () => undefined;
  const g = (field: string) => get.get(field) ?? none;
  const expected = ctx.mapping.dateFormat === 'iso' ? 'an ISO-8601 time' : ctx.mapping.dateFormat;
  return {
    g,
    num: watchGrouping(ctx, makeNumberParser(ctx.mapping.numberFormat)),
    label: (field: string) => label.get(field) ?? field,
    /** Exact decimal text (unit costs), never through a float. */
    decimal: makeDecimalReader(ctx.mapping.numberFormat),
    missing: (field: string) => `missing ${label.get(field) ?? field}`,
    notNumber: (field: string, text: string) =>
      `${label.get(field) ?? field}: '${text}' is not a number`,
    negative: (field: string, text: string) =>
      `${label.get(field) ?? field}: '${text}' is negative`,
    /** One parser per date field, each with its own cache of recent texts. */
    dateParser: () => makeDateParser(ctx.mapping.dateFormat, ctx.source.timezone),
    badDate: (field: string, text: string) =>
      `${label.get(field) ?? field}: '${text}' is not ${expected}${serialDateHint(text)}`,
  };
}
