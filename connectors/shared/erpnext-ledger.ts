/**
 * ERPNext's Stock Ledger Entry rows → movement events, shared by the file reader
 * (connectors/erpnext) and the live query set (connectors/sql/erpnext.ts) so that both read the
 * ledger the same way:
 * - cancelled rows (`is_cancelled`: the cancelled document's rows and their reversals) move no
 *   stock; rows of a document whose amendment (`<name>-1`, `-2` …) is in the same read are
 *   superseded by it;
 * - a Stock Reconciliation is sized from its `qty_after_transaction` minus the item and
 *   warehouse's previous balance (its `actual_qty` may be 0); with no previous balance in the
 *   read it is a count of that quantity (cycle_count), which the ledger books as counted − book;
 * - Stock Entries pair their legs: out of one warehouse into another is one transfer, and the
 *   two Stock Entries of a move through a transit warehouse (`Goods In Transit - <abbr>`) are
 *   paired into one transfer from the first entry's source to the second one's target.
 */
import type { EventType, RawEvent } from '../../engine/core/model/types.ts';
import { pairStockEntries } from './erpnext-transfers.ts';

/** The quantity columns of ERPNext's Bin (tabBin), each read as a status of its own. */
export const BIN_STATUSES = [
  'actual_qty',
  'reserved_qty',
  'ordered_qty',
  'indented_qty',
  'planned_qty',
  'projected_qty',
  'reserved_qty_for_production',
] as const;

export type SleRow = {
  file: string;
  line: number;
  /** The entry's own id (`name`, exported as ID). */
  name: string;
  itemCode: string;
  warehouse: string;
  occurredAt: string;
  /** When the entry was created (ISO): orders entries posted at the same instant, as ERPNext does. */
  recordedAt?: string;
  voucherType: string;
  voucherNo: string;
  actualQty: number;
  qtyAfterTransaction?: number;
  isCancelled: boolean;
  unit?: string;
  /** The first Stock Entry of a transit move, when the export carries it. */
  outgoingStockEntry?: string;
};

export type LedgerOptions = {
  sourceId: string;
  /** Raw status of stock in a warehouse (default `actual_qty`; a quarantine warehouse's word). */
  statusOf(warehouse: string): string;
  isTransit(warehouse: string): boolean;
};

export type LedgerResult = {
  events: RawEvent[];
  cancelled: number;
  superseded: number;
  /** Rows that move no stock: valuation-only entries, a count that matched the book. */
  noMovement: number;
};

/** Voucher type → event type; the sign of actual_qty picks the inbound or outbound word. */
const VOUCHER_TYPES: Record<string, [inbound: EventType, outbound: EventType]> = {
  'Purchase Receipt': ['receipt', 'return'],
  'Purchase Invoice': ['receipt', 'return'],
  'Delivery Note': ['return', 'shipment'],
  'Sales Invoice': ['return', 'shipment'],
  'POS Invoice': ['return', 'shipment'],
};

export const DEFAULT_STATUS = 'actual_qty';
export const DEFAULT_TRANSIT_PREFIX = 'goods in transit';

export function isCancelledText(text: string | undefined): boolean {
  return /^(1|yes|true)$/i.test(text?.trim() ?? '');
}

export function sleEvents(rows: SleRow[], opts: LedgerOptions): LedgerResult {
  const live = rows.filter((r) => !r.isCancelled);
  const superseded = supersededVouchers(live);
  const kept = live.filter((r) => !superseded.has(voucherKey(r)));
  kept.sort(byPosting);
  const result: LedgerResult = {
    events: [],
    cancelled: rows.length - live.length,
    superseded: live.length - kept.length,
    noMovement: 0,
  };
  const stockEntries: SleRow[] = [];
  const balance = new Map<string, number>();
  for (const r of kept) {
    const key = `${r.itemCode}\u0000${r.warehouse}`;
    const before = balance.get(key);
    if (r.qtyAfterTransaction !== undefined) balance.set(key, r.qtyAfterTransaction);
    if (r.voucherType === 'Stock Reconciliation') {
      const e = reconciliation(r, before, opts);
      if (e) result.events.push(e);
      else result.noMovement++;
    } else if (r.actualQty === 0) {
      result.noMovement++; // valuation-only entries move no stock
    } else if (r.voucherType === 'Stock Entry') {
      stockEntries.push(r);
    } else {
      result.events.push(plain(r, opts));
    }
  }
  result.events.push(...pairStockEntries(stockEntries, opts));
  return result;
}

