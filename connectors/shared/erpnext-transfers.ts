/**
 * Stock Entry legs → transfers. Within one Stock Entry, an item leaving warehouse A and the same
 * quantity entering warehouse B is one transfer. A move through a transit warehouse is two
 * Stock Entries with different numbers (A → Goods In Transit, later Goods In Transit → B); the
 * second is paired with the first — by `outgoing_stock_entry` when the rows carry it, otherwise
 * the earliest open first leg of the same item and quantity — into one transfer from A to B
 * whose both halves carry the first entry's number. A first leg still open at the end of the
 * read goes to the transit warehouse; a second leg whose first is not in the read comes from it.
 * A leg with no counterpart in its entry (a Material Receipt or Issue) is an adjustment.
 */
import type { RawEvent } from '../../engine/core/model/types.ts';
import { base, round, type LedgerOptions, type SleRow } from './erpnext-ledger.ts';

type Leg = { out: SleRow; into: SleRow; qty: number };

export function pairStockEntries(rows: SleRow[], opts: LedgerOptions): RawEvent[] {
  const events: RawEvent[] = [];
  const open: Leg[] = []; // first legs into transit, in posting order
  for (const entry of byVoucher(rows)) {
    const { legs, single } = legsOf(entry);
    for (const r of single) events.push(base(r, opts, 'adjustment', r.actualQty));
    for (const leg of legs) {
      const intoTransit = opts.isTransit(leg.into.warehouse);
      const outOfTransit = opts.isTransit(leg.out.warehouse);
      if (intoTransit && !outOfTransit) {
        open.push(leg);
        continue;
      }
      if (outOfTransit && !intoTransit) {
        const first = takeFirstLeg(open, leg);
        events.push(...transfer(first ?? leg, leg, opts));
        continue;
      }
      events.push(...transfer(leg, leg, opts));
    }
  }
  for (const leg of open) events.push(transferOut(leg.out, leg.into.warehouse, leg, opts));
  return events;
}

/** Rows grouped by Stock Entry, in the order of each entry's first row (rows come sorted). */
function byVoucher(rows: SleRow[]): SleRow[][] {
  const groups = new Map<string, SleRow[]>();
  for (const r of rows) {
    const g = groups.get(r.voucherNo);
    if (g) g.push(r);
    else groups.set(r.voucherNo, [r]);
  }
  return [...groups.values()];
}

/** Pairs each outgoing row with an incoming row of the same item and quantity. */
function legsOf(entry: SleRow[]): { legs: Leg[]; single: SleRow[] } {
  const ins = entry.filter((r) => r.actualQty > 0);
  const legs: Leg[] = [];
  const single: SleRow[] = [];
  for (const out of entry.filter((r) => r.actualQty < 0)) {
    const i = ins.findIndex(
      (r) => r.itemCode === out.itemCode && round(r.actualQty + out.actualQty) === 0,
    );
    if (i === -1) {
      single.push(out);
      continue;
    }
    legs.push({ out, into: ins.splice(i, 1)[0]!, qty: -out.actualQty });
  }
  return { legs, single: [...single, ...ins] };
}

function takeFirstLeg(open: Leg[], second: Leg): Leg | undefined {
  const named = second.out.outgoingStockEntry ?? second.into.outgoingStockEntry;
  const i = open.findIndex(
    (l) =>
      l.out.itemCode === second.out.itemCode &&
      round(l.qty - second.qty) === 0 &&
      (named === undefined || l.out.voucherNo === named),
  );
  return i === -1 ? undefined : open.splice(i, 1)[0];
}

/** The halves of one transfer: out of `first`'s source, into `second`'s target. */
function transfer(first: Leg, second: Leg, opts: LedgerOptions): RawEvent[] {
  const from = first.out.warehouse;
  const to = second.into.warehouse;
  const reference = first.out.voucherNo;
  const inbound: RawEvent = {
    ...base(second.into, opts, 'transfer_in', second.qty),
    counterpartLocation: from,
    reference,
  };
  return [transferOut(first.out, to, first, opts), inbound];
}

function transferOut(r: SleRow, to: string, leg: Leg, opts: LedgerOptions): RawEvent {
  return { ...base(r, opts, 'transfer_out', -leg.qty), counterpartLocation: to };
}
