/**
 * The normal week: opening stock, receipts with putaway, orders (allocate, pick, ship),
 * cancellations, returns with their disposition, transfers with transit time, damage, small
 * adjustments and cycle counts. Every chain ends before `normalCutoffMs`, so normal flow is
 * fully posted everywhere by the run time; only injections leave things pending.
 */
import {
  balanceOf,
  localDayStartMs,
  lotSize,
  nextId,
  normalCutoffMs,
  record,
  setOpening,
  type Sim,
  type Step,
} from './sim.ts';
import { HOUR_MS, MINUTE_MS } from './time.ts';
import { apply, get } from './book.ts';
import {
  BINS,
  WAREHOUSES,
  homeBin,
  stocks,
  type Movement,
  type Sku,
  type Warehouse,
} from './world.ts';

/** Every seventh SKU at WH-EAST is spread over several bins (bin → warehouse roll-up). */
export const isMultiBin = (sku: Sku) => sku.index % 7 === 3;

export function binsOf(sku: Sku): string[] {
  const home = homeBin(sku);
  if (!isMultiBin(sku)) return [home];
  const i = BINS.indexOf(home);
  return [home, BINS[(i + 7) % BINS.length]!, BINS[(i + 13) % BINS.length]!];
}

export function seedOpening(sim: Sim): void {
  for (const sku of sim.catalog) {
    for (const wh of WAREHOUSES) {
      if (!stocks(sku, wh)) continue;
      const store = wh.startsWith('STORE');
      const places = wh === 'WH-EAST' ? binsOf(sku) : [wh];
      for (const place of places) {
        setOpening(sim, sku, place, 'sellable', lotSize(sim, sku, wh, store ? 10 : 40, 200));
      }
      if (!store) setOpening(sim, sku, places[0]!, 'committed', sim.rng.int(0, 8));
      if (sim.rng.chance(0.5)) setOpening(sim, sku, places[0]!, 'non_sellable', sim.rng.int(1, 5));
    }
  }
}

export function simulateWeek(sim: Sim): void {
  for (let d = 0; d < sim.days; d++) {
    for (const sku of sim.catalog) {
      for (const wh of WAREHOUSES) {
        if (stocks(sku, wh)) simulateDay(sim, sku, wh, d);
      }
    }
  }
}

function simulateDay(sim: Sim, sku: Sku, wh: Warehouse, d: number): void {
  const dayMs = localDayStartMs(sim, wh, d);
  const at = (hours: number) => dayMs + hours * HOUR_MS + sim.rng.int(0, 59) * MINUTE_MS;
  const { rng } = sim;
  if (wh === 'WH-EAST' && !isMultiBin(sku) && rng.chance(0.15)) cycleCount(sim, sku, at(5));
  if (rng.chance(0.3)) receive(sim, sku, wh, at(rng.int(8, 11)));
  const orders = rng.int(0, 2);
  for (let i = 0; i < orders; i++) order(sim, sku, wh, at(rng.int(8, 14)));
  if (rng.chance(0.12)) customerReturn(sim, sku, wh, at(rng.int(9, 13)));
  if (wh === 'WH-EAST' && rng.chance(0.08)) transfer(sim, sku, wh, at(rng.int(8, 12)));
  if (rng.chance(0.04)) damage(sim, sku, wh, at(rng.int(9, 15)));
  if (!wh.startsWith('STORE') && rng.chance(0.03)) adjust(sim, sku, wh, at(rng.int(9, 15)));
}

/** Runs a chain only when all its steps end before the normal cutoff. */
function chain(sim: Sim, steps: Step[]): void {
  if (steps.some((s) => s.occurredMs > normalCutoffMs(sim))) return;
  for (const step of steps) record(sim, step);
}

const place = (sku: Sku, wh: Warehouse) => (wh === 'WH-EAST' ? homeBin(sku) : undefined);

