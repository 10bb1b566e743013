/**
 * What each system shows at the run time T, given the events it recorded: the systems of
 * record show their ledger (less any unrecorded loss), the ERP shows what it has posted, the
 * shop shows the levels synced from the warehouses plus its own restocks.
 */
import { add, apply, keyOf, rollUp, type Book } from './book.ts';
import type { Overrides } from './inject.ts';
import { byTime } from './flows.ts';
import type { Sim } from './sim.ts';
import { MATCHED_TYPES } from './world.ts';

export type Views = {
  /** Ledger of the systems of record per place (bin at WH-EAST): the expected position. */
  sor: Book;
  expected: Book;
  /** Each system of record's own snapshot per place. */
  sorSnapshot: Book;
  erp: Book;
  shop: Book;
};

export function computeViews(sim: Sim, overrides: Overrides): Views {
  const sor: Book = new Map(sim.opening);
  for (const m of byTime(sim.movements)) if (m.occurredMs <= sim.asOfMs) apply(sor, m, true);
  const sorSnapshot: Book = new Map(sor);
  for (const d of overrides.sorSnapshot) add(sorSnapshot, keyOf(d.sku, d.place, d.bucket), d.delta);
  const expected = rollUp(sor);
  return {
    sor,
    expected,
    sorSnapshot,
    erp: erpView(sim, overrides),
    shop: shopView(expected, overrides),
  };
}

function erpView(sim: Sim, overrides: Overrides): Book {
  const erp = rollUp(sim.opening);
  for (const m of byTime(sim.movements)) {
    const rolled = { ...m, bin: undefined };
    if (!MATCHED_TYPES.has(m.type)) {
      // statuses and reservations reach the ERP through the status feed, without a document
      if (m.occurredMs <= sim.asOfMs) apply(erp, rolled, true);
      continue;
    }
    if (m.erpMs === null || m.erpMs > sim.asOfMs) continue;
    for (let i = 0; i <= (m.erpDuplicates ?? 0); i++) apply(erp, rolled, true);
  }
  for (const e of sim.erpOnly) {
    if (e.postedMs > sim.asOfMs) continue;
    if (e.from) add(erp, keyOf(e.sku.sku, e.warehouse, e.from), -e.quantity);
    if (e.to) add(erp, keyOf(e.sku.sku, e.warehouse, e.to), e.quantity);
  }
  for (const d of overrides.erp) add(erp, keyOf(d.sku, d.place, d.bucket), d.delta);
  return erp;
}

function shopView(expected: Book, overrides: Overrides): Book {
  const shop: Book = new Map();
  for (const [key, qty] of expected) {
    if (key.includes('|WH-')) shop.set(key, qty);
  }
  for (const d of overrides.shop) add(shop, keyOf(d.sku, d.place, d.bucket), d.delta);
  return shop;
}
