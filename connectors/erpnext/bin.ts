/**
 * Bin export → positions: one per quantity column, as the `sql` query set reads tabBin. A Bin
 * has no time of its own, so its as-of is the `binAsOf` setting, else a date in the file's
 * name (`Bin_2026-11-22.csv`), else the file's modification time — with a note saying so.
 */
import { stat } from 'node:fs/promises';
import type { FileSummary, Sink } from '../types.ts';
import { DEFAULT_STATUS } from '../shared/erpnext-ledger.ts';
import { fileNameDate } from '../shared/file-date.ts';
import { parseNumber } from '../shared/numbers.ts';
import { BIN_LABELS, BIN_REQUIRED, BIN_STATUSES } from './fields.ts';
import type { ErpnextSettings } from './settings.ts';
import { insideData, keyOf, readTable, RowProblem, type Row } from './table.ts';

export type BinRead = { sourceId: string; dataDir: string; timezone: string; signal?: AbortSignal };

export async function readBin(
  r: BinRead,
  path: string,
  settings: ErpnextSettings,
  sink: Sink,
): Promise<FileSummary> {
  const abs = insideData(r.dataDir, path);
  const dated = settings.binAsOf ?? fileNameDate(path, r.timezone);
  const asOf = dated ?? (await fileTime(abs));
  const summary: FileSummary = { file: path, sha256: '', read: 0, accepted: 0, rejected: 0 };
  const onRow = (row: Row) => {
    summary.read++;
    let positions;
    try {
      positions = binPositions(row, r.sourceId, path, asOf, settings);
    } catch (e) {
      if (!(e instanceof RowProblem)) throw e;
      positions = e.message;
    }
    if (typeof positions === 'string') {
      summary.rejected++;
      sink.reject({
        file: path,
        line: row.line,
        reason: positions,
        raw: row.raw,
        source: r.sourceId,
        kind: 'positions',
        ...keyOf(row),
      });
      return;
    }
    summary.accepted++;
    for (const p of positions) sink.position(p);
  };
  const table = await readTable(abs, path, BIN_LABELS, BIN_REQUIRED, onRow, r.signal);
  const note = dated
    ? undefined
    : `as-of ${asOf} taken from the file's modification time: its name holds no date; ` +
      'set binAsOf to say when the Bin was exported';
  return { ...summary, sha256: table.sha256, ...(note ? { notes: [note] } : {}) };
}

function binPositions(
  row: Row,
  source: string,
  file: string,
  asOf: string,
  settings: ErpnextSettings,
) {
  const sku = row.get('item_code');
  const warehouse = row.get('warehouse');
  if (!sku || !warehouse) return 'item_code and warehouse are required';
  const out = [];
  for (const column of BIN_STATUSES) {
    const text = row.get(column);
    if (text === undefined && column !== 'actual_qty') continue;
    const quantity = parseNumber(text ?? '');
    if (quantity === undefined)
      return `${column}: expected a number like 12.0, got "${text ?? ''}"`;
    // zero reserved/ordered/… quantities say nothing; actual_qty 0 is a real balance
    if (quantity === 0 && column !== 'actual_qty') continue;
    const status =
      column === 'actual_qty'
        ? (settings.warehouseStatus.get(warehouse) ?? DEFAULT_STATUS)
        : column;
    out.push({
      source,
      sku,
      location: warehouse,
      status,
      quantity,
      unit: row.get('stock_uom'),
      asOf,
      origin: { file, line: row.line },
    });
  }
  return out;
}

async function fileTime(path: string): Promise<string> {
  try {
    return (await stat(path)).mtime.toISOString();
  } catch {
    return new Date().toISOString();
  }
}
