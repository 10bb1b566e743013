/**
 * ERPNext query set. Positions come from `tabBin`, ERPNext's cached balance per item and
 * warehouse; events come from `tabStock Ledger Entry`, the ledger itself. The two are read
 * independently on purpose: when the Bin cache drifts from the ledger (ERPNext #41063,
 * #37441), Tally sees the disagreement instead of hiding it.
 */
import type { RawEvent, EventType } from '../../engine/core/model/types.ts';
import type { Db } from './db.ts';
import type { Out } from './out.ts';
import { num, str } from './out.ts';
import type { QueryContext, EventCursor } from './query-set.ts';
import { dateAndTimeToUtc, wallTextToUtc } from './time.ts';
import { readEventPages } from './event-pages.ts';
import { BIN_STATUSES, reconciliation } from '../shared/erpnext-ledger.ts';

const BIN = 'erpnext:tabBin';
const SLE = 'erpnext:tabStock Ledger Entry';

export async function erpnextPositions(db: Db, q: QueryContext, out: Out): Promise<void> {
  let line = 0;
  const build = () => db.table('tabBin').select('item_code', 'warehouse', ...BIN_STATUSES);
  const keys = [
    { column: 'item_code', field: 'item_code' },
    { column: 'warehouse', field: 'warehouse' },
  ];
  for await (const rows of db.pages(build, keys)) {
    for (const row of rows) {
      line++;
      const sku = str(row.item_code);
      const location = str(row.warehouse);
      if (!sku || !location) {
        out.reject(BIN, line, 'tabBin row without item_code or warehouse', row);
        continue;
      }
      // zero reserved/ordered/… quantities say nothing; actual_qty 0 is a real balance
      const positions = BIN_STATUSES.flatMap((status) => {
        const quantity = num(row[status]) ?? 0;
        if (quantity === 0 && status !== 'actual_qty') return [];
        return [
          {
            source: q.source.id,
            sku,
            location,
            status,
            quantity,
            asOf: q.readAt,
            origin: { file: BIN, line },
          },
        ];
      });
      out.accept(BIN, positions, []);
    }
  }
}

/** Voucher type → event type; the sign of actual_qty picks the inbound or outbound word. */
const VOUCHER_TYPES: Record<string, [inbound: EventType, outbound: EventType]> = {
  'Purchase Receipt': ['receipt', 'return'],
  'Purchase Invoice': ['receipt', 'return'],
  'Delivery Note': ['return', 'shipment'],
  'Sales Invoice': ['return', 'shipment'],
  'POS Invoice': ['return', 'shipment'],
  'Stock Entry': ['transfer_in', 'transfer_out'],
  'Stock Reconciliation': ['adjustment', 'adjustment'],
};

export async function erpnextEvents(
  db: Db,
  q: QueryContext,
  out: Out,
  after?: EventCursor,
): Promise<EventCursor | undefined> {
  const build = () =>
    db
      .table('tabStock Ledger Entry', 'sle')
      .select(
        'name',
        'item_code',
        'warehouse',
        'voucher_type',
        'voucher_no',
        'actual_qty',
        'qty_after_transaction',
        'stock_uom',
      )
      .select(
        db.text('posting_date', 'posting_date_text'),
        db.text('posting_time', 'posting_time_text'),
        db.text('creation', 'creation_text'),
        previousBalance(db),
      )
      .where('is_cancelled', 0);
  return readEventPages(
    db,
    out,
    {
      label: SLE,
      build,
      keys: [
        { column: 'creation', field: 'creation_text' },
        { column: 'name', field: 'name' },
      ],
      events: (row) => {
        const event = sleEvent(row, q);
        return event === undefined || typeof event === 'string' ? event : [event];
      },
      refusedKeys: (row) => {
        const sku = str(row.item_code);
        const location = str(row.warehouse);
        return sku && location ? [{ sku, location }] : [];
      },
      name: (row) => `Stock Ledger Entry ${String(row.name)}`,
      cursor: (row) => [row.creation_text, row.name],
    },
    after,
  );
}

