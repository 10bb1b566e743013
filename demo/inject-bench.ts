/**
 * More of every cause for the cause benchmark (`tally demo --causes-report`): the same causes as
 * inject-breaks.ts at other magnitudes, locations and sides (which system is wrong), plus the
 * cases that need an event-level fact to be named right — a count the ERP never received, a
 * write-off, a delivery posted twice under two voucher numbers, a channel that mirrors an ERP
 * mistake, a transfer lost on the way. Each injection picks its own SKU.
 */
import { localDayStartMs, nextId, record } from './sim.ts';
import { HOUR_MS, MINUTE_MS } from './time.ts';
import { expect, expectedQty, hasStock, pickSku, place, type Ctx } from './inject-ctx.ts';
import { stocks, type Sku, type Warehouse } from './world.ts';

const between = (ctx: Ctx, lo: number, hi: number) => ctx.sim.rng.int(lo, hi);

/** Latest time any movement of the SKU happened at the warehouse (−∞ when none). */
function lastMovementMs(ctx: Ctx, sku: Sku, wh: Warehouse): number {
  let last = -Infinity;
  for (const m of ctx.sim.movements) {
    if (m.sku === sku && (m.warehouse === wh || m.counterpart === wh)) {
      last = Math.max(last, m.occurredMs);
    }
  }
  return last;
}

/** Posting lag of the ERP behind each warehouse's system of record (timing-windows.yaml), + 3 h. */
const QUIET_HOURS: Record<'WH-EAST' | 'WH-WEST', number> = { 'WH-EAST': 7, 'WH-WEST': 15 };

/**
 * A SKU with stock at `wh` and no movement there for long enough that an adjustment an hour
 * after its last movement is past the ERP's posting lag (so nothing later changes its stock).
 */
function quietSku(ctx: Ctx, wh: 'WH-EAST' | 'WH-WEST', min = 6): Sku {
  const since = ctx.sim.asOfMs - QUIET_HOURS[wh] * HOUR_MS;
  return pickSku(
    ctx,
    (s) =>
      s.skuClass !== 'beverage' && hasStock(ctx, s, wh, min) && lastMovementMs(ctx, s, wh) < since,
  );
}

/** A movement of the system of record the ERP never posted: it is missing there. */
export function unpostedReceipt(ctx: Ctx): void {
  const sku = pickSku(ctx, (s) => s.skuClass !== 'beverage' && stocks(s, 'WH-EAST'));
  const reference = nextId(ctx.sim, 'PO');
  const quantity = between(ctx, 5, 60);
  record(
    ctx.sim,
    {
      type: 'receipt',
      sku,
      warehouse: 'WH-EAST',
      bin: place(sku, 'WH-EAST'),
      to: 'sellable',
      quantity,
      occurredMs: ctx.sim.asOfMs - between(ctx, 30, 90) * HOUR_MS,
      reference,
    },
    { erpMs: null },
  );
  const note = `${reference}: ${quantity} received by the WMS, never posted in the ERP`;
  const truth = { type: 'exception', rootCause: 'MISSING_POSTING' } as const;
  expect(ctx, sku, 'WH-EAST', 'sellable', 'erp', 'missing-posting-receipt', truth, note);
}

/** A store sale the ERP never posted, past the overnight posting lag. */
export function unpostedStoreSale(ctx: Ctx): void {
  const store = ctx.sim.rng.pick(['STORE-NYC'] as const);
  const sku = pickSku(ctx, (s) => hasStock(ctx, s, store, 6));
  const reference = nextId(ctx.sim, `POS-${store.slice(6)}`);
  const quantity = between(ctx, 1, 4);
  const occurredMs = localDayStartMs(ctx.sim, store, ctx.sim.days - 4) + 14 * HOUR_MS;
  const step = { type: 'shipment', sku, warehouse: store, from: 'sellable' } as const;
  record(ctx.sim, { ...step, quantity, occurredMs, reference }, { erpMs: null });
  const note = `${reference}: ${quantity} sold at ${store}, never posted in the ERP`;
  const truth = { type: 'exception', rootCause: 'MISSING_POSTING' } as const;
  expect(ctx, sku, store, 'sellable', 'erp', 'missing-posting-sale', truth, note);
}

