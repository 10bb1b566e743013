/**
 * The injected causes. Each one picks its own SKU (so causes never overlap), changes what one
 * system recorded or reports, and says what a correct reconciliation must decide about it.
 */
import type { Bucket } from '../../engine/model/types.ts';
import { get, rollUp } from './book.ts';
import { binsOf, isMultiBin } from './flows.ts';
import { balanceOf, localDayStartMs, nextId, record, type Sim } from './sim.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './time.ts';
import type { TruthEntry } from './truth.ts';
import { CASE_SIZE, homeBin, stocks, type Sku, type Warehouse } from './world.ts';

export type Delta = { sku: string; place: string; bucket: Bucket; delta: number };
/** How the ERP writes one stock row instead of its true quantity (unit-of-measure errors). */
export type ErpRowOverride = { quantity: number; uom: 'Nos' | 'Case' };

export type Overrides = {
  erp: Delta[];
  erpRows: Map<string, ErpRowOverride>;
  sorSnapshot: Delta[];
  shop: Delta[];
};

type Ctx = { sim: Sim; used: Set<string>; truth: TruthEntry[]; overrides: Overrides };

export function injectCauses(sim: Sim): { truth: TruthEntry[]; overrides: Overrides } {
  const overrides: Overrides = { erp: [], erpRows: new Map(), sorSnapshot: [], shop: [] };
  const ctx: Ctx = { sim, used: new Set(), truth: [], overrides };
  for (const inject of INJECTIONS) inject(ctx);
  return { truth: ctx.truth, overrides };
}

function pickSku(ctx: Ctx, ok: (s: Sku) => boolean): Sku {
  const pool = ctx.sim.catalog.filter((s) => !ctx.used.has(s.sku) && !isMultiBin(s) && ok(s));
  if (pool.length === 0) throw new Error('the catalog is too small for every injected cause');
  const sku = ctx.sim.rng.pick(pool);
  ctx.used.add(sku.sku);
  return sku;
}

function expect(
  ctx: Ctx,
  sku: Sku,
  location: string,
  bucket: Bucket,
  source: string,
  cause: string,
  expected: TruthEntry['expected'],
  note: string,
) {
  ctx.truth.push({ sku: sku.sku, location, bucket, source, expected, cause, note });
}

const place = (sku: Sku, wh: Warehouse) => (wh === 'WH-EAST' ? homeBin(sku) : wh);
const expectedQty = (ctx: Ctx, sku: Sku, wh: Warehouse, bucket: Bucket) =>
  balanceOf(ctx.sim, sku, place(sku, wh), bucket);
const hasStock = (ctx: Ctx, sku: Sku, wh: Warehouse, min = 15) =>
  stocks(sku, wh) && expectedQty(ctx, sku, wh, 'sellable') >= min;

/** A WMS shipment 90 minutes before T that the ERP (4 h lag) has not posted yet. */
function pendingPosting(ctx: Ctx): void {
  const sku = pickSku(ctx, (s) => s.skuClass !== 'beverage' && hasStock(ctx, s, 'WH-EAST'));
  const t = ctx.sim.asOfMs;
  const base = {
    sku,
    warehouse: 'WH-EAST' as const,
    bin: homeBin(sku),
    quantity: 3,
    reference: nextId(ctx.sim, 'SO-B'),
  };
  record(ctx.sim, {
    ...base,
    type: 'reservation',
    from: 'sellable',
    to: 'committed',
    occurredMs: t - 6 * HOUR_MS,
  });
  record(ctx.sim, {
    ...base,
    type: 'pick',
    from: 'committed',
    to: 'committed',
    occurredMs: t - 4 * HOUR_MS,
  });
  record(
    ctx.sim,
    { ...base, type: 'shipment', from: 'committed', occurredMs: t - 90 * MINUTE_MS },
    { erpMs: null },
  );
  expect(
    ctx,
    sku,
    'WH-EAST',
    'committed',
    'erp',
    'pending-posting',
    { type: 'explained', code: 'PENDING_POSTING', alsoAccept: ['LATE_EVENT'] },
    `${base.reference} shipped at T−90min; ERP lag 240 min`,
  );
}

