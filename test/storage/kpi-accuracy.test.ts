/**
 * Accuracy by location and by source from a real reconciliation: the engine's comparedBy,
 * persisted and read back by the KPIs, against values computed by hand.
 *
 * Fixture (sellable only; opening balances booked by each location's system of record):
 * - WH-EAST, compared by erp, wms-east (system of record) and shop; opening 100 of SKU-1..3.
 *   SKU-1: the WMS shipped 5 an hour ago, the ERP has not posted it yet → erp explained;
 *   SKU-2: the shop shows 90 → shop exception; SKU-3: all agree.
 *   9 comparisons, 1 exception, 1 explained → accuracy 8 / 9 = 88.89 %.
 * - WH-WEST, compared by erp, 3pl-west (system of record) and shop; opening 50 of SKU-1..2.
 *   SKU-2: the ERP shows 40 → erp exception. 6 comparisons, 1 exception → 5 / 6 = 83.33 %.
 * By source: erp 5 compared, 1 exception, 1 explained → 80 %; shop 5, 1 → 80 %;
 * wms-east 3 → 100 %; 3pl-west 2 → 100 %. Total 15 compared, 2 exceptions → 86.67 %.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.ts';
import { createIntake, reconcile } from '../../engine/core/recon/index.ts';
import type { KeyResult, RunResult } from '../../engine/core/recon/types.ts';
import { buildRuleset } from '../support/engine/ruleset.ts';
import { DEMO_RULES } from '../support/engine/demo-rules.ts';
import { AS_OF, ITEMS, OPENING_AT, eastPosition } from '../support/engine/scenario.ts';
import { unpostedShipment } from '../support/engine/causes.ts';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import { computeKpis, formatKpiTable } from '../../engine/services/kpi/index.ts';
import type { RawPosition } from '../../engine/core/model/types.ts';
import type { Db } from '../../engine/services/store/db.ts';

const WEST = {
  erp: ['West 3PL - TC', 'Unrestricted'],
  '3pl-west': ['LAX1', 'available'],
  shop: ['gid://shopify/Location/2', 'available'],
} as const;

function westPosition(source: keyof typeof WEST, sku: string, quantity: number): RawPosition {
  const [location, status] = WEST[source];
  return { source, sku, location, status, quantity, asOf: AS_OF };
}

async function reconcileFixture(): Promise<RunResult> {
  const intake = createIntake(buildRuleset({ items: ITEMS, rules: DEMO_RULES }));
  for (const sku of ['SKU-1', 'SKU-2', 'SKU-3'])
    intake.opening(eastPosition('wms-east', sku, 100, { asOf: OPENING_AT }));
  unpostedShipment(intake, 1); // SKU-1
  const east: Record<string, number> = { 'SKU-2': 90, 'SKU-3': 100 };
  for (const [sku, shop] of Object.entries(east)) {
    intake.position(eastPosition('erp', sku, 100));
    intake.position(eastPosition('wms-east', sku, 100));
    intake.position(eastPosition('shop', sku, shop));
  }
  const west: Record<string, number> = { 'SKU-1': 50, 'SKU-2': 40 };
  for (const [sku, erp] of Object.entries(west)) {
    intake.opening({ ...westPosition('3pl-west', sku, 50), asOf: OPENING_AT });
    intake.position(westPosition('erp', sku, erp));
    intake.position(westPosition('3pl-west', sku, 50));
    intake.position(westPosition('shop', sku, 50));
  }
  return reconcile(intake, { asOf: AS_OF, runId: 'acc1' });
}

let run: RunResult;
beforeAll(async () => {
  run = await reconcileFixture();
});

describe('accuracy from a reconciled fixture', () => {
  it('the engine counts comparisons, matches and explanations per location and source', () => {
    const outcomes = run.results.map((r) => `${r.location} ${r.source} ${r.sku} ${r.outcome.type}`);
    expect(outcomes.sort()).toEqual([
      'WH-EAST erp SKU-1 explained',
      'WH-EAST shop SKU-2 exception',
      'WH-WEST erp SKU-2 exception',
    ]);
    expect(run.summary.comparedBy).toEqual([
      { location: 'WH-EAST', source: 'erp', compared: 3, matched: 2, explained: 1 },
      { location: 'WH-EAST', source: 'shop', compared: 3, matched: 2, explained: 0 },
      { location: 'WH-EAST', source: 'wms-east', compared: 3, matched: 3, explained: 0 },
      { location: 'WH-WEST', source: '3pl-west', compared: 2, matched: 2, explained: 0 },
      { location: 'WH-WEST', source: 'erp', compared: 2, matched: 1, explained: 0 },
      { location: 'WH-WEST', source: 'shop', compared: 2, matched: 2, explained: 0 },
    ]);
    expect(run.summary.compared).toBe(15);
  });
});

describe.each(testDatabases())('accuracy KPIs of a reconciled fixture on $name', (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await engine.open();
    await persistRun(db, run, { owners: () => 'ops' });
  });
  afterAll(() => engine.close());

  const until = '2026-12-01T00:00:00.000Z';
  const table = async (by: 'location' | 'source') =>
    (await computeKpis(db, { by, until })).rows.map((r) => [
      r.group,
      r.compared,
      r.exceptionKeys,
      r.explainedKeys,
      r.accuracyPct,
    ]);

  it('by location', async () => {
    expect(await table('location')).toEqual([
      ['WH-EAST', 9, 1, 1, 88.89],
      ['WH-WEST', 6, 1, 0, 83.33],
    ]);
    const report = await computeKpis(db, { by: 'location', until });
    expect(report.total).toMatchObject({ compared: 15, exceptionKeys: 2, accuracyPct: 86.67 });
  });

  it('by source', async () => {
    expect(await table('source')).toEqual([
      ['3pl-west', 2, 0, 0, 100],
      ['erp', 5, 1, 1, 80],
      ['shop', 5, 1, 0, 80],
      ['wms-east', 3, 0, 0, 100],
    ]);
  });
});

/**
 * By owner: ERP exceptions go to finance, everything else to the location's team, matches too
 * (the Owners tree on location and source). An owner's keys are its matched keys plus the
 * explained and exception results it owns:
 * - east: WH-EAST matched 2 (erp) + 2 (shop) + 3 (wms-east), erp SKU-1 explained, shop SKU-2
 *   exception → 9 keys, 1 exception → 88.89 %;
 * - west: WH-WEST matched 2 (3pl-west) + 1 (erp) + 2 (shop) → 5 keys, none → 100 %;
 * - finance: erp SKU-2 at WH-WEST → 1 key, 1 exception → 0 %. 9 + 5 + 1 = 15 compared.
 */
const routed = (k: KeyResult): string =>
  k.source === 'erp' && k.outcome.type === 'exception'
    ? 'finance'
    : k.location === 'WH-EAST'
      ? 'east'
      : 'west';

describe.each(testDatabases())('accuracy by owner on $name', (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await engine.open();
    await persistRun(db, run, { owners: routed });
  });
  afterAll(() => engine.close());

  it("counts each owner's matched, explained and exception keys", async () => {
    const report = await computeKpis(db, { by: 'owner', until: '2026-12-01T00:00:00.000Z' });
    expect(
      report.rows.map((r) => [
        r.group,
        r.compared,
        r.exceptionKeys,
        r.explainedKeys,
        r.accuracyPct,
      ]),
    ).toEqual([
      ['east', 9, 1, 1, 88.89],
      ['finance', 1, 1, 0, 0],
      ['west', 5, 0, 0, 100],
    ]);
    expect(report.rows.reduce((n, r) => n + (r.compared ?? 0), 0)).toBe(report.total.compared);
    expect(formatKpiTable(report)).toMatch(/^east +88\.9 +11\.1 /m);
  });
});