/** The 3PL wrote damaged stock off (947 reason AU); the ERP never posted the write-off. */
export function unpostedWriteOff(ctx: Ctx): void {
  const sku = quietSku(ctx, 'WH-WEST', 10);
  const quantity = between(ctx, 1, 6);
  const reference = nextId(ctx.sim, 'W15');
  record(
    ctx.sim,
    {
      type: 'adjustment',
      sku,
      warehouse: 'WH-WEST',
      from: 'sellable',
      quantity,
      occurredMs: lastMovementMs(ctx, sku, 'WH-WEST') + HOUR_MS,
      reference,
      reason: 'AU',
    },
    { erpMs: null },
  );
  const note = `${reference}: ${quantity} written off as damaged (AU) by the 3PL, never posted`;
  const truth = { type: 'exception', rootCause: 'MISSING_POSTING' } as const;
  expect(ctx, sku, 'WH-WEST', 'sellable', 'erp', 'missing-posting-write-off', truth, note);
}

/**
 * The system of record counted the SKU (to zero, or short) and the count adjustment never
 * reached the ERP, which still shows the stock: phantom stock, or shrinkage it never recorded.
 */
function unpostedCount(ctx: Ctx, wh: 'WH-EAST' | 'WH-WEST', toZero: boolean): void {
  const sku = quietSku(ctx, wh, toZero ? 1 : 12);
  const held = expectedQty(ctx, sku, wh, 'sellable');
  const quantity = toZero ? held : between(ctx, 2, Math.min(12, held - 1));
  const reference = nextId(ctx.sim, wh === 'WH-EAST' ? 'CC' : 'W15');
  record(
    ctx.sim,
    {
      type: 'adjustment',
      sku,
      warehouse: wh,
      bin: place(sku, wh),
      from: 'sellable',
      quantity,
      occurredMs: lastMovementMs(ctx, sku, wh) + HOUR_MS,
      reference,
      reason: wh === 'WH-WEST' ? 'AA' : 'CYCLE_COUNT',
    },
    { erpMs: null },
  );
  const cause = toZero ? 'PHANTOM_STOCK' : 'UNRECORDED_SHRINKAGE';
  const what = toZero ? 'counted to zero' : `counted ${quantity} short`;
  const note = `${reference}: ${what} at ${wh}, the count never reached the ERP`;
  const label = toZero ? 'count-to-zero-unposted' : 'count-short-unposted';
  expect(ctx, sku, wh, 'sellable', 'erp', label, { type: 'exception', rootCause: cause }, note);
}
export const countToZeroEast = (ctx: Ctx) => unpostedCount(ctx, 'WH-EAST', true);
export const countToZeroWest = (ctx: Ctx) => unpostedCount(ctx, 'WH-WEST', true);
export const countShortEast = (ctx: Ctx) => unpostedCount(ctx, 'WH-EAST', false);
export const countShortWest = (ctx: Ctx) => unpostedCount(ctx, 'WH-WEST', false);

/** The ERP posted one movement twice under two voucher numbers within a minute. */
function duplicateNewVoucher(ctx: Ctx, wh: 'WH-WEST' | 'STORE-NYC'): void {
  const sku = pickSku(ctx, (s) => s.skuClass !== 'beverage' && hasStock(ctx, s, wh, 10));
  const store = wh.startsWith('STORE');
  const quantity = store ? between(ctx, 1, 3) : between(ctx, 2, 20);
  const reference = nextId(ctx.sim, store ? 'POS-NYC' : 'ASN');
  const day = localDayStartMs(ctx.sim, wh, ctx.sim.days - 3) + 11 * HOUR_MS;
  const step = store
    ? ({ type: 'shipment', from: 'sellable' } as const)
    : ({ type: 'receipt', to: 'sellable' } as const);
  record(
    ctx.sim,
    { ...step, sku, warehouse: wh, quantity, occurredMs: day, reference },
    {
      erpMs: day + 40 * MINUTE_MS,
      erpDuplicates: 1,
      erpDuplicateReference: nextId(ctx.sim, 'MAT-DN'),
      erpDuplicateDelayMs: MINUTE_MS,
    },
  );
  const note = `${reference} posted twice in the ERP under two voucher numbers`;
  const truth = { type: 'exception', rootCause: 'DUPLICATE_EVENT' } as const;
  expect(ctx, sku, wh, 'sellable', 'erp', 'duplicate-new-voucher', truth, note);
}
export const duplicateVoucherWest = (ctx: Ctx) => duplicateNewVoucher(ctx, 'WH-WEST');
export const duplicateVoucherStore = (ctx: Ctx) => duplicateNewVoucher(ctx, 'STORE-NYC');

