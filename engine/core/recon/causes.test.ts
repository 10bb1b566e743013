import { describe, expect, it } from 'vitest';
import { createIntake, reconcile } from './index.ts';
import { buildRuleset } from '../../../test/support/engine/ruleset.ts';
import { DEMO_RULES } from '../../../test/support/engine/demo-rules.ts';
import {
  AS_OF,
  ITEMS,
  baseline,
  eastPosition,
  event,
  hoursBefore,
} from '../../../test/support/engine/scenario.ts';
import type { Intake } from '../normalize/intake.ts';
import type { RunResult } from './types.ts';
import {
  EVERY_SOURCE,
  duplicatedShipment,
  manualErpAdjustment,
  quarantinedReturn,
  reservedInErp,
  unpostedShipment,
} from '../../../test/support/engine/causes.ts';

function setup(skus = ['SKU-1'], skip: string[] = []) {
  const intake = createIntake(buildRuleset({ items: ITEMS, rules: DEMO_RULES }));
  intake.item({ sku: 'SKU-1', skuClass: 'apparel', unitCost: '10' });
  baseline(intake, skus, new Set(skip));
  return intake;
}

const run = (intake: Intake) => reconcile(intake, { asOf: AS_OF });
const outcomes = (r: RunResult) =>
  r.results.map((x) => {
    const o = x.outcome;
    const what = o.type === 'exception' ? o.rootCause : o.type === 'explained' ? o.code : 'match';
    return `${x.source} ${x.sku} ${x.bucket} ${what}`;
  });