/** A store sale from last evening uploaded the next morning (after cutoff, out of order). */
function lateEvent(ctx: Ctx): void {
  const sku = pickSku(ctx, (s) => hasStock(ctx, s, 'STORE-NYC', 5));
  const evening = localDayStartMs(ctx.sim, 'STORE-NYC', ctx.sim.days - 2) + 21 * HOUR_MS;
  const occurredMs = Math.max(evening, ctx.sim.asOfMs - 23 * HOUR_MS);
  const recordedMs = localDayStartMs(ctx.sim, 'STORE-NYC', ctx.sim.days - 1) + 9 * HOUR_MS;
  const reference = nextId(ctx.sim, 'POS-NYC');
  record(
    ctx.sim,
    {
      type: 'shipment',
      sku,
      warehouse: 'STORE-NYC',
      from: 'sellable',
      quantity: 2,
      occurredMs,
      reference,
    },
    { recordedMs, erpMs: null, appendLast: true },
  );
  expect(
    ctx,
    sku,
    'STORE-NYC',
    'sellable',
    'erp',
    'late-event',
    { type: 'explained', code: 'LATE_EVENT', alsoAccept: ['PENDING_POSTING'] },
    `${reference} recorded after the store's cutoff; ERP lag 24 h`,
  );
}

/** A 3PL receipt reported hours late and out of order; the ERP (12 h lag) has not posted it. */
function lateReceipt3pl(ctx: Ctx): void {
  const sku = pickSku(ctx, (s) => s.skuClass !== 'beverage' && stocks(s, 'WH-WEST'));
  const t = ctx.sim.asOfMs;
  const reference = nextId(ctx.sim, 'ASN');
  record(
    ctx.sim,
    {
      type: 'receipt',
      sku,
      warehouse: 'WH-WEST',
      to: 'sellable',
      quantity: 24,
      occurredMs: t - 8 * HOUR_MS,
      reference,
    },
    { recordedMs: t - 2 * HOUR_MS, erpMs: null, appendLast: true },
  );
  expect(
    ctx,
    sku,
    'WH-WEST',
    'sellable',
    'erp',
    'late-out-of-order',
    { type: 'explained', code: 'PENDING_POSTING', alsoAccept: ['LATE_EVENT'] },
    `${reference} occurred T−8h, reported T−2h; ERP lag 720 min`,
  );
}

/** A transfer to the NYC store left 20 hours ago (window 72 h) and has not arrived. */
function inTransit(ctx: Ctx): void {
  const sku = pickSku(ctx, (s) => s.skuClass !== 'beverage' && hasStock(ctx, s, 'WH-EAST', 25));
  const t = ctx.sim.asOfMs;
  const reference = nextId(ctx.sim, 'TR');
  record(
    ctx.sim,
    {
      type: 'transfer_out',
      sku,
      warehouse: 'WH-EAST',
      bin: homeBin(sku),
      from: 'sellable',
      quantity: 12,
      occurredMs: t - 20 * HOUR_MS,
      reference,
      counterpart: 'STORE-NYC',
    },
    { erpMs: t - 19 * HOUR_MS },
  );
  expect(
    ctx,
    sku,
    'STORE-NYC',
    'in_transit',
    'erp',
    'in-transit',
    { type: 'explained', code: 'IN_TRANSIT_WINDOW' },
    `${reference} left WH-EAST at T−20h; window 72 h`,
  );
}

/** The ERP shows sellable 3PL stock as Blocked: same total, wrong bucket. */
function statusMismatch(ctx: Ctx): void {
  const sku = pickSku(ctx, (s) => s.skuClass !== 'beverage' && hasStock(ctx, s, 'WH-WEST', 10));
  const qty = Math.min(10, expectedQty(ctx, sku, 'WH-WEST', 'sellable'));
  ctx.overrides.erp.push({ sku: sku.sku, place: 'WH-WEST', bucket: 'sellable', delta: -qty });
  ctx.overrides.erp.push({ sku: sku.sku, place: 'WH-WEST', bucket: 'non_sellable', delta: qty });
  for (const bucket of ['sellable', 'non_sellable'] as const) {
    expect(
      ctx,
      sku,
      'WH-WEST',
      bucket,
      'erp',
      'status-mismatch',
      { type: 'exception', rootCause: 'STATUS_MISMAPPED' },
      `${qty} sellable shown as Blocked in the ERP`,
    );
  }
}