function receive(sim: Sim, sku: Sku, wh: Warehouse, ms: number): void {
  if (wh.startsWith('STORE')) return; // stores are replenished by transfers
  const quantity = lotSize(sim, sku, wh, 24, 96);
  const reference = nextId(sim, wh === 'WH-EAST' ? 'PO' : 'ASN');
  const bin = place(sku, wh);
  if (wh === 'WH-WEST') {
    chain(sim, [
      { type: 'receipt', sku, warehouse: wh, to: 'sellable', quantity, occurredMs: ms, reference },
    ]);
    return;
  }
  const base = { sku, warehouse: wh, bin, quantity, reference };
  chain(sim, [
    { ...base, type: 'receipt', to: 'in_transit', occurredMs: ms },
    {
      ...base,
      type: 'putaway',
      from: 'in_transit',
      to: 'sellable',
      occurredMs: ms + 45 * MINUTE_MS,
    },
  ]);
}

function order(sim: Sim, sku: Sku, wh: Warehouse, ms: number): void {
  const store = wh.startsWith('STORE');
  const bins = wh === 'WH-EAST' ? binsOf(sku) : [wh];
  const from = bins[sim.rng.int(0, bins.length - 1)]!;
  const quantity = store ? sim.rng.int(1, 4) : lotSize(sim, sku, wh, 1, 12);
  if (balanceOf(sim, sku, from, 'sellable') < quantity + 2) return;
  const web = !store && sim.rng.chance(0.6);
  const reference = nextId(sim, store ? `POS-${wh.slice(6)}` : web ? 'SO-W' : 'SO-B');
  const bin = wh === 'WH-EAST' ? from : undefined;
  const base = { sku, warehouse: wh, bin, quantity, reference, web };
  if (wh !== 'WH-EAST') {
    chain(sim, [{ ...base, type: 'shipment', from: 'sellable', occurredMs: ms }]);
    return;
  }
  const cancel = sim.rng.chance(0.08);
  const hold = { ...base, from: 'committed' as const, to: 'committed' as const };
  chain(sim, [
    { ...base, type: 'reservation', from: 'sellable', to: 'committed', occurredMs: ms },
    cancel
      ? { ...base, type: 'release', from: 'committed', to: 'sellable', occurredMs: ms + HOUR_MS }
      : { ...hold, type: 'pick', occurredMs: ms + 2 * HOUR_MS },
    ...(cancel
      ? []
      : [
          {
            ...base,
            type: 'shipment' as const,
            from: 'committed' as const,
            occurredMs: ms + 4 * HOUR_MS,
          },
        ]),
  ]);
}

/** Returns: restock (sellable), refurbish (hold, then sellable next day) or quarantine. */
function customerReturn(sim: Sim, sku: Sku, wh: Warehouse, ms: number): void {
  const quantity = sim.rng.int(1, 3);
  const web = !wh.startsWith('STORE') && sim.rng.chance(0.5);
  const reference = nextId(sim, web ? 'RMA-W' : 'RMA');
  const base = { sku, warehouse: wh, bin: place(sku, wh), quantity, reference };
  if (wh !== 'WH-EAST') {
    const to = wh === 'WH-WEST' && sim.rng.chance(0.4) ? 'non_sellable' : 'sellable';
    chain(sim, [{ ...base, type: 'return', to, occurredMs: ms, web: web && to === 'sellable' }]);
    return;
  }
  const disposition = sim.rng.pick(['restock', 'refurbish', 'quarantine'] as const);
  const steps: Step[] = [
    { ...base, type: 'return', to: 'non_sellable', occurredMs: ms, reason: 'RETURNS_QA' },
  ];
  if (disposition !== 'quarantine') {
    const later = ms + (disposition === 'restock' ? 2 : 20) * HOUR_MS;
    steps.push({
      ...base,
      type: 'status_change',
      from: 'non_sellable',
      to: 'sellable',
      occurredMs: later,
      reason: disposition,
    });
  }
  chain(sim, steps);
}

