/** Injected timing causes: differences a correct run explains instead of raising. */
import { localDayStartMs, nextId, record } from './sim.ts';
import { HOUR_MS, MINUTE_MS } from './time.ts';
import { expect, hasStock, pickSku, type Ctx } from './inject-ctx.ts';
import { homeBin, stocks } from './world.ts';

/** A WMS shipment 90 minutes before T that the ERP (4 h lag) has not posted yet. */
export function pendingPosting(ctx: Ctx): void {
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
export function lateEvent(ctx: Ctx): void {
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
export function lateReceipt3pl(ctx: Ctx): void {
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
export function inTransit(ctx: Ctx): void {
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
  // the ERP books the issue but, for this store, keeps no in-transit stock: it shows 0
  ctx.overrides.erp.push({ sku: sku.sku, place: 'STORE-NYC', bucket: 'in_transit', delta: -12 });
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
