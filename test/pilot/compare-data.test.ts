/**
 * `tally pilot compare --data`: the data folder read as of the compared run tells a SKU no
 * source has (unknown) from one Tally compared and found equal (it keeps nothing about those).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataView } from '../../cli/commands/pilot-data.ts';
import { readBaseline } from '../../connectors/baseline/index.ts';
import { generateDemo, type DemoResult } from '../../demo/index.ts';
import { loadRulesetOrThrow } from '../../engine/core/rules/load.ts';
import type { Ruleset } from '../../engine/core/rules/types.ts';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import { ownerOf } from '../../engine/services/impact/labels.ts';
import { comparePilot } from '../../engine/services/pilot/compare.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { reconcileFolder } from '../../server/pipeline.ts';
import { testDatabases } from '../support/databases.ts';

let demo: DemoResult;
let ruleset: Ruleset;
beforeAll(async () => {
  demo = await generateDemo({ dir: mkdtempSync(join(tmpdir(), 'tally-compare-')), skus: 24 });
  ruleset = await loadRulesetOrThrow(demo.rulesDir);
}, 120_000);

for (const engine of testDatabases()) {
  describe(`pilot compare --data (${engine.name})`, () => {
    let db: Db;
    afterAll(() => engine.close());

    it('names the SKU no source has, and what the sources said for one that matched', async () => {
      db = await engine.open();
      const { run } = await reconcileFolder({
        rulesDir: demo.rulesDir,
        dataDir: demo.dataDir,
        asOf: demo.truth.asOf,
      });
      await persistRun(db, run, { owners: (k) => ownerOf(ruleset, k) });
      const raised = new Set(run.results.map((r) => r.sku));
      const quiet = Array.from(
        { length: 24 },
        (_, i) => `SKU-${String(i + 1).padStart(5, '0')}`,
      ).find((s) => !raised.has(s))!;
      const file = join(demo.dir, 'team.csv');
      writeFileSync(
        file,
        `SKU,Warehouse,Variance,Reason\n${quiet},WH-EAST,-2,recount\nSKU-77777,WH-EAST,-4,new item?\n`,
      );
      const data = (r: { asOf: string }) => dataView(ruleset, demo.dataDir, r.asOf);
      const report = await comparePilot(db, ruleset, readBaseline(file), { data });
      const why = Object.fromEntries(report.teamOnly.map((t) => [t.team.sku, t]));
      expect(why[quiet]!.why).toBe('within tolerance');
      expect(why[quiet]!.saw).toMatch(/equal to the ledger in every bucket|vs expected/);
      expect(why['SKU-77777']!.why).toBe('unknown sku');
      expect(why['SKU-77777']!.saw).toMatch(/no source reports it in the data folder/);
      // without the data folder the matched SKU leaves no trace in the database
      const blind = await comparePilot(db, ruleset, readBaseline(file));
      expect(blind.teamOnly.map((t) => t.why)).toEqual(['unknown sku', 'unknown sku']);
    }, 120_000);
  });
}
