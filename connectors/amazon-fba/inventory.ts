/**
 * GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA as a snapshot: each afn-* quantity column becomes a
 * raw position under its documented column name. afn-warehouse-quantity and
 * afn-total-quantity are derived totals (warehouse = fulfillable + unsellable + reserved,
 * total = warehouse + inbound); they are emitted too and the StatusMap marks them 'ignore'.
 */
import type { TextEncoding } from '../shared/encoding.ts';
import type { FileSummary, Sink } from '../types.ts';
import { columnAsOf, DEFAULT_AS_OF_COLUMN, reportAsOf } from './as-of.ts';
import {
  cell,
  columnKey,
  parseInteger,
  requireColumns,
  streamTsv,
  type Header,
  type TsvRow,
} from './tsv.ts';

export const REQUIRED_INVENTORY_COLUMNS = [
  'sku',
  'afn-fulfillable-quantity',
  'afn-unsellable-quantity',
  'afn-reserved-quantity',
];

/** Read when present; an empty cell in one of these means "not reported", not zero. */
export const OPTIONAL_QUANTITY_COLUMNS = [
  'afn-warehouse-quantity',
  'afn-total-quantity',
  'afn-inbound-working-quantity',
  'afn-inbound-shipped-quantity',
  'afn-inbound-receiving-quantity',
];

export type InventoryReportOptions = {
  sourceId: string;
  path: string;
  displayName: string;
  location: string;
  /** The inventoryAsOf setting: wins over everything else. */
  asOf?: string;
  /** Column holding each row's snapshot date; `snapshot-date` when not set. */
  asOfColumn?: string;
  encoding?: TextEncoding;
  signal?: AbortSignal;
};

export async function readInventoryReport(
  opts: InventoryReportOptions,
  sink: Sink,
): Promise<FileSummary> {
  const fileAsOf = await reportAsOf(opts.path, opts.displayName, opts.asOf);
  const asOfColumn = opts.asOfColumn ?? DEFAULT_AS_OF_COLUMN;
  // the setting wins; otherwise a date column, when the header has one, dates each row
  let byColumn = false;
  const summary: FileSummary = {
    file: opts.displayName,
    sha256: '',
    read: 0,
    accepted: 0,
    rejected: 0,
  };
  const onRow = (row: TsvRow, h: Header) => {
    summary.read++;
    const problem =
      rowProblem(row, h) ??
      (byColumn && isFbaListing(cell(h, row, 'afn-listing-exists'))
        ? asOfProblem(row, h, asOfColumn)
        : undefined);
    if (problem) {
      summary.rejected++;
      // the sku of a refused row can still be read: that key is incomplete, not zero
      const sku = cell(h, row, 'sku') || undefined;
      sink.reject({
        file: opts.displayName,
        line: row.line,
        reason: problem,
        raw: row.raw,
        source: opts.sourceId,
        kind: 'positions',
        ...(sku ? { sku, location: opts.location } : {}),
      });
      return;
    }
    // An MFN-only listing has no stock in Amazon's network.
    if (!isFbaListing(cell(h, row, 'afn-listing-exists'))) return;
    summary.accepted++;
    const sku = cell(h, row, 'sku')!;
    const asOf = byColumn ? columnAsOf(cell(h, row, asOfColumn))! : fileAsOf.asOf;
    for (const column of [...REQUIRED_INVENTORY_COLUMNS.slice(1), ...OPTIONAL_QUANTITY_COLUMNS]) {
      const quantity = parseInteger(cell(h, row, column));
      if (quantity === undefined) continue;
      sink.position({
        source: opts.sourceId,
        sku,
        location: opts.location,
        status: column,
        quantity,
        asOf,
        origin: { file: opts.displayName, line: row.line },
      });
    }
  };
  const done = await streamTsv(
    opts.path,
    opts.displayName,
    (h) => {
      requireColumns(h, REQUIRED_INVENTORY_COLUMNS, opts.displayName);
      if (opts.asOfColumn !== undefined) requireColumns(h, [opts.asOfColumn], opts.displayName);
      byColumn = fileAsOf.from !== 'setting' && h.index.has(columnKey(asOfColumn));
    },
    onRow,
    opts.signal,
    opts.encoding,
  );
  const note = byColumn ? undefined : fileAsOf.note;
  return { ...summary, sha256: done.sha256, ...(note ? { notes: [note] } : {}) };
}

function asOfProblem(row: TsvRow, h: Header, column: string): string | undefined {
  const text = cell(h, row, column) ?? '';
  if (columnAsOf(text) !== undefined) return undefined;
  return `${column}: expected a date (YYYY-MM-DD, MM/DD/YYYY or ISO date-time), got "${text}"`;
}

function isFbaListing(value: string | undefined): boolean {
  // Reports without the column are FBA-only extracts.
  return value === undefined || /^(yes|y|true)$/i.test(value.trim());
}

/** The whole row is rejected on one bad cell, so a SKU's snapshot is never half-read. */
function rowProblem(row: TsvRow, h: Header): string | undefined {
  if (row.problem) return row.problem;
  if (row.cells.length !== h.names.length) {
    return `expected ${h.names.length} tab-separated fields, found ${row.cells.length}`;
  }
  if (!cell(h, row, 'sku')) return 'sku is empty';
  if (!isFbaListing(cell(h, row, 'afn-listing-exists'))) return undefined;
  for (const column of REQUIRED_INVENTORY_COLUMNS.slice(1)) {
    const text = cell(h, row, column) ?? '';
    const q = parseInteger(text);
    if (q === undefined || q < 0) return `${column}: expected a whole number ≥ 0, got "${text}"`;
  }
  for (const column of OPTIONAL_QUANTITY_COLUMNS) {
    const text = cell(h, row, column);
    if (text === undefined || text === '') continue;
    const q = parseInteger(text);
    if (q === undefined || q < 0) return `${column}: expected a whole number ≥ 0, got "${text}"`;
  }
  return undefined;
}
