/**
 * Transfers as one movement between two ends, whatever each system calls its half:
 * - a **receipt** booked at a location, with the reference, sku and quantity of a booked
 *   transfer_out to that location, is the transfer's arrival (a 3PL's 944 says "received", not
 *   "from which transfer"): it is read as a transfer_in out of the destination's in_transit,
 *   so the transfer closes and the ERP's own transfer_in matches it;
 * - stock a source holds at a location of type `transit` (ERPNext's Goods In Transit warehouse)
 *   is in transit between two ends, not at a place of its own: it is counted in the in_transit
 *   bucket of the destination that the systems recording the transfer name — found by the
 *   reference of the source's own transfer into the transit location still open. Where those
 *   transfers go to several destinations (or none is known) the stock stays where it is.
 * Pure table updates before the ledger is projected; a row already settled is left alone, so
 * settling twice changes nothing.
 */
import { EVENT_TYPES } from '../model/types.ts';
import { stock } from '../model/accounts.ts';
import { bucketId } from '../model/keys.ts';
import type { Intake } from './intake.ts';
import type { RowScope } from './sku-rows.ts';

const RECEIPT = EVENT_TYPES.indexOf('receipt');
const TRANSFER_OUT = EVENT_TYPES.indexOf('transfer_out');
const TRANSFER_IN = EVENT_TYPES.indexOf('transfer_in');
const IN_TRANSIT = bucketId('in_transit');

/** Calls `visit` with every row of a table, or the scope's rows of it. */
function forEachRow(rows: number[] | undefined, length: number, visit: (row: number) => void) {
  const n = rows ? rows.length : length;
  for (let k = 0; k < n; k++) visit(rows ? (rows[k] as number) : k);
}

export function settleTransfers(intake: Intake, scope?: RowScope): void {
  receiptsThatArrive(intake, scope?.events);
  const transit = transitLocations(intake);
  if (transit.size > 0) placeInTransit(intake, scope, transit);
}

// Both passes read every event (2M at 1M keys): plain loops over the columns' arrays.
function receiptsThatArrive(intake: Intake, rows: number[] | undefined): void {
  const ev = intake.events;
  const [types, booked, refs, skuOf, counterparts, cmps] = [
    ev.type.data,
    ev.booked.data,
    ev.ref.data,
    ev.sku.data,
    ev.counterpart.data,
    ev.cmp.data,
  ];
  const key = (sku: number, to: number, ref: number, qty: number) => `${sku}|${to}|${ref}|${qty}`;
  const open = new Map<string, number[]>();
  // 1 at each sku with an open transfer
  const skus = new Uint8Array(intake.skus.size);
  const n = rows ? rows.length : ev.length;
  for (let k = 0; k < n; k++) {
    const i = rows ? (rows[k] as number) : k;
    if (types[i] !== TRANSFER_OUT || booked[i] !== 1 || refs[i]! < 0) continue;
    if (counterparts[i]! < 0) continue;
    const id = key(skuOf[i]!, counterparts[i]!, refs[i]!, ev.qty.get(i));
    const list = open.get(id);
    if (list) list.push(i);
    else open.set(id, [i]);
    skus[skuOf[i]!] = 1;
  }
  if (open.size === 0) return;
  const candidates: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = rows ? (rows[k] as number) : k;
    if (booked[i] !== 1 || refs[i]! < 0 || skus[skuOf[i]!] !== 1) continue;
    const type = types[i];
    if (type === TRANSFER_IN) open.get(key(skuOf[i]!, cmps[i]!, refs[i]!, ev.qty.get(i)))?.shift();
    else if (type === RECEIPT) candidates.push(i);
  }
  for (const i of candidates) {
    const out = open.get(key(ev.sku.get(i), ev.cmp.get(i), ev.ref.get(i), ev.qty.get(i)))?.shift();
    if (out === undefined) continue;
    ev.type.set(i, TRANSFER_IN);
    ev.from.set(i, stock(ev.cmp.get(i), IN_TRANSIT));
    ev.counterpart.set(i, ev.cmp.get(out));
  }
}

/** Compare-level ids of the locations the rules declare with type `transit`. */
function transitLocations(intake: Intake): Set<number> {
  const out = new Set<number>();
  for (const l of intake.ruleset.mappings.locations.values()) {
    if (l.type !== 'transit') continue;
    const id = intake.locations.find(l.id);
    if (id !== undefined) out.add(intake.compareOf(id));
  }
  return out;
}

function placeInTransit(intake: Intake, scope: RowScope | undefined, transit: Set<number>): void {
  const t = intake.positions;
  const ev = intake.events;
  const held: number[] = [];
  const inTransit = new Uint8Array(intake.locations.size);
  for (const cmp of transit) inTransit[cmp] = 1;
  const cmps = t.cmp.data;
  forEachRow(scope?.positions, t.length, (row) => {
    if (inTransit[cmps[row]!] === 1) held.push(row);
  });
  if (held.length === 0) return;
  // the transfers of the skus held in transit, once
  const skus = new Set(held.map((row) => t.sku.get(row)));
  const transfers = new Map<number, number[]>();
  forEachRow(scope?.events, ev.length, (i) => {
    const type = ev.type.get(i);
    if ((type !== TRANSFER_OUT && type !== TRANSFER_IN) || ev.ref.get(i) < 0) return;
    const sku = ev.sku.get(i);
    if (!skus.has(sku)) return;
    const list = transfers.get(sku);
    if (list) list.push(i);
    else transfers.set(sku, [i]);
  });
  for (const row of held) {
    const sku = t.sku.get(row);
    const mine = transfers.get(sku) ?? [];
    const refs = openInto(intake, mine, t.src.get(row), t.cmp.get(row));
    const ends = new Set<number>();
    for (const i of mine) {
      const to = ev.counterpart.get(i);
      if (ev.type.get(i) !== TRANSFER_OUT || !refs.has(ev.ref.get(i))) continue;
      if (to >= 0 && !transit.has(to)) ends.add(to);
    }
    if (ends.size !== 1) continue;
    const end = [...ends][0]!;
    t.cmp.set(row, end);
    t.sl.set(row, intake.skuLocs.id(sku, end));
    t.bucket.set(row, IN_TRANSIT);
  }
}

/** References of a source's transfers into a transit location that have not left it yet. */
function openInto(intake: Intake, transfers: number[], src: number, at: number): Set<number> {
  const ev = intake.events;
  const refs = new Set<number>();
  const left = new Set<number>();
  for (const i of transfers) {
    if (ev.src.get(i) !== src || ev.counterpart.get(i) !== at) continue;
    if (ev.type.get(i) === TRANSFER_OUT) refs.add(ev.ref.get(i));
    else left.add(ev.ref.get(i));
  }
  for (const r of left) refs.delete(r);
  return refs;
}