/**
 * A Stock Reconciliation's change is its counted qty_after_transaction minus the balance before
 * it (its actual_qty may be 0), so each one carries the qty_after_transaction of the entry
 * just before it for the same item and warehouse — found by the database, whatever page or
 * cursor the read starts from. Other entries do not need it and pay nothing.
 */
function previousBalance(db: Db) {
  const before = db
    .table('tabStock Ledger Entry', 'p')
    .select('p.qty_after_transaction')
    .whereRaw('?? = ??', ['p.item_code', 'sle.item_code'])
    .andWhereRaw('?? = ??', ['p.warehouse', 'sle.warehouse'])
    .andWhere('p.is_cancelled', 0)
    .andWhereRaw('(??, ??, ??) < (??, ??, ??)', [
      'p.posting_date',
      'p.posting_time',
      'p.creation',
      'sle.posting_date',
      'sle.posting_time',
      'sle.creation',
    ])
    .orderBy([
      { column: 'p.posting_date', order: 'desc' },
      { column: 'p.posting_time', order: 'desc' },
      { column: 'p.creation', order: 'desc' },
    ])
    .limit(1);
  return db.knex.raw(`case when ?? = 'Stock Reconciliation' then (?) end as ??`, [
    'sle.voucher_type',
    before,
    'previous_qty',
  ]);
}

function sleEvent(row: Record<string, unknown>, q: QueryContext): RawEvent | string | undefined {
  const sku = str(row.item_code);
  const location = str(row.warehouse);
  const qty = num(row.actual_qty);
  if (!sku || !location) return 'item_code and warehouse are required';
  if (qty === undefined) return `actual_qty ${JSON.stringify(row.actual_qty)} is not a number`;
  const voucherType = str(row.voucher_type) ?? '';
  const counting = voucherType === 'Stock Reconciliation';
  if (qty === 0 && !counting) return undefined; // valuation-only entries move no stock
  const occurredAt = dateAndTimeToUtc(
    String(row.posting_date_text ?? ''),
    str(row.posting_time_text),
    q.source.timezone,
  );
  if (!occurredAt)
    return `posting_date/posting_time ${String(row.posting_date_text)} ${String(row.posting_time_text)} unreadable`;
  const recordedAt = str(row.creation_text)
    ? wallTextToUtc(String(row.creation_text), q.source.timezone)
    : undefined;
  if (counting) return counted(row, q, { qty, occurredAt, recordedAt, sku, location });
  const [inbound, outbound] = VOUCHER_TYPES[voucherType] ?? ['adjustment', 'adjustment'];
  return {
    source: q.source.id,
    sourceEventId: String(row.name),
    type: qty > 0 ? inbound : outbound,
    sku,
    location,
    ...(qty > 0 ? { toStatus: 'actual_qty' } : { fromStatus: 'actual_qty' }),
    quantity: Math.abs(qty),
    unit: str(row.stock_uom),
    occurredAt,
    recordedAt,
    reference: str(row.voucher_no),
  };
}

type Read = { qty: number; occurredAt: string; recordedAt?: string; sku: string; location: string };

/** A Stock Reconciliation entry, sized the way the file reader sizes it. */
function counted(row: Record<string, unknown>, q: QueryContext, r: Read) {
  const event = reconciliation(
    {
      file: SLE,
      line: 0,
      name: String(row.name),
      itemCode: r.sku,
      warehouse: r.location,
      occurredAt: r.occurredAt,
      recordedAt: r.recordedAt,
      voucherType: 'Stock Reconciliation',
      voucherNo: str(row.voucher_no) ?? '',
      actualQty: r.qty,
      qtyAfterTransaction: num(row.qty_after_transaction),
      isCancelled: false,
      unit: str(row.stock_uom),
    },
    // the database holds the whole ledger: no earlier entry means nothing was there
    num(row.previous_qty) ?? 0,
    { sourceId: q.source.id, statusOf: () => 'actual_qty', isTransit: () => false },
  );
  if (!event) return undefined;
  const { origin: _origin, ...rest } = event;
  return rest;
}