function byPosting(a: SleRow, b: SleRow): number {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt < b.occurredAt ? -1 : 1;
  const ca = a.recordedAt ?? '';
  const cb = b.recordedAt ?? '';
  if (ca !== cb) return ca < cb ? -1 : 1;
  return a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1;
}

const voucherKey = (r: SleRow) => `${r.voucherType}\u0000${r.voucherNo}`;

/**
 * Documents replaced by an amendment in the same read. ERPNext names the amendment of V
 * `V-1`, then `V-2`; a naming series' counter (`MAT-STE-2026-00012`) is not one, so a suffix
 * counts only when V itself is among the rows, or when V ends with a zero-padded counter and
 * another amendment of it is there.
 */
function supersededVouchers(rows: SleRow[]): Set<string> {
  const present = new Set(rows.map(voucherKey));
  const latest = new Map<string, number>();
  const amendments: [base: string, n: number][] = [];
  for (const key of present) {
    const m = /^(.+)-([1-9]\d?)$/.exec(key);
    if (!m) continue;
    amendments.push([m[1]!, Number(m[2])]);
  }
  const members = new Map<string, number>();
  for (const [base] of amendments) members.set(base, (members.get(base) ?? 0) + 1);
  for (const [base, n] of amendments) {
    const group = present.has(base) || (/\d{3,}$/.test(base) && members.get(base)! > 1);
    if (group && n > (latest.get(base) ?? 0)) latest.set(base, n);
  }
  const out = new Set<string>();
  for (const [base, n] of latest) {
    out.add(base);
    for (let i = 1; i < n; i++) out.add(`${base}-${i}`);
  }
  return out;
}

export function reconciliation(
  r: SleRow,
  before: number | undefined,
  opts: LedgerOptions,
): RawEvent | undefined {
  const status = opts.statusOf(r.warehouse);
  const counted = r.qtyAfterTransaction;
  const previous =
    before ?? (r.actualQty !== 0 && counted !== undefined ? counted - r.actualQty : undefined);
  if (counted === undefined || previous === undefined) {
    if (counted === undefined && r.actualQty !== 0) {
      return { ...base(r, opts, 'adjustment', r.actualQty), reasonCode: 'PHYSICAL_COUNT' };
    }
    // no earlier balance in the read: the count itself, booked as counted − book
    return {
      ...base(r, opts, 'cycle_count', counted ?? 0),
      toStatus: status,
      fromStatus: undefined,
      reasonCode: 'PHYSICAL_COUNT',
    };
  }
  const delta = round(counted - previous);
  if (delta === 0) return undefined;
  return { ...base(r, opts, 'adjustment', delta), reasonCode: 'PHYSICAL_COUNT' };
}

function plain(r: SleRow, opts: LedgerOptions): RawEvent {
  const [inbound, outbound] = VOUCHER_TYPES[r.voucherType] ?? ['adjustment', 'adjustment'];
  return base(r, opts, r.actualQty > 0 ? inbound : outbound, r.actualQty);
}

/** An event of `signed` quantity at the row's warehouse: positive enters its status. */
export function base(r: SleRow, opts: LedgerOptions, type: EventType, signed: number): RawEvent {
  const status = opts.statusOf(r.warehouse);
  return {
    source: opts.sourceId,
    sourceEventId: r.name,
    type,
    sku: r.itemCode,
    location: r.warehouse,
    ...(signed > 0 ? { toStatus: status } : { fromStatus: status }),
    quantity: Math.abs(signed),
    unit: r.unit,
    occurredAt: r.occurredAt,
    recordedAt: r.recordedAt,
    reference: r.voucherNo || undefined,
    origin: { file: r.file, line: r.line },
  };
}

/** Float quantities (`-1.0`, `0.1 + 0.2`) compared and subtracted without binary noise. */
export function round(n: number): number {
  return Math.round(n * 1e9) / 1e9;
}