/** The system of record's own snapshot is short of its ledger (3PL or store, any size). */
function snapshotShort(ctx: Ctx, wh: 'WH-WEST' | 'STORE-NYC' | 'STORE-SF'): void {
  const sku = pickSku(ctx, (s) => hasStock(ctx, s, wh, 12));
  const missing = between(ctx, 1, Math.min(15, expectedQty(ctx, sku, wh, 'sellable') - 1));
  ctx.overrides.sorSnapshot.push({ sku: sku.sku, place: wh, bucket: 'sellable', delta: -missing });
  const source = wh === 'WH-WEST' ? '3pl-west' : 'pos';
  const truth = { type: 'exception', rootCause: 'UNRECORDED_SHRINKAGE' } as const;
  const note = `${missing} units missing at ${wh}, no event`;
  expect(ctx, sku, wh, 'sellable', source, 'shrinkage-snapshot', truth, note);
}
export const shrinkWest = (ctx: Ctx) => snapshotShort(ctx, 'WH-WEST');
export const shrinkStore = (ctx: Ctx) =>
  snapshotShort(ctx, ctx.sim.rng.pick(['STORE-NYC'] as const));

/** A hand adjustment in the ERP (up or down) at a warehouse it does not book. */
function erpAdjustment(ctx: Ctx, wh: 'WH-EAST' | 'WH-WEST'): void {
  const sku = pickSku(ctx, (s) => hasStock(ctx, s, wh, 25));
  const quantity = between(ctx, 1, 20);
  const up = ctx.sim.rng.chance(0.5);
  const reference = nextId(ctx.sim, 'ADJ-ERP');
  ctx.sim.erpOnly.push({
    id: nextId(ctx.sim, 'MAT-RECO'),
    type: 'adjustment',
    sku,
    warehouse: wh,
    ...(up ? { to: 'sellable' as const } : { from: 'sellable' as const }),
    quantity,
    postedMs: ctx.sim.asOfMs - between(ctx, 10, 70) * HOUR_MS,
    reference,
  });
  const truth = { type: 'exception', rootCause: 'MANUAL_ADJUSTMENT_WRONG_SYSTEM' } as const;
  const note = `${reference}: ${up ? '+' : '−'}${quantity} booked in the ERP only`;
  expect(ctx, sku, wh, 'sellable', 'erp', 'manual-adjustment-erp', truth, note);
}
export const erpAdjustmentEast = (ctx: Ctx) => erpAdjustment(ctx, 'WH-EAST');
export const erpAdjustmentWest = (ctx: Ctx) => erpAdjustment(ctx, 'WH-WEST');

/**
 * The ERP holds sellable stock as Blocked (or a quarantined return as sellable). When the shop
 * mirrors the ERP, it shows the same numbers: one problem, the ERP's, seen twice.
 */
function erpStatus(ctx: Ctx, wh: 'WH-EAST' | 'WH-WEST', mirrored: boolean): void {
  const sku = pickSku(ctx, (s) => s.skuClass !== 'beverage' && hasStock(ctx, s, wh, 20));
  const quantity = between(ctx, 2, Math.min(15, expectedQty(ctx, sku, wh, 'sellable')));
  const [from, to] = mirrored ? ['non_sellable', 'sellable'] : ['sellable', 'non_sellable'];
  if (mirrored) quarantinedReturn(ctx, sku, wh, quantity);
  const deltas = [
    { sku: sku.sku, place: wh, bucket: from as 'sellable', delta: -quantity },
    { sku: sku.sku, place: wh, bucket: to as 'sellable', delta: quantity },
  ];
  ctx.overrides.erp.push(...deltas);
  if (mirrored) ctx.overrides.shop.push(...deltas);
  const truth = { type: 'exception', rootCause: 'STATUS_MISMAPPED' } as const;
  const note = `${quantity} ${from} shown as ${to} in the ERP${mirrored ? ', mirrored by the shop' : ''}`;
  for (const bucket of ['sellable', 'non_sellable'] as const) {
    expect(ctx, sku, wh, bucket, 'erp', 'status-mismatch', truth, note);
    if (mirrored) expect(ctx, sku, wh, bucket, 'shop', 'status-mismatch', truth, note);
  }
}
export const statusEast = (ctx: Ctx) => erpStatus(ctx, 'WH-EAST', false);
export const statusMirroredByShop = (ctx: Ctx) =>
  erpStatus(ctx, ctx.sim.rng.pick(['WH-EAST', 'WH-WEST'] as const), true);