/** Unit errors in the ERP: eaches typed into a Case row (×12), cases typed as eaches (÷12). */
function unitErrors(ctx: Ctx): void {
  const times = pickSku(ctx, (s) => s.skuClass === 'beverage' && hasStock(ctx, s, 'STORE-NYC', 2));
  const qty = expectedQty(ctx, times, 'STORE-NYC', 'sellable');
  ctx.overrides.erpRows.set(`${times.sku}|STORE-NYC|sellable`, { quantity: qty, uom: 'Case' });
  expect(
    ctx,
    times,
    'STORE-NYC',
    'sellable',
    'erp',
    'uom-times-12',
    { type: 'exception', rootCause: 'UOM_MISMATCH' },
    `${qty} entered in Case instead of Nos`,
  );
  const div = pickSku(
    ctx,
    (s) =>
      s.skuClass === 'beverage' &&
      expectedQty(ctx, s, 'WH-WEST', 'sellable') % CASE_SIZE === 0 &&
      expectedQty(ctx, s, 'WH-WEST', 'sellable') >= 2 * CASE_SIZE,
  );
  const cases = expectedQty(ctx, div, 'WH-WEST', 'sellable') / CASE_SIZE;
  ctx.overrides.erpRows.set(`${div.sku}|WH-WEST|sellable`, { quantity: cases, uom: 'Nos' });
  expect(
    ctx,
    div,
    'WH-WEST',
    'sellable',
    'erp',
    'uom-div-12',
    { type: 'exception', rootCause: 'UOM_MISMATCH' },
    `${cases} cases entered as Nos`,
  );
}

/** A web return put in returns quarantine at WH-EAST that the shop restocked as available. */
function oversell(ctx: Ctx): void {
  const sku = pickSku(ctx, (s) => stocks(s, 'WH-EAST'));
  const t = ctx.sim.asOfMs;
  const reference = nextId(ctx.sim, 'RMA-W');
  const quantity = 2;
  record(
    ctx.sim,
    {
      type: 'return',
      sku,
      warehouse: 'WH-EAST',
      bin: homeBin(sku),
      to: 'non_sellable',
      quantity,
      occurredMs: t - 30 * HOUR_MS,
      reference,
      reason: 'RETURNS_QA',
    },
    { shopMs: t - 29 * HOUR_MS },
  );
  ctx.overrides.shop.push({ sku: sku.sku, place: 'WH-EAST', bucket: 'sellable', delta: quantity });
  expect(
    ctx,
    sku,
    'WH-EAST',
    'sellable',
    'shop',
    'returns-oversell',
    { type: 'exception', rootCause: 'OVERSELL_RISK' },
    `${reference} quarantined in the WMS, restocked as available in the shop`,
  );
}

/** Someone corrected stock in the ERP, which is not the system of record. */
function manualAdjustment(ctx: Ctx): void {
  const sku = pickSku(ctx, (s) => hasStock(ctx, s, 'STORE-SF', 8));
  const quantity = 5;
  const reference = nextId(ctx.sim, 'ADJ-ERP');
  ctx.sim.erpOnly.push({
    id: nextId(ctx.sim, 'MAT-RECO'),
    type: 'adjustment',
    sku,
    warehouse: 'STORE-SF',
    from: 'sellable',
    quantity,
    postedMs: ctx.sim.asOfMs - 2 * DAY_MS,
    reference,
  });
  expect(
    ctx,
    sku,
    'STORE-SF',
    'sellable',
    'erp',
    'manual-adjustment-erp',
    { type: 'exception', rootCause: 'MANUAL_ADJUSTMENT_WRONG_SYSTEM' },
    `${reference}: −${quantity} booked in the ERP only`,
  );
}

