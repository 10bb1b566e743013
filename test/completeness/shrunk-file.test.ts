/**
 * A snapshot export cut short on a line boundary (a paging job that stopped) has nothing wrong
 * in it a reader could refuse: its missing rows just are not there. A saved run compares each
 * snapshot file's row count with the run before's and says so when it read half or fewer: a run
 * finding, posted to the source's owner, and `tally run` exits 5 unless --allow-partial.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileFolder } from '../../server/pipeline.ts';
import { saveRunWithMessages } from '../../server/save-run.ts';
import { runFolder } from '../../server/run-folder.ts';
import { loadRulesetOrThrow } from '../../engine/core/rules/load.ts';
import { exitCodeOf } from '../../cli/commands/run.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { testDatabases } from '../support/databases.ts';
import { AS_OF, ERP_SOURCE, WMS_SOURCE, erpBin, sources, world } from './world.ts';

const SKUS = Array.from({ length: 120 }, (_, i) => `SKU-${i + 1}`);
const items =
  'item_code,item_group,stock_uom,valuation_rate\n' +
  SKUS.map((s) => `${s},apparel,Each,1.00`).join('\n') +
  '\n';
const opening =
  'Item,Bin,Status,Qty,UOM,SnapshotTime\n' +
  SKUS.map((s) => `${s},WH-EAST-A-01,AVAILABLE,10,EA,2026-11-14 18:00`).join('\n') +
  '\n';
const w = world(sources(ERP_SOURCE, WMS_SOURCE), {
  'erp/items.csv': items,
  'wms-east/opening.csv': opening,
});
const bin = (n: number) =>
  writeFileSync(join(w.data, 'erp/bin.csv'), erpBin(SKUS.slice(0, n).map((s) => [s, '10'])));

const folders = { rulesDir: w.rules, dataDir: w.data };
const ruleset = await loadRulesetOrThrow(w.rules);

const saveRun = async (db: Db) => {
  const { run, ruleset } = await reconcileFolder({
    rulesDir: w.rules,
    dataDir: w.data,
    asOf: AS_OF,
  });
  await saveRunWithMessages(db, run, ruleset);
  return run;
};

describe.each(testDatabases())('a snapshot file cut short, on $name', (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await engine.open();
  });
  afterAll(() => engine.close());

  it('is a run finding when it reads half the rows of the run before or fewer', async () => {
    bin(120);
    const whole = await saveRun(db);
    expect(whole.runFindings).toEqual([]);

    bin(60);
    const cut = await saveRun(db);
    expect(cut.runFindings).toEqual([
      expect.objectContaining({
        code: 'FILE_SHRANK',
        source: 'erp',
        file: 'erp/bin.csv',
        message: expect.stringMatching(/^60 rows read, half or fewer of the 120 the run as of /),
      }),
    ]);
    expect(exitCodeOf(cut, { allowPartial: false, failOn: undefined })).toBe(5);
    const stored = await db('runs').where({ id: cut.runId }).first('run_findings');
    expect(JSON.parse(stored.run_findings)).toEqual(cut.runFindings);

    // more than half of the run before's (now 60): nothing to say
    bin(40);
    expect((await saveRun(db)).runFindings).toEqual([]);
  });

  it("is found by tally serve's runs too, those that queue no message", async () => {
    const queued = async () => Number((await db('outbox').count({ n: '*' }).first())!.n);
    const before = await queued();
    bin(120);
    expect((await runFolder(db, ruleset, folders, new Date(), false)).findings).toBe(0);
    bin(50);
    const cut = await runFolder(db, ruleset, folders, new Date(), false);
    expect(cut.findings).toBe(1);
    const stored = await db('runs').where({ id: cut.runId }).first('run_findings');
    expect(JSON.parse(stored.run_findings)).toEqual([
      expect.objectContaining({ code: 'FILE_SHRANK', file: 'erp/bin.csv' }),
    ]);
    // no message was queued, the finding's included
    expect(await queued()).toBe(before);
  });
});
