/**
 * The simulation context: the catalog, the clock, the opening balances and every movement.
 * Chain builders (flows.ts) and injections (inject.ts) append to it through `record`.
 */
import type { Bucket } from '../engine/core/model/types.ts';
import { add, apply, get, keyOf, type Book } from './book.ts';
import type { Rng } from './prng.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS, offsetMinutes } from './time.ts';
import {
  CASE_SIZE,
  MATCHED_TYPES,
  SOR,
  TIME_ZONES,
  type ErpOnlyEntry,
  type Movement,
  type Sku,
  type Warehouse,
} from './world.ts';

export type Sim = {
  rng: Rng;
  catalog: Sku[];
  openingMs: number;
  asOfMs: number;
  days: number;
  /** Opening balances of the systems of record, per place (bin at WH-EAST). */
  opening: Book;
  /** Running balance while generating, to keep stock from going negative. */
  balance: Book;
  movements: Movement[];
  erpOnly: ErpOnlyEntry[];
  counters: Map<string, number>;
};

export function nextId(sim: Sim, prefix: string): string {
  const n = (sim.counters.get(prefix) ?? 0) + 1;
  sim.counters.set(prefix, n);
  return `${prefix}-${String(n).padStart(6, '0')}`;
}

export function setOpening(sim: Sim, sku: Sku, place: string, bucket: Bucket, qty: number) {
  add(sim.opening, keyOf(sku.sku, place, bucket), qty);
  add(sim.balance, keyOf(sku.sku, place, bucket), qty);
}

export function balanceOf(sim: Sim, sku: Sku, place: string, bucket: Bucket): number {
  return get(sim.balance, sku.sku, place, bucket);
}

/** Start of local day `d` (0 = the first day after the opening) in the warehouse's zone. */
export function localDayStartMs(sim: Sim, warehouse: Warehouse, d: number): number {
  const tz = TIME_ZONES[SOR[warehouse]];
  const offsetMs = offsetMinutes(tz, sim.openingMs) * MINUTE_MS;
  const localOpen = sim.openingMs + offsetMs;
  const firstDay = Math.floor(localOpen / DAY_MS) * DAY_MS + DAY_MS;
  return firstDay + d * DAY_MS - offsetMs;
}

/** A movement as an injector describes it; `record` adds the id and how each system saw it. */
type StepField =
  | 'type'
  | 'sku'
  | 'warehouse'
  | 'bin'
  | 'from'
  | 'to'
  | 'quantity'
  | 'occurredMs'
  | 'reference'
  | 'counterpart'
  | 'reason';
export type Step = Pick<Movement, StepField> & { web?: boolean };

/** Normal recording: the SoR records within minutes, the ERP posts well inside its lag. */
export function record(sim: Sim, step: Step, overrides: Partial<Movement> = {}): Movement {
  const { web, ...rest } = step;
  const m: Movement = {
    ...rest,
    id: nextId(sim, idPrefix(step.warehouse)),
    recordedMs: step.occurredMs + sim.rng.int(1, 20) * MINUTE_MS,
    erpMs: MATCHED_TYPES.has(step.type) ? step.occurredMs + sim.rng.int(5, 90) * MINUTE_MS : null,
    ...(web && (step.type === 'shipment' || step.type === 'return')
      ? { shopMs: step.occurredMs + sim.rng.int(1, 30) * MINUTE_MS }
      : {}),
    ...overrides,
  };
  sim.movements.push(m);
  apply(sim.balance, m);
  return m;
}

function idPrefix(warehouse: Warehouse): string {
  if (warehouse === 'WH-EAST') return 'WTX';
  if (warehouse === 'WH-WEST') return 'LAX';
  return warehouse === 'STORE-NYC' ? 'NYC' : 'SFO';
}

/** Order and receipt sizes: beverage moves in whole cases at the warehouses. */
export function lotSize(sim: Sim, sku: Sku, warehouse: Warehouse, lo: number, hi: number) {
  const n = sim.rng.int(lo, hi);
  const byCase = sku.skuClass === 'beverage' && !warehouse.startsWith('STORE');
  return byCase ? Math.max(1, Math.round(n / 4)) * CASE_SIZE : n;
}

/** Latest time a normal chain may end: leaves every posting lag of normal flow inside T. */
export function normalCutoffMs(sim: Sim): number {
  return sim.asOfMs - 3 * HOUR_MS;
}
