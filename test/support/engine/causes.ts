/**
 * Demo causes set up on an intake, shared by the tests that run them through the test rules
 * (causes.test.ts), the bundled YAML rules (bundled-rules.test.ts) and the KPI tests. Each
 * expects the baseline of testing/scenario.ts without the positions it names in `skips`, and
 * reports those itself.
 */
import type { Intake } from '../../../engine/core/normalize/intake.ts';
import type { RawEvent } from '../../../engine/core/model/types.ts';
import { eastPosition, event, hoursBefore } from './scenario.ts';

/** Every source's SKU-1 position: for scenarios that report all three themselves. */
export const EVERY_SOURCE = ['erp:SKU-1', 'wms-east:SKU-1', 'shop:SKU-1'];

/** The WMS shipped 5 of SKU-1 `hoursAgo`; the ERP has not posted it. Skips EVERY_SOURCE. */
export function unpostedShipment(intake: Intake, hoursAgo: number): RawEvent {
  const e = event({
    source: 'wms-east',
    type: 'shipment',
    reference: 'SO-1',
    quantity: 5,
    occurredAt: hoursBefore(hoursAgo),
  });
  intake.event(e);
  intake.position(eastPosition('erp', 'SKU-1', 100));
  intake.position(eastPosition('wms-east', 'SKU-1', 95));
  intake.position(eastPosition('shop', 'SKU-1', 95));
  return e;
}

/** The ERP shows 10 of SKU-1's 100 as Reserved. Skips erp:SKU-1. */
export function reservedInErp(intake: Intake): void {
  intake.position(eastPosition('erp', 'SKU-1', 90));
  intake.position(eastPosition('erp', 'SKU-1', 10, { status: 'Reserved' }));
}

/** A return of 2 into quarantine that the channel shows sellable. Skips shop:SKU-1. */
export function quarantinedReturn(intake: Intake): void {
  const ret = { type: 'return' as const, reference: 'RMA-1', quantity: 2 };
  const at = { ...ret, occurredAt: hoursBefore(50) };
  intake.event(event({ source: 'wms-east', toStatus: 'RETURNS_QA', ...at }));
  intake.event(event({ source: 'erp', toStatus: 'Blocked', ...at }));
  intake.position(eastPosition('erp', 'SKU-1', 2, { status: 'Blocked' }));
  intake.position(eastPosition('wms-east', 'SKU-1', 2, { status: 'RETURNS_QA' }));
  intake.position(eastPosition('shop', 'SKU-1', 102));
}

/** An adjustment of +7 booked in the ERP only. Skips erp:SKU-1. */
export function manualErpAdjustment(intake: Intake): void {
  intake.event(
    event({
      source: 'erp',
      type: 'adjustment',
      toStatus: 'Unrestricted',
      reference: 'ADJ-1',
      quantity: 7,
    }),
  );
  intake.position(eastPosition('erp', 'SKU-1', 107));
}

/** A WMS shipment of 3 sent twice under new ids; the ERP posted it once. Skips EVERY_SOURCE. */
export function duplicatedShipment(intake: Intake): void {
  const ship = { source: 'wms-east' as const, type: 'shipment' as const, reference: 'SO-2' };
  intake.event(event({ ...ship, quantity: 3, sourceEventId: 'T1' }));
  intake.event(event({ ...ship, quantity: 3, sourceEventId: 'T2', occurredAt: hoursBefore(47) }));
  intake.event(event({ source: 'erp', type: 'shipment', reference: 'SO-2', quantity: 3 }));
  for (const s of ['erp', 'wms-east', 'shop'] as const)
    intake.position(eastPosition(s, 'SKU-1', 97));
}
