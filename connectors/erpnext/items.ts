/** Item export → the item master: code, group (the SKU class), stock unit, valuation rate. */
import type { FileSummary, Sink } from '../types.ts';
import { parseNumber } from '../shared/numbers.ts';
import { ITEM_LABELS, ITEM_REQUIRED } from './fields.ts';
import { insideData, readTable, RowProblem, type Row } from './table.ts';

export async function readItems(
  dataDir: string,
  path: string,
  sink: Sink,
  signal?: AbortSignal,
): Promise<FileSummary> {
  const summary: FileSummary = { file: path, sha256: '', read: 0, accepted: 0, rejected: 0 };
  const onRow = (row: Row) => {
    summary.read++;
    const problem = guarded(() => itemOf(row, sink));
    if (problem === undefined) {
      summary.accepted++;
      return;
    }
    summary.rejected++;
    sink.reject({ file: path, line: row.line, reason: problem, raw: row.raw });
  };
  const abs = insideData(dataDir, path);
  const table = await readTable(abs, path, ITEM_LABELS, ITEM_REQUIRED, onRow, signal);
  return { ...summary, sha256: table.sha256 };
}

function guarded(f: () => string | undefined): string | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof RowProblem) return e.message;
    throw e;
  }
}

function itemOf(row: Row, sink: Sink): string | undefined {
  const sku = row.get('item_code');
  const skuClass = row.get('item_group');
  if (!sku || !skuClass) return 'item_code and item_group are required';
  const rate = row.get('valuation_rate');
  const unitCost = rate === undefined ? undefined : parseNumber(rate);
  if (rate !== undefined && unitCost === undefined)
    return `valuation_rate: expected a number, got "${rate}"`;
  sink.item({ sku, skuClass, baseUnit: row.get('stock_uom'), unitCost });
  return undefined;
}
