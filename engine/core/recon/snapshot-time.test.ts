/**
 * Each source is compared with the ledger as of its own snapshot, not as of the run: a movement
 * booked after a source's snapshot cannot be in that snapshot (#14, "one POS sale"). Through the
 * bundled rules: a real ERP unit error must stay what it is, and the book must not be reported
 * off by a sale it recorded after counting.
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
} from '../../../test/support/engine/scenario.ts';

const RULES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../rules');
const after = (minutes: number) => new Date(Date.parse(AS_OF) + minutes * 60_000).toISOString();
let ruleset: Ruleset;

beforeAll(async () => {
  ruleset = await loadRulesetOrThrow(RULES);
});

/** SKU-2 counted in cases by the ERP (1,200 for 100): a real UOM_MISMATCH. */
function unitError(): Intake {
  const intake = createIntake(ruleset);
  for (const [sku, item] of Object.entries(ITEMS)) intake.item({ sku, ...item });
  baseline(intake, ['SKU-1', 'SKU-2'], new Set(['erp:SKU-2']));
  intake.position(eastPosition('erp', 'SKU-2', 1200));
  return intake;
}

/** The book's sale of one SKU-2, ten minutes after every snapshot. */
function saleAfterSnapshots(intake: Intake): void {
  intake.event(
    event({
      source: 'wms-east',
      type: 'shipment',
      sku: 'SKU-2',
      reference: 'SO-S-1',
      quantity: 1,
      occurredAt: after(10),
      recordedAt: after(10),
    }),
  );
}

async function exceptions(intake: Intake, asOf: string): Promise<string[]> {
  const run = await reconcile(intake, { asOf });
  return run.results
    .filter((r) => r.outcome.type === 'exception')
    .map(
      (r) =>
        `${r.source} ${r.sku} ${r.bucket} ${r.outcome.type === 'exception' ? r.outcome.rootCause : ''} ${r.variance}`,
    )
    .sort();
}

describe('sources compared at their own snapshot time', () => {
  it('one sale after the snapshots neither resolves the ERP unit error nor opens a false one', async () => {
    const before = await exceptions(unitError(), after(60));
    expect(before).toEqual(['erp SKU-2 sellable UOM_MISMATCH 1100']);
    const intake = unitError();
    saleAfterSnapshots(intake);
    expect(await exceptions(intake, after(60))).toEqual(before);
  });

  it('the same on the live path: an incremental run over the sale’s keys', async () => {
    const intake = unitError();
    saleAfterSnapshots(intake);
    const keys = (['sellable', 'committed', 'non_sellable', 'in_transit'] as const).map(
      (bucket) => ({
        sku: 'SKU-2',
        location: 'WH-EAST',
        bucket,
      }),
    );
    const run = await reconcile(intake, { asOf: after(60), keys });
    const found = run.results
      .filter((r) => r.outcome.type === 'exception')
      .map((r) => `${r.source} ${r.bucket} ${r.variance}`);
    expect(found).toEqual(['erp sellable 1100']);
  });

  it('a later snapshot that lacks the sale is compared with the ledger after it', async () => {
    const intake = unitError();
    saleAfterSnapshots(intake);
    intake.position(eastPosition('wms-east', 'SKU-2', 100, { asOf: after(30) }));
    const found = await exceptions(intake, after(60));
    expect(found).toEqual([
      'erp SKU-2 sellable UOM_MISMATCH 1100',
      'wms-east SKU-2 sellable UNEXPLAINED_VARIANCE 1',
    ]);
  });
});
