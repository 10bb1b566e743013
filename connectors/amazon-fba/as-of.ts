/**
 * When an inventory report was taken. The Manage FBA Inventory report carries no date, so the
 * as-of comes, in this order, from the `inventoryAsOf` setting, a date column in the report
 * (`snapshot-date` in Amazon's FBA Inventory report, or the column `inventoryAsOfColumn` names),
 * a date in the file's name (`…_2026-11-20.txt`, `…20261120T0600…`), and only then the file's
 * modification time — with a note saying so, since a copied file's mtime is the copy's.
 */
import { stat } from 'node:fs/promises';
import { fileNameDate } from '../shared/file-date.ts';
import { parseLedgerDate } from './ledger.ts';

export const DEFAULT_AS_OF_COLUMN = 'snapshot-date';

export type ReportAsOf = {
  asOf: string;
  from: 'setting' | 'file name' | 'file time';
  note?: string;
};

/** A date (and time) in the file's name, read as UTC (Amazon's reports are in UTC). */
export function fileNameAsOf(path: string): string | undefined {
  return fileNameDate(path, 'UTC');
}

/** A snapshot column's cell: YYYY-MM-DD, MM/DD/YYYY or an ISO date-time (UTC when no offset). */
export function columnAsOf(text: string | undefined): string | undefined {
  const t = text?.trim() ?? '';
  if (t === '') return undefined;
  return parseLedgerDate(
    /^\d{4}-\d{2}-\d{2}[ T]\d/.test(t) && !/[zZ]|[+-]\d\d:?\d\d$/.test(t)
      ? `${t.replace(' ', 'T')}Z`
      : t,
  );
}

/** The file-level as-of when no column gives one per row. */
export async function reportAsOf(
  path: string,
  displayName: string,
  setting: string | undefined,
): Promise<ReportAsOf> {
  if (setting) return { asOf: setting, from: 'setting' };
  const named = fileNameAsOf(displayName);
  if (named) return { asOf: named, from: 'file name' };
  const mtime = await fileTime(path);
  return {
    asOf: mtime,
    from: 'file time',
    note:
      `as-of ${mtime} taken from the file's modification time: the report has no ` +
      `${DEFAULT_AS_OF_COLUMN} column and its name no date; set inventoryAsOf to say when it was taken`,
  };
}

async function fileTime(path: string): Promise<string> {
  try {
    return (await stat(path)).mtime.toISOString();
  } catch {
    return new Date().toISOString();
  }
}
