/**
 * `tally pilot compare` against stored runs on both engines: a team's hand-kept list (CSV and
 * the same rows in an XLSX) with known overlaps gives the expected three-way split, a SKU Tally
 * does not know, a location nobody declared, and a malformed row reported with its line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBaseline } from '../../connectors/baseline/index.ts';
import { loadRulesetOrThrow } from '../../engine/core/rules/load.ts';
import type { Ruleset } from '../../engine/core/rules/types.ts';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import { comparePilot } from '../../engine/services/pilot/compare.ts';
import { renderCompareHtml } from '../../engine/services/pilot/html.ts';
import type { CompareReport } from '../../engine/services/pilot/types.ts';
import { insertSnapshot } from '../../engine/services/store/ledger.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { renderCompareText } from '../../cli/render/pilot-compare.ts';
import { testDatabases } from '../support/databases.ts';
import { keyResult, runResult } from '../storage/fixtures.ts';

const FIXTURES = new URL('../fixtures/pilot/', import.meta.url).pathname;
const CSV = `${FIXTURES}team-discrepancies-2026-11-30.csv`;
const XLSX = `${FIXTURES}team-discrepancies-2026-11-30.xlsx`;
const comparedBy = ['WH-EAST', 'WH-WEST', 'STORE-NYC', 'STORE-SF'].map((location) => ({
  location,
  source: 'erp',
  compared: 40,
}));

/** Two nightly runs: the 29th raised SKU-00022, the 30th (the team's as-of) no longer has it. */
async function storeRuns(db: Db): Promise<void> {
  const owners = () => 'inventory-control';
  await persistRun(
    db,
    runResult({
      runId: 'run-2026-11-29',
      asOf: '2026-11-29T23:30:00.000Z',
      comparedBy,
      results: [keyResult({ sku: 'SKU-00022', location: 'WH-EAST', variance: -5 })],
    }),
    { owners },
  );
  await persistRun(
    db,
    runResult({
      runId: 'run-2026-11-30',
      asOf: '2026-11-30T23:30:00.000Z',
      comparedBy,
      results: [
        keyResult({
          sku: 'SKU-00011',
          location: 'WH-EAST',
          variance: -12,
          valueAtRisk: 120.5,
          severity: 'high',
        }),
        keyResult({
          sku: 'SKU-00012',
          location: 'STORE-NYC',
          source: 'pos',
          variance: -3,
          valueAtRisk: 45,
          cause: 'UNRECORDED_SHRINKAGE',
        }),
        // the same problem seen from the ERP: one finding, its value counted once
        keyResult({
          sku: 'SKU-00012',
          location: 'STORE-NYC',
          source: 'erp',
          variance: -3,
          valueAtRisk: 45,
          cause: 'UNRECORDED_SHRINKAGE',
        }),
        keyResult({
          sku: 'SKU-00013',
          location: 'WH-WEST',
          source: '3pl-west',
          variance: -5,
          valueAtRisk: 60,
          cause: 'DUPLICATE_EVENT',
        }),
        keyResult({
          sku: 'SKU-00014',
          location: 'WH-EAST',
          variance: 40,
          valueAtRisk: 800,
          cause: 'PHANTOM_STOCK',
          severity: 'critical',
        }),
        keyResult({
          sku: 'SKU-00015',
          location: 'STORE-SF',
          source: 'shop',
          variance: 6,
          valueAtRisk: 90.1,
          cause: 'OVERSELL_RISK',
          severity: 'high',
        }),
        keyResult({
          sku: 'SKU-00021',
          location: 'WH-WEST',
          bucket: 'in_transit',
          variance: -24,
          valueAtRisk: 240,
          explained: 'IN_TRANSIT_WINDOW',
        }),
      ],
    }),
    { owners },
  );
  // SKU-00023 matched: Tally knows it from the stored positions of the live ledger
  await insertSnapshot(db, { source: 'pos', asOf: '2026-11-30T23:00:00.000Z' }, [
    {
      source: 'pos',
      sku: 'SKU-00023',
      location: 'STORE-SF',
      bucket: 'sellable',
      quantity: 9,
      rawStatus: 'on_hand',
      asOf: '2026-11-30T23:00:00.000Z',
    },
  ]);
}

const keys = (items: { sku: string; location: string }[]) =>
  items.map((i) => `${i.sku}@${i.location}`).sort();

