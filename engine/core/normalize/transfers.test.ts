import { describe, expect, it } from 'vitest';
import { createIntake } from './intake.ts';
import { settleTransfers } from './transfers.ts';
import { EVENT_TYPES } from '../model/types.ts';
import { bucketOf } from '../model/keys.ts';
import { decodeAccount } from '../model/accounts.ts';
import { buildRuleset } from '../../../test/support/engine/ruleset.ts';
import { AS_OF, ITEMS, event, hoursBefore } from '../../../test/support/engine/scenario.ts';

/** The demo deployment with an ERP transit warehouse declared as a location of type transit. */
function intakeWithTransit() {
  const ruleset = buildRuleset({ items: ITEMS });
  ruleset.mappings.locations.set('GIT', { id: 'GIT', level: 'warehouse', type: 'transit' });
  ruleset.mappings.locationCodes.get('erp')!.set('Goods In Transit - TC', 'GIT');
  return createIntake(ruleset);
}

/** WH-EAST (wms-east) sends 6 of SKU-1 to WH-WEST (3pl-west) under transfer STE-11. */
const shipped = (reference = 'STE-11') =>
  event({
    source: 'wms-east',
    type: 'transfer_out',
    quantity: 6,
    reference,
    counterpartLocation: 'WH-WEST',
    occurredAt: hoursBefore(40),
  });

const rowOf = (intake: ReturnType<typeof createIntake>, id: string) =>
  Array.from({ length: intake.events.length }, (_, i) => intake.events.id(i)).indexOf(id);
const typeOf = (intake: ReturnType<typeof createIntake>, id: string) =>
  EVENT_TYPES[intake.events.type.get(rowOf(intake, id))];

describe('settleTransfers', () => {
  it("reads the destination's receipt of a transfer as its arrival out of in_transit", () => {
    const intake = intakeWithTransit();
    const arrived = event({
      source: '3pl-west',
      type: 'receipt',
      location: 'LAX1',
      quantity: 6,
      reference: 'STE-11',
      occurredAt: hoursBefore(10),
    });
    const purchase = { ...arrived, sourceEventId: 'po', reference: 'PO-4' };
    for (const e of [shipped(), arrived, purchase]) intake.event(e);
    intake.flush();
    settleTransfers(intake);
    settleTransfers(intake); // settling twice changes nothing
    expect(typeOf(intake, arrived.sourceEventId)).toBe('transfer_in');
    const i = rowOf(intake, arrived.sourceEventId);
    expect(decodeAccount(intake.events.from.get(i), intake.locations)).toEqual({
      kind: 'stock',
      location: 'WH-WEST',
      bucket: 'in_transit',
    });
    expect(intake.locations.value(intake.events.counterpart.get(i))).toBe('WH-EAST');
    // another reference, or a quantity that differs, is a receipt of its own
    expect(typeOf(intake, 'po')).toBe('receipt');
  });

  it('leaves a receipt alone when the transfer already arrived by a transfer_in', () => {
    const intake = intakeWithTransit();
    const arrival = event({
      source: '3pl-west',
      type: 'transfer_in',
      location: 'LAX1',
      quantity: 6,
      reference: 'STE-11',
      counterpartLocation: 'WH-EAST',
    });
    const receipt = event({
      ...arrival,
      sourceEventId: 'rcv',
      type: 'receipt',
      counterpartLocation: undefined,
    });
    for (const e of [shipped(), arrival, receipt]) intake.event(e);
    intake.flush();
    settleTransfers(intake);
    expect(typeOf(intake, receipt.sourceEventId)).toBe('receipt');
  });

  it("counts the ERP's stock in its transit warehouse at the transfer's destination, in transit", () => {
    const intake = intakeWithTransit();
    // the ERP's first leg, still open: East DC → Goods In Transit, same transfer number
    const intoTransit = event({
      source: 'erp',
      type: 'transfer_out',
      quantity: 6,
      reference: 'STE-11',
      counterpartLocation: 'Goods In Transit - TC',
    });
    for (const e of [shipped(), intoTransit]) intake.event(e);
    intake.position({
      source: 'erp',
      sku: 'SKU-1',
      location: 'Goods In Transit - TC',
      status: 'In Transit',
      quantity: 6,
      asOf: AS_OF,
    });
    intake.flush();
    settleTransfers(intake);
    const t = intake.positions;
    expect(intake.locations.value(t.cmp.get(0))).toBe('WH-WEST');
    expect(bucketOf(t.bucket.get(0))).toBe('in_transit');
    expect(t.sl.get(0)).toBe(
      intake.skuLocs.id(intake.skus.id('SKU-1'), intake.locations.id('WH-WEST')),
    );
  });

  it('keeps transit stock where it is when no other system names where it goes', () => {
    const intake = intakeWithTransit();
    const intoTransit = event({
      source: 'erp',
      type: 'transfer_out',
      quantity: 6,
      reference: 'STE-12',
      counterpartLocation: 'Goods In Transit - TC',
    });
    intake.event(intoTransit);
    intake.event(shipped('STE-99'));
    intake.position({
      source: 'erp',
      sku: 'SKU-1',
      location: 'Goods In Transit - TC',
      status: 'In Transit',
      quantity: 6,
      asOf: AS_OF,
    });
    intake.flush();
    settleTransfers(intake);
    expect(intake.locations.value(intake.positions.cmp.get(0))).toBe('GIT');
  });
});