/** A 3PL shipment three days ago that the ERP never posted (window 12 h). */
function missingPosting(ctx: Ctx): void {
  const sku = pickSku(ctx, (s) => s.skuClass !== 'beverage' && hasStock(ctx, s, 'WH-WEST'));
  const reference = nextId(ctx.sim, 'SO-B');
  const occurredMs = localDayStartMs(ctx.sim, 'WH-WEST', ctx.sim.days - 4) + 11 * HOUR_MS;
  record(
    ctx.sim,
    {
      type: 'shipment',
      sku,
      warehouse: 'WH-WEST',
      from: 'sellable',
      quantity: 4,
      occurredMs,
      reference,
    },
    { erpMs: null },
  );
  expect(
    ctx,
    sku,
    'WH-WEST',
    'sellable',
    'erp',
    'missing-posting',
    { type: 'exception', rootCause: 'MISSING_POSTING' },
    `${reference} shipped by the 3PL, never posted in the ERP`,
  );
}

/** The ERP posted a WMS shipment twice under two document ids. */
function duplicate(ctx: Ctx): void {
  const sku = pickSku(ctx, (s) => s.skuClass !== 'beverage' && hasStock(ctx, s, 'WH-EAST'));
  const base = {
    sku,
    warehouse: 'WH-EAST' as const,
    bin: homeBin(sku),
    quantity: 2,
    reference: nextId(ctx.sim, 'SO-B'),
  };
  const ms = localDayStartMs(ctx.sim, 'WH-EAST', ctx.sim.days - 3) + 10 * HOUR_MS;
  record(ctx.sim, {
    ...base,
    type: 'reservation',
    from: 'sellable',
    to: 'committed',
    occurredMs: ms,
  });
  record(
    ctx.sim,
    { ...base, type: 'shipment', from: 'committed', occurredMs: ms + 2 * HOUR_MS },
    { erpDuplicates: 1 },
  );
  expect(
    ctx,
    sku,
    'WH-EAST',
    'committed',
    'erp',
    'duplicate-event',
    { type: 'exception', rootCause: 'DUPLICATE_EVENT' },
    `${base.reference} posted twice in the ERP`,
  );
}

/** The ERP shows stock of an item the SF store never carried. */
function phantom(ctx: Ctx): void {
  const sku = pickSku(ctx, (s) => !stocks(s, 'STORE-SF'));
  ctx.overrides.erp.push({ sku: sku.sku, place: 'STORE-SF', bucket: 'sellable', delta: 6 });
  expect(
    ctx,
    sku,
    'STORE-SF',
    'sellable',
    'erp',
    'phantom-stock',
    { type: 'exception', rootCause: 'PHANTOM_STOCK' },
    'never received at STORE-SF',
  );
}

/** The WMS's own snapshot is below its ledger, with no event to say why. */
function shrinkage(ctx: Ctx): void {
  const sku = pickSku(ctx, (s) => expectedQty(ctx, s, 'WH-EAST', 'sellable') >= 20);
  ctx.overrides.sorSnapshot.push({
    sku: sku.sku,
    place: homeBin(sku),
    bucket: 'sellable',
    delta: -7,
  });
  expect(
    ctx,
    sku,
    'WH-EAST',
    'sellable',
    'wms-east',
    'unrecorded-shrinkage',
    { type: 'exception', rootCause: 'UNRECORDED_SHRINKAGE' },
    '7 units missing from the bin, no event',
  );
}

/** A SKU kept in three bins: the WMS reports bins, the ERP the warehouse; they must match. */
function binRollUp(ctx: Ctx): void {
  const sku = ctx.sim.catalog.find((s) => isMultiBin(s));
  if (!sku) return;
  const expected = rollUp(ctx.sim.balance);
  for (const bucket of ['sellable', 'committed'] as const) {
    if (get(expected, sku.sku, 'WH-EAST', bucket) === 0) continue;
    for (const source of ['wms-east', 'erp']) {
      expect(
        ctx,
        sku,
        'WH-EAST',
        bucket,
        source,
        'bin-roll-up',
        { type: 'match' },
        `kept in ${binsOf(sku).join(', ')}`,
      );
    }
  }
}

const INJECTIONS: ((ctx: Ctx) => void)[] = [
  pendingPosting,
  lateEvent,
  lateReceipt3pl,
  inTransit,
  statusMismatch,
  unitErrors,
  oversell,
  manualAdjustment,
  missingPosting,
  duplicate,
  phantom,
  shrinkage,
  binRollUp,
];
