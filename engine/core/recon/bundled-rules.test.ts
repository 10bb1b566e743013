/**
 * The demo causes run through the bundled rules/ (loaded from YAML), not the test rules:
 * the shipped classification must give each cause the outcome DEMO-DEPLOYMENT.md promises.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRulesetOrThrow } from '../rules/load.ts';
import type { Ruleset } from '../rules/types.ts';
import { createIntake, reconcile } from './index.ts';
import type { Intake } from '../normalize/intake.ts';
import {
  AS_OF,
  ITEMS,
  baseline,
  eastPosition,
  event,
  hoursBefore,
} from '../../../test/support/engine/scenario.ts';
import {
  EVERY_SOURCE,
  duplicatedShipment,
  manualErpAdjustment,
  quarantinedReturn,
  reservedInErp,
  unpostedShipment,
} from '../../../test/support/engine/causes.ts';

const RULES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../rules');
let ruleset: Ruleset;

beforeAll(async () => {
  ruleset = await loadRulesetOrThrow(RULES);
});

function setup(skus: string[], skip: string[] = []): Intake {
  const intake = createIntake(ruleset);
  for (const [sku, item] of Object.entries(ITEMS)) intake.item({ sku, ...item });
  baseline(intake, skus, new Set(skip));
  return intake;
}

async function outcomes(intake: Intake): Promise<string[]> {
  const r = await reconcile(intake, { asOf: AS_OF });
  return r.results
    .map((x) => {
      const o = x.outcome;
      const what = o.type === 'exception' ? o.rootCause : o.type === 'explained' ? o.code : 'match';
      return `${x.source} ${x.bucket} ${what}`;
    })
    .sort();
}

describe('demo causes through the bundled rules', () => {
  it('a clean baseline: nothing to report', async () => {
    expect(await outcomes(setup(['SKU-1', 'SKU-2']))).toEqual([]);
  });

  it('posting inside the lag → PENDING_POSTING; past it → MISSING_POSTING', async () => {
    for (const [hours, code] of [
      [1, 'PENDING_POSTING'],
      [30, 'MISSING_POSTING'],
    ] as const) {
      const intake = setup(['SKU-1'], EVERY_SOURCE);
      unpostedShipment(intake, hours);
      expect(await outcomes(intake)).toEqual([`erp sellable ${code}`]);
    }
  });

  it('status mismatch, unit error, rounding, phantom, shrinkage', async () => {
    const status = setup(['SKU-1'], ['erp:SKU-1']);
    reservedInErp(status);
    expect(await outcomes(status)).toEqual([
      'erp committed STATUS_MISMAPPED',
      'erp sellable STATUS_MISMAPPED',
    ]);

    const uom = setup(['SKU-2'], ['erp:SKU-2']);
    uom.position(eastPosition('erp', 'SKU-2', 1200));
    expect(await outcomes(uom)).toEqual(['erp sellable UOM_MISMATCH']);

    const rounding = setup(['SKU-1', 'SKU-2'], ['erp:SKU-2']);
    rounding.position(eastPosition('erp', 'SKU-2', 8.45, { unit: 'CS' }));
    expect(await outcomes(rounding)).toEqual(['erp sellable UOM_ROUNDING']);

    const phantom = setup(['SKU-1']);
    phantom.position(eastPosition('erp', 'SKU-3', 5));
    expect(await outcomes(phantom)).toEqual(['erp sellable PHANTOM_STOCK']);

    const shrink = setup(['SKU-1'], ['wms-east:SKU-1']);
    shrink.position(eastPosition('wms-east', 'SKU-1', 95));
    expect(await outcomes(shrink)).toEqual(['wms-east sellable UNRECORDED_SHRINKAGE']);
  });

  it('manual ERP adjustment, duplicate event, quarantined return shown sellable', async () => {
    const adj = setup(['SKU-1'], ['erp:SKU-1']);
    manualErpAdjustment(adj);
    expect(await outcomes(adj)).toEqual(['erp sellable MANUAL_ADJUSTMENT_WRONG_SYSTEM']);

    const dup = setup(['SKU-1'], EVERY_SOURCE);
    duplicatedShipment(dup);
    expect(await outcomes(dup)).toEqual([
      'erp sellable DUPLICATE_EVENT',
      'shop sellable DUPLICATE_EVENT',
      'wms-east sellable DUPLICATE_EVENT',
    ]);

    const ret = setup(['SKU-1'], ['shop:SKU-1']);
    quarantinedReturn(ret);
    expect(await outcomes(ret)).toContain('shop sellable OVERSELL_RISK');
  });

  it('a status move the ERP has not posted: inside the lag → DISPOSITION_CHANGE; past it → STATUS_MISMAPPED', async () => {
    const seen: Record<number, string[]> = {};
    for (const hours of [1, 30]) {
      const intake = setup(['SKU-1'], EVERY_SOURCE);
      intake.event(
        event({
          source: 'wms-east',
          type: 'status_change',
          fromStatus: 'AVAILABLE',
          toStatus: 'DAMAGED',
          quantity: 3,
          reference: 'QC-1',
          occurredAt: hoursBefore(hours),
        }),
      );
      intake.position(eastPosition('wms-east', 'SKU-1', 97));
      intake.position(eastPosition('wms-east', 'SKU-1', 3, { status: 'DAMAGED' }));
      intake.position(eastPosition('erp', 'SKU-1', 100));
      intake.position(eastPosition('shop', 'SKU-1', 97));
      intake.position(eastPosition('shop', 'SKU-1', 3, { status: 'damaged' }));
      seen[hours] = await outcomes(intake);
    }
    expect(seen[1]).toEqual([
      'erp non_sellable DISPOSITION_CHANGE',
      'erp sellable DISPOSITION_CHANGE',
    ]);
    // past the ERP's 4 h lag the ERP's buckets are wrong, not late
    expect(seen[30]).toEqual([
      'erp non_sellable STATUS_MISMAPPED',
      'erp sellable STATUS_MISMAPPED',
    ]);
  });
});
