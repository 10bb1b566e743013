/**
 * Where a movement row's quantity goes, in the engine's terms (engine/core/model/accounts.ts):
 * a signed quantity turned into a direction, and a row with a from- and a to-location turned into
 * the events the ledger books. Pure; the row handler (records.ts) calls it once per row.
 *
 * - Signed quantities (`signedQuantity: true`): a negative quantity is the opposite movement. A
 *   negative receipt ships back to the supplier (a shipment), a negative shipment or a negative
 *   return is the other one, a negative reservation is a release and back, a negative
 *   transfer_out at a location is a transfer_in there and back; an internal move (putaway, pick,
 *   status_change, a from→to row) swaps its from and to. A negative adjustment stays negative:
 *   the ledger books it as a decrease. A negative cycle count means nothing and is refused.
 * - A row with both `fromLocation` and `toLocation`: a transfer becomes a transfer_out at the
 *   origin and a transfer_in at the destination (ids `<id>:out` / `<id>:in`, paired in transit by
 *   their reference); any other type is one event at the origin with the destination as its
 *   counterpart, which the ledger books as a move between the two (bin to bin). With one of the
 *   two: a receipt or a return lands at the destination, everything else happens at the origin.
 */
import type { EventType } from '../../engine/core/model/types.ts';

export type MovementRow = {
  type: EventType;
  quantity: number;
  location?: string;
  fromLocation?: string;
  toLocation?: string;
  counterpartLocation?: string;
  fromStatus?: string;
  toStatus?: string;
};

export type Leg = {
  type: EventType;
  location: string;
  counterpartLocation?: string;
  fromStatus?: string;
  toStatus?: string;
  quantity: number;
  /** Appended to the row's event id when a row gives two events. */
  suffix?: string;
};

const OPPOSITE: Partial<Record<EventType, EventType>> = {
  receipt: 'shipment',
  shipment: 'return',
  return: 'shipment',
  reservation: 'release',
  release: 'reservation',
  transfer_out: 'transfer_in',
  transfer_in: 'transfer_out',
};

const INBOUND = new Set<EventType>(['receipt', 'return']);
const TRANSFERS = new Set<EventType>(['transfer_out', 'transfer_in']);

/** The events of one row, or the reason the row cannot be booked. */
export function placeEvent(row: MovementRow): Leg[] | string {
  const r = row.quantity < 0 ? reversed(row) : row;
  if (typeof r === 'string') return r;
  const { fromLocation: from, toLocation: to } = r;
  const statuses = { fromStatus: r.fromStatus, toStatus: r.toStatus };
  if (r.location !== undefined) {
    return [
      {
        type: r.type,
        location: r.location,
        counterpartLocation: r.counterpartLocation,
        ...statuses,
        quantity: r.quantity,
      },
    ];
  }
  if (from !== undefined && to !== undefined && TRANSFERS.has(r.type)) {
    const q = r.quantity;
    return [
      {
        type: 'transfer_out',
        location: from,
        counterpartLocation: to,
        fromStatus: r.fromStatus,
        quantity: q,
        suffix: ':out',
      },
      {
        type: 'transfer_in',
        location: to,
        counterpartLocation: from,
        toStatus: r.toStatus,
        quantity: q,
        suffix: ':in',
      },
    ];
  }
  const at = INBOUND.has(r.type) ? (to ?? from) : (from ?? to);
  if (at === undefined) return 'no location';
  const counterpart =
    from !== undefined && to !== undefined && from !== to ? to : r.counterpartLocation;
  return [
    {
      type: r.type,
      location: at,
      counterpartLocation: counterpart,
      ...statuses,
      quantity: r.quantity,
    },
  ];
}

function reversed(row: MovementRow): MovementRow | string {
  if (row.type === 'adjustment') return row;
  if (row.type === 'cycle_count') return 'a counted quantity cannot be negative';
  const swapped: MovementRow = {
    ...row,
    quantity: -row.quantity,
    fromLocation: row.toLocation,
    toLocation: row.fromLocation,
    fromStatus: row.toStatus,
    toStatus: row.fromStatus,
  };
  if (!OPPOSITE[row.type] && row.location !== undefined && row.counterpartLocation !== undefined) {
    swapped.location = row.counterpartLocation;
    swapped.counterpartLocation = row.location;
  }
  const pairRow = row.fromLocation !== undefined && row.toLocation !== undefined;
  // a from→to transfer is reversed by swapping its ends; a one-sided one changes type
  const type = pairRow && TRANSFERS.has(row.type) ? row.type : (OPPOSITE[row.type] ?? row.type);
  return { ...swapped, type };
}