/**
 * Transfers leave WH-EAST and arrive 1–2 days later at a store or WH-WEST. (The 3PL's feed
 * names no destination, so it ships to stores as orders, not transfers.)
 */
function transfer(sim: Sim, sku: Sku, wh: Warehouse, ms: number): void {
  const dests = WAREHOUSES.filter((d) => d !== wh && d !== 'WH-EAST' && stocks(sku, d));
  if (dests.length === 0) return;
  const dest = sim.rng.pick(dests);
  const quantity = lotSize(sim, sku, dest, 6, 24);
  const bin = place(sku, wh);
  if (balanceOf(sim, sku, bin ?? wh, 'sellable') < quantity + 10) return;
  const reference = nextId(sim, 'TR');
  const arrivalMs = ms + sim.rng.int(20, 40) * HOUR_MS;
  chain(sim, [
    {
      type: 'transfer_out',
      sku,
      warehouse: wh,
      bin,
      from: 'sellable',
      quantity,
      occurredMs: ms,
      reference,
      counterpart: dest,
    },
    {
      type: 'transfer_in',
      sku,
      warehouse: dest,
      to: 'sellable',
      quantity,
      occurredMs: arrivalMs,
      reference,
      counterpart: wh,
    },
  ]);
}

function damage(sim: Sim, sku: Sku, wh: Warehouse, ms: number): void {
  if (wh.startsWith('STORE')) return;
  const bin = place(sku, wh);
  const quantity = sim.rng.int(1, 3);
  if (balanceOf(sim, sku, bin ?? wh, 'sellable') < quantity + 5) return;
  const reference = nextId(sim, 'QC');
  chain(sim, [
    {
      type: 'status_change',
      sku,
      warehouse: wh,
      bin,
      from: 'sellable',
      to: 'non_sellable',
      quantity,
      occurredMs: ms,
      reference,
      reason: 'DAMAGED',
    },
  ]);
}

/** A small stock adjustment booked in the system of record (and posted to the ERP). */
function adjust(sim: Sim, sku: Sku, wh: Warehouse, ms: number): void {
  const bin = place(sku, wh);
  const quantity = sim.rng.int(1, 2);
  const loss = sim.rng.chance(0.7);
  if (loss && balanceOf(sim, sku, bin ?? wh, 'sellable') < quantity + 5) return;
  const reference = nextId(sim, 'ADJ');
  const flow = loss ? { from: 'sellable' as const } : { to: 'sellable' as const };
  chain(sim, [
    {
      type: 'adjustment',
      sku,
      warehouse: wh,
      bin,
      ...flow,
      quantity,
      occurredMs: ms,
      reference,
      reason: loss ? 'LOST' : 'FOUND',
    },
  ]);
}

/** The WMS counts a single-bin SKU's sellable stock; it agrees with the book. */
function cycleCount(sim: Sim, sku: Sku, ms: number): void {
  const bin = homeBin(sku);
  const quantity = balanceOf(sim, sku, bin, 'sellable');
  const reference = nextId(sim, 'CC');
  chain(sim, [
    {
      type: 'cycle_count',
      sku,
      warehouse: 'WH-EAST',
      bin,
      to: 'sellable',
      quantity,
      occurredMs: ms,
      reference,
    },
  ]);
}

/**
 * Sets every cycle count to the book at its time. Chains are generated day by day but their
 * steps interleave in time, so the count is only known once all movements are in time order.
 */
export function settleCounts(sim: Sim): void {
  const book = new Map(sim.opening);
  for (const m of byTime(sim.movements)) {
    if (m.type === 'cycle_count')
      m.quantity = get(book, m.sku.sku, m.bin ?? m.warehouse, m.to ?? 'sellable');
    apply(book, m, true);
  }
}

/** Movements in the order they happened (stable for equal times). */
export function byTime(movements: Movement[]): Movement[] {
  return movements
    .map((m, i) => [m, i] as const)
    .sort((a, b) => a[0].occurredMs - b[0].occurredMs || a[1] - b[1])
    .map(([m]) => m);
}