describe('injected causes of the demo deployment', () => {
  it('a clean baseline matches everywhere without the rules engine', async () => {
    const r = await run(setup(['SKU-1', 'SKU-2']));
    expect(r.results).toEqual([]);
    expect(r.summary.rulesEvaluated).toBe(0);
    expect(r.summary.matched).toBe(r.summary.compared);
  });

  it('a shipment the ERP has not posted yet, inside the lag → PENDING_POSTING', async () => {
    const intake = setup(['SKU-1'], EVERY_SOURCE);
    unpostedShipment(intake, 1);
    const r = await run(intake);
    expect(outcomes(r)).toEqual(['erp SKU-1 sellable PENDING_POSTING']);
    const u = r.results[0]!.evidence!.unmatched;
    expect(u).toMatchObject([
      { source: 'wms-east', missingIn: ['erp'], status: 'timing', reference: 'SO-1' },
    ]);
  });

  it('the same shipment past the lag window → MISSING_POSTING naming the event and the ERP', async () => {
    const intake = setup(['SKU-1'], EVERY_SOURCE);
    const e = unpostedShipment(intake, 30);
    const r = await run(intake);
    expect(outcomes(r)).toEqual(['erp SKU-1 sellable MISSING_POSTING']);
    const ev = r.results[0]!.evidence!;
    expect(ev.unmatched).toMatchObject([
      { sourceEventId: e.sourceEventId, missingIn: ['erp'], status: 'break' },
    ]);
    expect(ev.decidedBy?.rule).toBe('missing-posting');
    expect(ev.rules[0]!.conditions[0]).toMatchObject({
      fact: 'unmatchedOutsideWindow',
      factValue: 1,
      result: true,
    });
    expect(ev.history.map((h) => h.sourceEventId)).toEqual([e.sourceEventId]);
    expect(r.results[0]!.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('a transfer still in transit inside its window → IN_TRANSIT_WINDOW', async () => {
    const intake = setup(['SKU-1'], EVERY_SOURCE);
    const ref = { reference: 'TR-1', quantity: 10, occurredAt: hoursBefore(5) };
    intake.event(
      event({ source: 'wms-east', type: 'transfer_out', counterpartLocation: 'STORE-NYC', ...ref }),
    );
    intake.event(
      event({ source: 'erp', type: 'transfer_out', counterpartLocation: 'Store NYC - TC', ...ref }),
    );
    intake.position(eastPosition('erp', 'SKU-1', 90));
    intake.position(eastPosition('wms-east', 'SKU-1', 90));
    intake.position(eastPosition('shop', 'SKU-1', 90));
    intake.position(eastPosition('erp', 'SKU-1', 10, { location: 'Store NYC - TC' }));
    intake.position({
      source: 'pos',
      sku: 'SKU-1',
      location: 'NYC',
      status: 'ON_HAND',
      quantity: 0,
      asOf: AS_OF,
    });
    const r = await run(intake);
    expect(outcomes(r).sort()).toEqual([
      'erp SKU-1 in_transit IN_TRANSIT_WINDOW',
      'erp SKU-1 sellable IN_TRANSIT_WINDOW',
    ]);
  });

  it('stock reported under another status → STATUS_MISMAPPED', async () => {
    const intake = setup(['SKU-1'], ['erp:SKU-1']);
    reservedInErp(intake);
    const r = await run(intake);
    expect(outcomes(r).sort()).toEqual([
      'erp SKU-1 committed STATUS_MISMAPPED',
      'erp SKU-1 sellable STATUS_MISMAPPED',
    ]);
  });

  it('an ERP quantity off by the case factor → UOM_MISMATCH', async () => {
    const intake = setup(['SKU-2'], ['erp:SKU-2']);
    intake.position(eastPosition('erp', 'SKU-2', 1200));
    const r = await run(intake);
    expect(outcomes(r)).toEqual(['erp SKU-2 sellable UOM_MISMATCH']);
  });

  it('a conversion that is not whole → finding and UOM_ROUNDING', async () => {
    const intake = setup(['SKU-1', 'SKU-2'], ['erp:SKU-2']);
    intake.position(eastPosition('erp', 'SKU-2', 8.45, { unit: 'Case' }));
    const r = await run(intake);
    expect(outcomes(r)).toEqual(['erp SKU-2 sellable UOM_ROUNDING']);
    expect(r.findings.map((x) => x.code)).toEqual(['UOM_ROUNDING']);
  });

  it('bins of the WMS roll up to the warehouse and match', async () => {
    const intake = setup(['SKU-1'], ['wms-east:SKU-1']);
    intake.position(eastPosition('wms-east', 'SKU-1', 60));
    intake.position(eastPosition('wms-east', 'SKU-1', 40, { location: 'WH-EAST-A-02' }));
    expect((await run(intake)).results).toEqual([]);
  });

  it('a return to quarantine shown sellable in the channel → OVERSELL_RISK', async () => {
    const intake = setup(['SKU-1'], ['shop:SKU-1']);
    quarantinedReturn(intake);
    const r = await run(intake);
    const sellable = r.results.find((x) => x.bucket === 'sellable')!;
    expect(sellable.outcome).toMatchObject({ type: 'exception', rootCause: 'OVERSELL_RISK' });
    expect(sellable.causes).toEqual(['OVERSELL_RISK', 'STATUS_MISMAPPED']);
  });

  it('a manual adjustment in the ERP → MANUAL_ADJUSTMENT_WRONG_SYSTEM', async () => {
    const intake = setup(['SKU-1'], ['erp:SKU-1']);
    manualErpAdjustment(intake);
    const r = await run(intake);
    expect(outcomes(r)).toEqual(['erp SKU-1 sellable MANUAL_ADJUSTMENT_WRONG_SYSTEM']);
    expect(r.results[0]!.evidence!.unmatched[0]).toMatchObject({
      source: 'erp',
      missingIn: ['wms-east'],
    });
  });

  it('a duplicated event → DUPLICATE_EVENT in every source', async () => {
    const intake = setup(['SKU-1'], EVERY_SOURCE);
    duplicatedShipment(intake);
    const r = await run(intake);
    expect(outcomes(r).sort()).toEqual([
      'erp SKU-1 sellable DUPLICATE_EVENT',
      'shop SKU-1 sellable DUPLICATE_EVENT',
      'wms-east SKU-1 sellable DUPLICATE_EVENT',
    ]);
  });

  it('stock where nothing was ever received → PHANTOM_STOCK', async () => {
    const intake = setup(['SKU-1']);
    intake.position(eastPosition('erp', 'SKU-3', 5));
    const r = await run(intake);
    expect(outcomes(r)).toEqual(['erp SKU-3 sellable PHANTOM_STOCK']);
  });

  it('the system of record below its ledger with no events → UNRECORDED_SHRINKAGE', async () => {
    const intake = setup(['SKU-1'], ['wms-east:SKU-1']);
    intake.position(eastPosition('wms-east', 'SKU-1', 95));
    const r = await run(intake);
    expect(outcomes(r)).toEqual(['wms-east SKU-1 sellable UNRECORDED_SHRINKAGE']);
  });

  it('an event recorded after its day’s cutoff, missing from the snapshot → LATE_EVENT', async () => {
    const intake = setup(['SKU-1'], EVERY_SOURCE);
    const at = { reference: 'SO-3', quantity: 4, occurredAt: '2026-11-20T22:30:00Z' };
    intake.event(
      event({ source: 'wms-east', type: 'shipment', recordedAt: '2026-11-21T01:00:00Z', ...at }),
    );
    intake.event(event({ source: 'erp', type: 'shipment', ...at }));
    intake.position(eastPosition('erp', 'SKU-1', 100));
    intake.position(eastPosition('wms-east', 'SKU-1', 96));
    intake.position(eastPosition('shop', 'SKU-1', 96));
    const r = await run(intake);
    expect(outcomes(r)).toEqual(['erp SKU-1 sellable LATE_EVENT']);
  });
});

describe('causes read off the movements both systems recorded', () => {
  const shipped = (source: 'erp' | 'wms-east', reference: string, occurredAt: string) =>
    event({ source, type: 'shipment', reference, quantity: 3, occurredAt });

  it('the ERP posting a delivery again under a new voucher within its lag → DUPLICATE_EVENT', async () => {
    const intake = setup(['SKU-1'], EVERY_SOURCE);
    intake.event(shipped('wms-east', 'DN-33', hoursBefore(30)));
    intake.event(shipped('erp', 'DN-33', hoursBefore(29)));
    // 35 minutes later: inside the WMS → ERP posting lag (240 min), not the same minute
    intake.event(shipped('erp', 'DN-99', hoursBefore(29 - 35 / 60)));
    intake.position(eastPosition('erp', 'SKU-1', 94));
    intake.position(eastPosition('wms-east', 'SKU-1', 97));
    intake.position(eastPosition('shop', 'SKU-1', 97));
    expect(outcomes(await run(intake))).toEqual(['erp SKU-1 sellable DUPLICATE_EVENT']);
  });

  it('a second delivery of the same quantity hours past the lag is not a duplicate', async () => {
    const intake = setup(['SKU-1'], EVERY_SOURCE);
    intake.event(shipped('wms-east', 'DN-33', hoursBefore(30)));
    intake.event(shipped('erp', 'DN-33', hoursBefore(29)));
    intake.event(shipped('erp', 'DN-99', hoursBefore(22)));
    intake.position(eastPosition('erp', 'SKU-1', 94));
    intake.position(eastPosition('wms-east', 'SKU-1', 97));
    intake.position(eastPosition('shop', 'SKU-1', 97));
    expect(outcomes(await run(intake))).toEqual(['erp SKU-1 sellable MISSING_POSTING']);
  });

  it('two cases received, posted in the ERP as two units under the same receipt → UOM_MISMATCH', async () => {
    // SKU-2 is a beverage: a case holds 12
    const intake = setup(['SKU-2'], ['erp:SKU-2', 'wms-east:SKU-2', 'shop:SKU-2']);
    const receipt = { type: 'receipt' as const, sku: 'SKU-2', reference: 'PO-16' };
    intake.event(event({ source: 'wms-east', ...receipt, quantity: 2, unit: 'case' }));
    intake.event(event({ source: 'erp', ...receipt, quantity: 2, unit: 'each' }));
    intake.position(eastPosition('erp', 'SKU-2', 102));
    intake.position(eastPosition('wms-east', 'SKU-2', 124));
    intake.position(eastPosition('shop', 'SKU-2', 124));
    const r = await run(intake);
    expect(outcomes(r)).toEqual(['erp SKU-2 sellable UOM_MISMATCH']);
    expect(r.results[0]!.evidence!.facts.varianceIsUnitMultiple).toBe(true);
  });
});
