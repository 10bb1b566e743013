/**
 * Odoo query set (Odoo 17 column names). Positions: `stock_quant` summed per product and
 * internal location (lots and packages folded), as `quantity` (on hand), `reserved_quantity`
 * and `available_quantity` (= quantity − reserved_quantity, what Odoo shows as available).
 * Events: done `stock_move`s; the usages of the source and destination locations say what
 * the move was. Odoo stores datetimes in UTC.
 */
import type { EventType, RawEvent } from '../../engine/core/model/types.ts';
import type { RejectedKey } from '../types.ts';
import type { Db } from './db.ts';
import type { Out } from './out.ts';
import { num, str } from './out.ts';
import type { EventCursor, QueryContext } from './query-set.ts';
import { wallTextToUtc } from './time.ts';
import { readEventPages } from './event-pages.ts';

const QUANT = 'odoo:stock_quant';
const MOVE = 'odoo:stock_move';
const AVAILABLE = 'available_quantity';

const skuOf = (code: unknown, id: unknown) => str(code) ?? String(id);
const locationOf = (name: unknown, id: unknown) => str(name) ?? String(id);

export async function odooPositions(db: Db, q: QueryContext, out: Out): Promise<void> {
  // withSchema qualifies the joined tables too
  const build = () =>
    db
      .table('stock_quant', 'sq')
      .join('stock_location as sl', 'sl.id', 'sq.location_id')
      .leftJoin('product_product as pp', 'pp.id', 'sq.product_id')
      .where('sl.usage', 'internal')
      .groupBy('sq.product_id', 'sq.location_id', 'pp.default_code', 'sl.complete_name')
      .select('sq.product_id', 'sq.location_id', 'pp.default_code', 'sl.complete_name')
      .sum({ quantity: 'sq.quantity' })
      .sum({ reserved_quantity: 'sq.reserved_quantity' });
  const keys = [
    { column: 'sq.product_id', field: 'product_id' },
    { column: 'sq.location_id', field: 'location_id' },
  ];
  let line = 0;
  for await (const rows of db.pages(build, keys)) {
    for (const row of rows) {
      line++;
      const quantity = num(row.quantity);
      const reserved = num(row.reserved_quantity) ?? 0;
      if (quantity === undefined) {
        out.reject(QUANT, line, `quantity ${JSON.stringify(row.quantity)} is not a number`, row, {
          kind: 'positions',
          keys: [
            {
              sku: skuOf(row.default_code, row.product_id),
              location: locationOf(row.complete_name, row.location_id),
            },
          ],
        });
        continue;
      }
      const base = {
        source: q.source.id,
        sku: skuOf(row.default_code, row.product_id),
        location: locationOf(row.complete_name, row.location_id),
        asOf: q.readAt,
        origin: { file: QUANT, line },
      };
      out.accept(
        QUANT,
        [
          { ...base, status: 'quantity', quantity },
          { ...base, status: 'reserved_quantity', quantity: reserved },
          { ...base, status: AVAILABLE, quantity: quantity - reserved },
        ],
        [],
      );
    }
  }
}

/** What stock does when it enters an internal location from `usage`, or leaves to it. */
const INBOUND: Record<string, EventType> = {
  supplier: 'receipt',
  customer: 'return',
  inventory: 'adjustment',
  transit: 'transfer_in',
  production: 'adjustment',
  view: 'adjustment',
};
const OUTBOUND: Record<string, EventType> = {
  customer: 'shipment',
  supplier: 'return',
  inventory: 'adjustment',
  transit: 'transfer_out',
  production: 'adjustment',
  view: 'adjustment',
};

export async function odooEvents(
  db: Db,
  q: QueryContext,
  out: Out,
  after?: EventCursor,
): Promise<EventCursor | undefined> {
  const build = () =>
    db
      .table('stock_move', 'sm')
      .join('stock_location as src', 'src.id', 'sm.location_id')
      .join('stock_location as dst', 'dst.id', 'sm.location_dest_id')
      .leftJoin('product_product as pp', 'pp.id', 'sm.product_id')
      .where('sm.state', 'done')
      .select(
        'sm.id',
        'sm.product_id',
        'sm.product_uom_qty',
        'sm.quantity',
        'sm.origin',
        'sm.is_inventory',
        'pp.default_code',
      )
      .select({ src_usage: 'src.usage', src_name: 'src.complete_name', src_id: 'src.id' })
      .select({ dst_usage: 'dst.usage', dst_name: 'dst.complete_name', dst_id: 'dst.id' })
      .select(db.text('sm.date', 'date_text'));
  return readEventPages(
    db,
    out,
    {
      label: MOVE,
      build,
      keys: [
        { column: 'sm.date', field: 'date_text' },
        { column: 'sm.id', field: 'id' },
      ],
      events: (row) => moveEvents(row, q),
      refusedKeys: moveKeys,
      name: (row) => `stock_move ${String(row.id)}`,
      cursor: (row) => [row.date_text, row.id],
    },
    after,
  );
}

/** The internal ends of a refused move: the keys whose stock it would have moved. */
function moveKeys(row: Record<string, unknown>): RejectedKey[] {
  const sku = skuOf(row.default_code, row.product_id);
  const ends = [
    { usage: row.src_usage, location: locationOf(row.src_name, row.src_id) },
    { usage: row.dst_usage, location: locationOf(row.dst_name, row.dst_id) },
  ];
  return ends.filter((e) => e.usage === 'internal').map((e) => ({ sku, location: e.location }));
}

function moveEvents(row: Record<string, unknown>, q: QueryContext): RawEvent[] | string {
  const qty = num(row.quantity) ?? num(row.product_uom_qty);
  if (qty === undefined || qty < 0)
    return `quantity ${JSON.stringify(row.quantity)} is not a quantity`;
  const occurredAt = wallTextToUtc(String(row.date_text ?? ''), 'UTC');
  if (!occurredAt) return `date ${JSON.stringify(row.date_text)} unreadable`;
  const src = { usage: String(row.src_usage), location: locationOf(row.src_name, row.src_id) };
  const dst = { usage: String(row.dst_usage), location: locationOf(row.dst_name, row.dst_id) };
  const base = {
    source: q.source.id,
    sku: skuOf(row.default_code, row.product_id),
    quantity: qty,
    occurredAt,
    reference: str(row.origin),
    reasonCode: row.is_inventory === true || row.is_inventory === 1 ? 'PHYSICAL_COUNT' : undefined,
  };
  const id = String(row.id);
  if (qty === 0) return [];
  if (src.usage === 'internal' && dst.usage === 'internal')
    return [
      {
        ...base,
        sourceEventId: `${id}:out`,
        type: 'transfer_out',
        location: src.location,
        counterpartLocation: dst.location,
        fromStatus: AVAILABLE,
      },
      {
        ...base,
        sourceEventId: `${id}:in`,
        type: 'transfer_in',
        location: dst.location,
        counterpartLocation: src.location,
        toStatus: AVAILABLE,
      },
    ];
  if (dst.usage === 'internal')
    return [
      {
        ...base,
        sourceEventId: id,
        type: INBOUND[src.usage] ?? 'adjustment',
        location: dst.location,
        toStatus: AVAILABLE,
      },
    ];
  if (src.usage === 'internal')
    return [
      {
        ...base,
        sourceEventId: id,
        type: OUTBOUND[dst.usage] ?? 'adjustment',
        location: src.location,
        fromStatus: AVAILABLE,
      },
    ];
  return []; // e.g. a drop-ship supplier → customer: no stock of ours moved
}