/** A customer return the warehouse put in quarantine (the ERP will book it restocked). */
function quarantinedReturn(ctx: Ctx, sku: Sku, wh: 'WH-EAST' | 'WH-WEST', quantity: number) {
  record(ctx.sim, {
    type: 'return',
    sku,
    warehouse: wh,
    bin: place(sku, wh),
    to: 'non_sellable',
    quantity,
    occurredMs: ctx.sim.asOfMs - between(ctx, 20, 40) * HOUR_MS,
    reference: nextId(ctx.sim, 'RMA'),
    reason: 'RETURNS_QA',
  });
}

/** The shop restocked units the warehouse holds as damaged. */
export function oversellWest(ctx: Ctx): void {
  const sku = pickSku(ctx, (s) => hasStock(ctx, s, 'WH-WEST', 5));
  const quantity = between(ctx, 1, 8);
  const deltas = [
    { sku: sku.sku, place: 'WH-WEST', bucket: 'sellable' as const, delta: quantity },
    { sku: sku.sku, place: 'WH-WEST', bucket: 'non_sellable' as const, delta: -quantity },
  ];
  ctx.overrides.shop.push(...deltas);
  const truth = { type: 'exception', rootCause: 'OVERSELL_RISK' } as const;
  for (const bucket of ['sellable', 'non_sellable'] as const) {
    expect(ctx, sku, 'WH-WEST', bucket, 'shop', 'oversell', truth, `${quantity} offered twice`);
  }
}

/** Beverage at the east warehouse typed in the ERP as Case instead of Nos (×12). */
export function uomEast(ctx: Ctx): void {
  const sku = pickSku(ctx, (s) => s.skuClass === 'beverage' && hasStock(ctx, s, 'WH-EAST', 2));
  const qty = expectedQty(ctx, sku, 'WH-EAST', 'sellable');
  ctx.overrides.erpRows.set(`${sku.sku}|WH-EAST|sellable`, { quantity: qty, uom: 'Case' });
  const truth = { type: 'exception', rootCause: 'UOM_MISMATCH' } as const;
  expect(ctx, sku, 'WH-EAST', 'sellable', 'erp', 'uom-times-12', truth, `${qty} typed as Case`);
}

/** A transfer to a store left days ago, past its 72 h window, and never arrived. */
export function lostInTransit(ctx: Ctx): void {
  const store = ctx.sim.rng.pick(['STORE-NYC'] as const);
  const sku = pickSku(
    ctx,
    (s) => s.skuClass !== 'beverage' && stocks(s, store) && hasStock(ctx, s, 'WH-EAST', 30),
  );
  const quantity = between(ctx, 2, 12);
  const reference = nextId(ctx.sim, 'TR');
  const occurredMs = ctx.sim.asOfMs - between(ctx, 80, 110) * HOUR_MS;
  record(
    ctx.sim,
    {
      type: 'transfer_out',
      sku,
      warehouse: 'WH-EAST',
      bin: place(sku, 'WH-EAST'),
      from: 'sellable',
      quantity,
      occurredMs,
      reference,
      counterpart: store,
    },
    { erpMs: occurredMs + HOUR_MS },
  );
  const truth = { type: 'exception', rootCause: 'LOST_IN_TRANSIT' } as const;
  const note = `${reference} left WH-EAST ${Math.round((ctx.sim.asOfMs - occurredMs) / HOUR_MS)} h ago`;
  expect(ctx, sku, store, 'in_transit', 'erp', 'lost-in-transit', truth, note);
}
