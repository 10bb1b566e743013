import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.ts';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import { approveAndApply, proposeCorrection } from '../../engine/services/corrections/index.ts';
import { computeKpis, formatKpiTable } from '../../engine/services/kpi/index.ts';
import type { Roles } from '../../engine/core/rules/types.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { keyResult, ownerByLocation, runResult } from './fixtures.ts';

const roles: Roles = {
  twoApproverThresholdValue: 10_000,
  grants: [
    {
      file: 'r.yaml',
      line: 1,
      subject: 'UR1',
      subjectKind: 'user',
      role: 'resolver',
      locations: [],
    },
    {
      file: 'r.yaml',
      line: 2,
      subject: 'UA1',
      subjectKind: 'user',
      role: 'approver',
      locations: [],
    },
  ],
};

const A = keyResult({ sku: 'A', location: 'WH1', variance: -4, valueAtRisk: 40 });
const B = keyResult({ sku: 'B', location: 'WH2', variance: -7, valueAtRisk: 70 });
const C = keyResult({ sku: 'C', location: 'WH1', explained: 'IN_TRANSIT_WINDOW' });
const D = keyResult({
  sku: 'D',
  location: 'WH2',
  source: 'shop',
  variance: 2,
  valueAtRisk: 20,
  facts: { channelSellable: 10, expectedSellable: 5 },
});
const comparedBy = [
  { location: 'WH1', source: 'erp', compared: 50 },
  { location: 'WH2', source: 'erp', compared: 50 },
  { location: 'WH2', source: 'shop', compared: 10 },
];
const until = '2026-11-05T00:00:00.000Z';

describe.each(testDatabases())('KPIs on $name', (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await engine.open();
    const run = (runId: string, asOf: string, results: (typeof A)[]) =>
      persistRun(db, runResult({ runId, asOf, results, compared: 110, comparedBy }), {
        owners: ownerByLocation,
      });
    await run('k1', '2026-11-01T00:00:00.000Z', [A, B, C, D]);
    await run('k2', '2026-11-02T00:00:00.000Z', [B, D]); // A resolved after 24 h
    const b = await db('exceptions').where({ sku: 'B' }).first();
    const { correction } = await proposeCorrection(db, roles, {
      exceptionId: b.id,
      actor: { id: 'UR1' },
      system: 'erp',
      deltaQuantity: 7,
      reasonCode: 'PHYSICAL_COUNT',
      at: '2026-11-02T12:00:00.000Z',
    });
    await approveAndApply(db, roles, {
      correctionId: correction.id,
      actor: { id: 'UA1' },
      at: '2026-11-03T00:00:00.000Z',
    });
    await run('k3', '2026-11-04T00:00:00.000Z', [B]); // D resolved after 72 h
    await run('k4', '2026-11-04T12:00:00.000Z', [A, B]); // A back
  });
  afterAll(() => engine.close());

  it('computes accuracy, rates, resolution times, risk, adjustments and open value by location', async () => {
    const report = await computeKpis(db, { by: 'location', until });
    const [wh1, wh2] = report.rows;
    expect(wh1).toMatchObject({
      group: 'WH1',
      compared: 200,
      exceptionKeys: 2,
      explainedKeys: 1,
      accuracyPct: 99,
      exceptionRatePct: 1,
      raised: 1,
      recurrences: 1,
      resolved: 1,
      ttrMedianHours: 24,
      ttrP90Hours: 24,
      oversellIncidents: 0,
      adjustments: 0,
      openVarianceValueAtCloseMinor: 4000,
    });
    expect(wh2).toMatchObject({
      group: 'WH2',
      compared: 240,
      exceptionKeys: 6,
      accuracyPct: 97.5,
      exceptionRatePct: 2.5,
      raised: 2,
      recurrences: 0,
      resolved: 1,
      ttrMedianHours: 72,
      oversellIncidents: 1,
      stockoutIncidents: 0,
      adjustments: 1,
      adjustmentQuantity: 7,
      adjustmentValueMinor: 7000,
      openVarianceValueAtCloseMinor: 7000,
    });
    expect(report.total).toMatchObject({
      compared: 440,
      exceptionKeys: 8,
      accuracyPct: 98.18,
      exceptionRatePct: 1.82,
      raised: 3,
      resolved: 2,
      ttrMedianHours: 24,
      ttrP90Hours: 72,
      openVarianceValueAtCloseMinor: 11000,
      adjustmentValueMinor: 7000,
    });
  });

  it('groups by source and owner, and limits to a period', async () => {
    const bySource = await computeKpis(db, { by: 'source', until });
    expect(bySource.rows.map((r) => [r.group, r.compared, r.accuracyPct])).toEqual([
      ['erp', 400, 98.5],
      ['shop', 40, 95],
    ]);
    const byOwner = await computeKpis(db, { by: 'owner', until });
    expect(
      byOwner.rows.map((r) => [r.group, r.raised, r.accuracyPct, r.openVarianceValueAtCloseMinor]),
    ).toEqual([
      ['ops-east', 1, 99, 4000],
      ['ops-west', 2, 97.5, 7000],
    ]);
    expect(byOwner.total.accuracyPct).toBe(98.18);
    const late = await computeKpis(db, {
      by: 'location',
      since: '2026-11-03T00:00:00.000Z',
      until,
    });
    expect(late.total).toMatchObject({
      compared: 220,
      exceptionKeys: 3,
      raised: 0,
      recurrences: 1,
      resolved: 1,
      ttrMedianHours: 72,
      adjustments: 1,
    });
    // Month-end view at an earlier close: A resolved, B and D still open.
    const earlier = await computeKpis(db, { by: 'location', until: '2026-11-03T00:00:00.000Z' });
    expect(earlier.total.openVarianceValueAtCloseMinor).toBe(9000);
  });

  it('stops counting an adjustment whose write-back came back stale (its ledger entry was reversed)', async () => {
    const before = await computeKpis(db, { by: 'location', until });
    expect(before.total.adjustments).toBe(1);
    await db('corrections').update({ writeback_status: 'stale' });
    try {
      const after = await computeKpis(db, { by: 'location', until });
      expect(after.total).toMatchObject({
        adjustments: 0,
        adjustmentQuantity: 0,
        adjustmentValueMinor: 0,
      });
    } finally {
      await db('corrections').update({ writeback_status: null });
    }
  });

  it('prints a table no wider than 80 columns', async () => {
    const text = formatKpiTable(await computeKpis(db, { by: 'location', until }));
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(text).toMatch(/^WH2 +97\.5 +2\.5 +2 +0 +1 +72 +72 +1 +1 +70 +70$/m);
  });
});