function expectSplit(r: CompareReport): void {
  expect(r.run.id).toBe('run-2026-11-30');
  expect(keys(r.both.map((b) => b.tally))).toEqual([
    'SKU-00011@WH-EAST',
    'SKU-00012@STORE-NYC',
    'SKU-00013@WH-WEST',
  ]);
  expect(keys(r.tallyOnly)).toEqual(['SKU-00014@WH-EAST', 'SKU-00015@STORE-SF']);
  expect(
    Object.fromEntries(r.teamOnly.map((t) => [`${t.team.sku}@${t.team.location}`, t.why])),
  ).toEqual({
    'SKU-00021@WH-WEST': 'explained',
    'SKU-00022@WH-EAST': 'resolved earlier',
    'SKU-00023@STORE-SF': 'within tolerance',
    'SKU-99999@WH-EAST': 'unknown sku',
    'SKU-00011@Backroom': 'unknown location',
  });
  const agreement = Object.fromEntries(r.both.map((b) => [b.tally.sku, b.agreement]));
  expect(agreement).toEqual({
    'SKU-00011': 'agree',
    'SKU-00012': 'differ',
    'SKU-00013': 'no reason',
  });
  expect(r.baseline.problems).toEqual([
    { file: r.baseline.file, line: 9, reason: '"n/a" in Diff is not a number' },
  ]);
  expect(r.baseline.rows).toBe(8);
  const byKey = new Map(r.teamOnly.map((t) => [t.team.sku, t]));
  expect(byKey.get('SKU-00021')!.saw).toMatch(
    /IN_TRANSIT_WINDOW by rule in-transit-within-window \(.*classification\.yaml:\d+\)/,
  );
  expect(byKey.get('SKU-00022')!.team.written).toEqual({
    sku: 'SKU-00022',
    location: 'WH-EAST-A-07',
  });
  expect(byKey.get('SKU-00022')!.saw).toMatch(
    /raised as exception #\d+ \(MISSING_POSTING\) and resolved/,
  );
  const lax = r.both.find((b) => b.tally.sku === 'SKU-00013')!;
  expect(lax.team.written).toEqual({ sku: 'SKU-00013', location: 'LAX1' });
  const s = r.summary;
  expect([s.teamItems, s.tallyItems, s.both, s.tallyOnly, s.teamOnly]).toEqual([8, 5, 3, 2, 5]);
  // exact cents: 120.50 + 45.00 + 60.00 shared; 800.00 + 90.10 Tally's own; 240.00 explained
  expect(s.valueMinor).toEqual({ both: 22_550, tallyOnly: 89_010, teamOnlyKnown: 24_000 });
  expect(s.valueCoveredPct).toBe(48.4);
  expect(s.unvaluedTeamItems).toBe(4);
  expect(s.noLongerByHand).toEqual({ total: 4, raised: 3, explained: 1 });
  expect(r.tallyOnly[0]).toMatchObject({
    sku: 'SKU-00014',
    severity: 'critical',
    quantities: { erp: 140, wms: 100 },
    expected: 100,
  });
}

for (const engine of testDatabases()) {
  describe(`tally pilot compare (${engine.name})`, () => {
    let db: Db;
    let ruleset: Ruleset;
    beforeAll(async () => {
      db = await engine.open();
      ruleset = await loadRulesetOrThrow('rules');
      await storeRuns(db);
    });
    afterAll(() => engine.close());

    it('splits the CSV list three ways, with what Tally saw for the team-only keys', async () => {
      const r = await comparePilot(db, ruleset, readBaseline(CSV), { asOf: '2026-11-30' });
      expectSplit(r);
      const text = renderCompareText(r);
      expect(text).toContain('found only by the team');
      expect(text).toContain(`${CSV}:9: "n/a" in Diff is not a number`);
      expect(text.split('\n').filter((l) => l.length > 80 && !l.includes(CSV))).toEqual([]);
      const html = renderCompareHtml(r);
      expect(html).toMatch(/^<!doctype html>/);
      expect(html).toContain('<svg');
      expect(html).not.toMatch(/<script|<link|src=/);
    });

    it('reads the same rows from the XLSX sheet, at the same lines', async () => {
      const r = await comparePilot(db, ruleset, readBaseline(XLSX, { sheet: 'Nov counts' }), {
        asOf: '2026-11-30T23:59:00Z',
      });
      expectSplit(r);
    });

    it('compares with the run as of the date asked for', async () => {
      const r = await comparePilot(db, ruleset, readBaseline(CSV), { asOf: '2026-11-29' });
      expect(r.run.id).toBe('run-2026-11-29');
      expect(keys(r.both.map((b) => b.tally))).toEqual(['SKU-00022@WH-EAST']);
    });
  });
}

describe('reading a team list', () => {
  it('names the header it could not map, with the line', () => {
    expect(() => readBaseline(XLSX)).toThrow(
      /team-discrepancies-2026-11-30\.xlsx:1: no sku or location column \(header: "Counts by the floor team, checked by ana"\); name the columns with --columns/,
    );
  });

  it('takes a mapping like a connector’s columns', () => {
    const b = readBaseline(CSV, {
      columns: { sku: 'Item Code', location: 'Site', quantity: 'Counted' },
    });
    expect(b.columns).toMatchObject({
      sku: 'Item Code',
      location: 'Site',
      quantity: 'Counted',
      variance: 'Diff',
    });
    expect(b.rows[0]).toMatchObject({ line: 2, sku: 'SKU-00011', variance: -12, quantity: 88 });
  });
});
