/**
 * Item export → the item master: code, group (the SKU class), stock unit, valuation rate, and
 * the pack sizes of its UOM Conversion Detail rows. Data Export writes an item's first UOM row
 * beside the item and each further one on a row of its own with the item's columns empty.
 */
import type { Item } from '../../engine/core/model/types.ts';
import type { FileSummary, Sink } from '../types.ts';
import { makeDecimalReader, parseNumber } from '../shared/numbers.ts';
import { ITEM_LABELS, ITEM_REQUIRED } from './fields.ts';
import { insideData, readTable, RowProblem, type Row } from './table.ts';

export async function readItems(
  dataDir: string,
  path: string,
  sink: Sink,
  signal?: AbortSignal,
  sourceId?: string,
  packColumns: ReadonlyMap<string, string> = new Map(),
): Promise<FileSummary> {
  const summary: FileSummary = { file: path, sha256: '', read: 0, accepted: 0, rejected: 0 };
  const items: Items = {
    last: undefined,
    source: sourceId,
    file: path,
    packUnits: [...packColumns.keys()],
  };
  const onRow = (row: Row) => {
    summary.read++;
    const problem = guarded(() => itemOf(row, sink, items));
    if (problem === undefined) {
      summary.accepted++;
      return;
    }
    summary.rejected++;
    sink.reject({ file: path, line: row.line, reason: problem, raw: row.raw });
  };
  const abs = insideData(dataDir, path);
  const labels = { ...ITEM_LABELS };
  for (const [unit, column] of packColumns) labels[`pack:${unit}`] = [column];
  const required = [...ITEM_REQUIRED, ...[...packColumns.keys()].map((u) => `pack:${u}`)];
  const table = await readTable(abs, path, labels, required, onRow, signal);
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

const readDecimal = makeDecimalReader(undefined);

type Items = {
  last: Item | undefined;
  source: string | undefined;
  file: string;
  /** Units whose size per item is a column of the export (the itemPacks setting). */
  packUnits: string[];
};

function itemOf(row: Row, sink: Sink, items: Items): string | undefined {
  const sku = row.get('item_code');
  const pack = packOf(row, items.packUnits);
  if (typeof pack === 'string') return pack;
  if (sku === undefined || sku === items.last?.sku) {
    if (!items.last || !pack) return 'item_code and item_group are required';
    items.last = {
      ...items.last,
      packs: { ...items.last.packs, ...pack },
      origin: { file: items.file, line: row.line },
    };
    sink.item(items.last);
    return undefined;
  }
  const skuClass = row.get('item_group');
  if (!skuClass) return 'item_code and item_group are required';
  const rate = row.get('valuation_rate');
  const unitCost = rate === undefined ? undefined : readDecimal(rate);
  if (rate !== undefined && unitCost === undefined)
    return `valuation_rate: expected a number, got "${rate}"`;
  if (unitCost?.startsWith('-')) return `valuation_rate: "${rate}" is negative`;
  items.last = {
    sku,
    skuClass,
    baseUnit: row.get('stock_uom'),
    unitCost,
    ...(pack ? { packs: pack } : {}),
    ...(items.source ? { source: items.source } : {}),
    origin: { file: items.file, line: row.line },
  };
  sink.item(items.last);
  return undefined;
}

/**
 * The row's pack sizes: its UOM Conversion Detail (unit → stock units in one) and the
 * itemPacks columns; or why the row is refused.
 */
function packOf(row: Row, packUnits: string[]): Record<string, number> | string | undefined {
  let packs: Record<string, number> | undefined;
  for (const unit of packUnits) {
    const text = row.get(`pack:${unit}`);
    if (text === undefined) continue;
    const size = parseNumber(text);
    if (size === undefined || !(size > 0))
      return `${unit} pack: expected a positive number, got "${text}"`;
    (packs ??= {})[unit] = size;
  }
  const uom = row.get('uom');
  const text = row.get('conversion_factor');
  if (uom === undefined && text === undefined) return packs;
  if (uom === undefined || text === undefined) return 'uom and conversion_factor go together';
  const factor = parseNumber(text);
  if (factor === undefined || !(factor > 0))
    return `conversion_factor: expected a positive number, got "${text}"`;
  return { ...packs, [uom]: factor };
}
