/**
 * Reads a team's discrepancy list for `tally pilot compare`: CSV/TSV through the connectors'
 * delimited parser, XLSX through the shared workbook reader. The first non-empty row is the
 * header; every later row becomes a baseline row or a problem with its line and reason.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { InputError } from '../../engine/core/errors.ts';
import type {
  Baseline,
  BaselineField,
  BaselineProblem,
  BaselineRow,
} from '../../engine/services/pilot/baseline.ts';
import { DelimitedParser } from '../shared/delimited.ts';
import { makeNumberParser } from '../shared/numbers.ts';
import { readXlsxRows, type SheetRow } from '../shared/xlsx.ts';
import { mapHeader, type HeaderMap } from './header.ts';

export { parseColumns } from './header.ts';

export type BaselineOptions = {
  columns?: Partial<Record<BaselineField, string>>;
  /** XLSX: the sheet to read (default the first). */
  sheet?: string;
  /** How numbers are written, by example ('1234.5' default, '1,234.5', '1.234,5' …). */
  numberFormat?: string;
};

type Record_ = SheetRow & { problem?: string };

export function readBaseline(file: string, options: BaselineOptions = {}): Baseline {
  const records: Record_[] = isXlsx(file) ? readXlsxRows(file, options.sheet) : readDelimited(file);
  const problems: BaselineProblem[] = [];
  const rows: BaselineRow[] = [];
  let header: HeaderMap | undefined;
  const number = makeNumberParser(options.numberFormat);
  for (const r of records) {
    if (r.problem === undefined && r.cells.every((c) => c.trim() === '')) continue;
    if (!header) {
      if (r.problem) throw new InputError('BASELINE_HEADER', `${file}:${r.line}: ${r.problem}`);
      header = mapHeader(r.cells, options.columns ?? {}, file, r.line);
      continue;
    }
    const row = r.problem ? r.problem : toRow(r, header, number);
    if (typeof row === 'string') problems.push({ file, line: r.line, reason: row });
    else rows.push(row);
  }
  if (!header) throw new InputError('BASELINE_EMPTY', `${file}: the list is empty`, { file });
  return { file, columns: header.names, rows, problems };
}

function isXlsx(file: string): boolean {
  if (['.xlsx', '.xlsm'].includes(extname(file).toLowerCase())) return true;
  const head = readFileSync(file).subarray(0, 2).toString('latin1');
  return head === 'PK';
}

function readDelimited(file: string): Record_[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError('FILE_UNREADABLE', `${file}: ${(error as Error).message}`, { file });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const delimiter = extname(file).toLowerCase() === '.tsv' || sniffTabs(text) ? '\t' : ',';
  const out: Record_[] = [];
  const parser = new DelimitedParser(delimiter, (cells, line, _raw, problem) =>
    out.push({ line, cells, ...(problem ? { problem } : {}) }),
  );
  parser.push(text);
  parser.end();
  return out;
}

function sniffTabs(text: string): boolean {
  const first = text.slice(0, text.indexOf('\n') >>> 0);
  return first.includes('\t') && !first.includes(',');
}

function toRow(
  r: SheetRow,
  header: HeaderMap,
  number: (text: string) => number | undefined,
): BaselineRow | string {
  const cell = (f: BaselineField) => {
    const i = header.index[f];
    return i === undefined ? '' : (r.cells[i] ?? '').trim();
  };
  const sku = cell('sku');
  const location = cell('location');
  if (sku === '') return `the ${header.names.sku} cell is empty (every row needs a SKU)`;
  if (location === '')
    return `the ${header.names.location} cell is empty (every row needs a location)`;
  const units: Partial<Record<'variance' | 'quantity', number>> = {};
  for (const f of ['variance', 'quantity'] as const) {
    const text = cell(f);
    if (header.index[f] === undefined || text === '') continue;
    const n = number(text.startsWith('+') ? text.slice(1) : text);
    if (n === undefined) return `"${text}" in ${header.names[f]} is not a number`;
    if (!Number.isInteger(n))
      return `"${text}" in ${header.names[f]} is not a whole number of units`;
    units[f] = n;
  }
  if (units.variance === undefined && units.quantity === undefined) {
    const names = [header.names.variance, header.names.quantity].filter(Boolean).join(' / ');
    return `no figure in ${names} (a row needs the units short or over)`;
  }
  const reason = cell('reason');
  return { line: r.line, sku, location, ...units, ...(reason ? { reason } : {}) };
}
