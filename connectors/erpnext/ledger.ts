/**
 * Stock Ledger Entry exports → events. Every file is read whole before any event is given out:
 * a Stock Reconciliation needs the balance before it, and the second Stock Entry of a transit
 * move needs the first, wherever the export put them (Report view sorts newest first).
 */
import type { FileSummary, Sink } from '../types.ts';
import { makeDateParser } from '../shared/dates.ts';
import { parseNumber } from '../shared/numbers.ts';
import {
  DEFAULT_STATUS,
  DEFAULT_TRANSIT_PREFIX,
  isCancelledText,
  sleEvents,
  type SleRow,
} from '../shared/erpnext-ledger.ts';
import { SLE_LABELS, SLE_REQUIRED } from './fields.ts';
import { insideData, keyOf, readTable, RowProblem, type Row } from './table.ts';
import type { ErpnextSettings } from './settings.ts';

export type LedgerRead = {
  sourceId: string;
  dataDir: string;
  timezone: string;
  asOf?: string;
  signal?: AbortSignal;
};

export async function readStockLedger(
  r: LedgerRead,
  settings: ErpnextSettings,
  sink: Sink,
): Promise<FileSummary[]> {
  const parse = makeDateParser('iso', r.timezone);
  const rows: SleRow[] = [];
  const summaries: FileSummary[] = [];
  for (const path of settings.stockLedger) {
    const summary: FileSummary = { file: path, sha256: '', read: 0, accepted: 0, rejected: 0 };
    let skipped = 0;
    const onRow = (row: Row) => {
      summary.read++;
      const parsed = parseRow(row, path, parse);
      if (typeof parsed === 'string') {
        summary.rejected++;
        sink.reject({
          file: path,
          line: row.line,
          reason: parsed,
          raw: row.raw,
          source: r.sourceId,
          kind: 'events',
          ...keyOf(row),
        });
        return;
      }
      if (r.asOf && parsed.occurredAt > r.asOf) {
        skipped++;
        return;
      }
      summary.accepted++;
      rows.push(parsed);
    };
    const abs = insideData(r.dataDir, path);
    const table = await readTable(abs, path, SLE_LABELS, SLE_REQUIRED, onRow, r.signal);
    summaries.push({ ...summary, sha256: table.sha256, ...(skipped ? { skipped } : {}) });
  }
  const result = sleEvents(rows, {
    sourceId: r.sourceId,
    statusOf: (w) => settings.warehouseStatus.get(w) ?? DEFAULT_STATUS,
    isTransit: (w) =>
      settings.transitWarehouses?.has(w) ?? w.toLowerCase().startsWith(DEFAULT_TRANSIT_PREFIX),
  });
  for (const e of result.events) sink.event(e);
  const notes = ledgerNotes(result);
  if (notes.length > 0 && summaries[0]) summaries[0].notes = notes;
  return summaries;
}

function ledgerNotes(r: { cancelled: number; superseded: number }): string[] {
  const notes: string[] = [];
  if (r.cancelled > 0)
    notes.push(`${r.cancelled} rows of cancelled documents (is_cancelled) move no stock`);
  if (r.superseded > 0)
    notes.push(
      `${r.superseded} rows of documents replaced by their amendment (<name>-1) are left out`,
    );
  return notes;
}

type ParseDate = (text: string) => string | undefined;

function parseRow(row: Row, file: string, parse: ParseDate): SleRow | string {
  try {
    return rowOf(row, file, parse);
  } catch (e) {
    if (e instanceof RowProblem) return e.message;
    throw e;
  }
}

function rowOf(row: Row, file: string, parse: ParseDate): SleRow | string {
  const get = row.get;
  const itemCode = get('item_code');
  const warehouse = get('warehouse');
  if (!itemCode || !warehouse) return 'item_code and warehouse are required';
  const voucherType = get('voucher_type') ?? '';
  const voucherNo = get('voucher_no') ?? '';
  if (!voucherType || !voucherNo) return 'voucher_type and voucher_no are required';
  const qtyText = get('actual_qty') ?? '';
  const actualQty = parseNumber(qtyText);
  if (actualQty === undefined) return `actual_qty: expected a number like -1.0, got "${qtyText}"`;
  const afterText = get('qty_after_transaction');
  const qtyAfterTransaction = afterText === undefined ? undefined : parseNumber(afterText);
  if (afterText !== undefined && qtyAfterTransaction === undefined)
    return `qty_after_transaction: expected a number, got "${afterText}"`;
  const occurredAt = postedAt(get, parse);
  if (typeof occurredAt !== 'string') return occurredAt.problem;
  const creation = get('creation');
  const recordedAt = creation ? parse(hourTwoDigits(creation)) : undefined;
  if (creation && !recordedAt) return `creation: expected a date-time, got "${creation}"`;
  const name = get('name') ?? fallbackName(get);
  return {
    file,
    line: row.line,
    name,
    itemCode,
    warehouse,
    occurredAt,
    recordedAt,
    voucherType,
    voucherNo,
    actualQty,
    qtyAfterTransaction,
    isCancelled: isCancelledText(get('is_cancelled')),
    unit: get('stock_uom'),
    outgoingStockEntry: get('outgoing_stock_entry'),
  };
}

/** posting_datetime, or posting_date + posting_time (`9:05:00.000000`), as ISO UTC. */
function postedAt(get: Row['get'], parse: ParseDate): string | { problem: string } {
  const both = get('posting_datetime');
  const date = get('posting_date');
  const time = get('posting_time');
  const text = both ?? (date ? `${date.slice(0, 10)} ${time ?? '00:00:00'}` : undefined);
  if (text === undefined) return { problem: 'posting_date is required' };
  const at = parse(hourTwoDigits(text));
  const problem = `posting_date/posting_time: expected 2026-11-20 and 9:05:00.000000, got "${text}"`;
  return at ?? { problem };
}

/** ERPNext writes times without a leading zero before 10:00 (`9:05:00`); ISO wants two digits. */
function hourTwoDigits(text: string): string {
  return text.trim().replace(/^(\S+[ T])(\d):/, '$10$2:');
}

function fallbackName(get: Row['get']): string {
  return [get('voucher_no'), get('voucher_detail_no'), get('warehouse'), get('item_code')]
    .filter(Boolean)
    .join('/');
}
