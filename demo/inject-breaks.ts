/** Injected breaks: differences a correct run raises as exceptions with their root cause. */
import { get, rollUp } from './book.ts';
import { binsOf, isMultiBin } from './flows.ts';
import { localDayStartMs, nextId, record } from './sim.ts';
import { DAY_MS, HOUR_MS } from './time.ts';
import { expect, expectedQty, hasStock, pickSku, type Ctx } from './inject-ctx.ts';
import { CASE_SIZE, homeBin, stocks } from './world.ts';

/** The ERP shows sellable 3PL stock as Blocked: same total, wrong bucket. */
export function statusMismatch(ctx: Ctx): void {
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
export function unitErrors(ctx: Ctx): void {
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

/**
 * The ERP keeps a store's beverage stock in cases with four decimals, which do not convert
 * back to a whole each (quantities not divisible by 3 never give a terminating twelfth).
 */
export function unitRounding(ctx: Ctx): void {
  const sku = pickSku(
    ctx,
    (s) =>
      s.skuClass === 'beverage' &&
      expectedQty(ctx, s, 'STORE-NYC', 'sellable') % 3 !== 0 &&
      hasStock(ctx, s, 'STORE-NYC', 2),
  );
  const qty = expectedQty(ctx, sku, 'STORE-NYC', 'sellable');
  const cases = Number((qty / CASE_SIZE).toFixed(4));
  ctx.overrides.erpRows.set(`${sku.sku}|STORE-NYC|sellable`, { quantity: cases, uom: 'Case' });
  expect(
    ctx,
    sku,
    'STORE-NYC',
    'sellable',
    'erp',
    'uom-rounding',
    { type: 'explained', code: 'UOM_ROUNDING' },
    `${qty} each kept as ${cases} Case`,
  );
}

/** A web return put in returns quarantine at WH-EAST that the shop restocked as available. */
export function oversell(ctx: Ctx): void {
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
  // the shop put the return back on sale: available up, damaged down by the same quantity
  ctx.overrides.shop.push({ sku: sku.sku, place: 'WH-EAST', bucket: 'sellable', delta: quantity });
  ctx.overrides.shop.push({
    sku: sku.sku,
    place: 'WH-EAST',
    bucket: 'non_sellable',
    delta: -quantity,
  });
  for (const bucket of ['sellable', 'non_sellable'] as const) {
    expect(
      ctx,
      sku,
      'WH-EAST',
      bucket,
      'shop',
      'returns-oversell',
      { type: 'exception', rootCause: 'OVERSELL_RISK' },
      `${reference} quarantined in the WMS, restocked as available in the shop`,
    );
  }
}

/** Someone corrected stock in the ERP, which is not the system of record. */
export function manualAdjustment(ctx: Ctx): void {
  const sku = pickSku(ctx, (s) => hasStock(ctx, s, 'STORE-NYC', 8));
  const quantity = 5;
  const reference = nextId(ctx.sim, 'ADJ-ERP');
  ctx.sim.erpOnly.push({
    id: nextId(ctx.sim, 'MAT-RECO'),
    type: 'adjustment',
    sku,
    warehouse: 'STORE-NYC',
    from: 'sellable',
    quantity,
    postedMs: ctx.sim.asOfMs - 2 * DAY_MS,
    reference,
  });
  expect(
    ctx,
    sku,
    'STORE-NYC',
    'sellable',
    'erp',
    'manual-adjustment-erp',
    { type: 'exception', rootCause: 'MANUAL_ADJUSTMENT_WRONG_SYSTEM' },
    `${reference}: −${quantity} booked in the ERP only`,
  );
}

/** A 3PL shipment three days ago that the ERP never posted (window 12 h). */
export function missingPosting(ctx: Ctx): void {
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
export function duplicate(ctx: Ctx): void {
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

/** The ERP shows damaged stock at the NYC store, which never had any. */
export function phantom(ctx: Ctx): void {
  const sku = pickSku(ctx, (s) => expectedQty(ctx, s, 'STORE-NYC', 'non_sellable') === 0);
  ctx.overrides.erp.push({ sku: sku.sku, place: 'STORE-NYC', bucket: 'non_sellable', delta: 6 });
  expect(
    ctx,
    sku,
    'STORE-NYC',
    'non_sellable',
    'erp',
    'phantom-stock',
    { type: 'exception', rootCause: 'PHANTOM_STOCK' },
    'never damaged at STORE-NYC',
  );
}

/** The WMS's own snapshot is below its ledger, with no event to say why. */
export function shrinkage(ctx: Ctx): void {
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
export function binRollUp(ctx: Ctx): void {
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
