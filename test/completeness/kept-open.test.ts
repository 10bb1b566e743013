/**
 * A saved run resolves an open exception only where it made that exception's comparison again.
 * A run whose source sent nothing at the key (its file missing) or whose row for the key was
 * refused cannot say the difference went away: the exception stays as it was, and the save
 * counts it. Before, such a run resolved it by absence, so a missing export closed real
 * exceptions without anyone looking. The world is hand-written (world.ts); the runs are saved
 * as `tally run` saves them, on SQLite and PostgreSQL.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileFolder } from '../../server/pipeline.ts';
import { saveRunWithMessages } from '../../server/save-run.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { testDatabases } from '../support/databases.ts';
import {
  AS_OF,
  ERP_SOURCE,
  ITEMS,
  WMS_OPENING,
  WMS_SOURCE,
  erpBin,
  sources,
  world,
} from './world.ts';

/** The ledger (the WMS opening) holds SKU-1 22 and SKU-2 1,032 at WH-EAST. */
const w = world(sources(ERP_SOURCE, WMS_SOURCE), {
  'erp/items.csv': ITEMS,
  'wms-east/opening.csv': WMS_OPENING,
});
const bin = join(w.data, 'erp/bin.csv');

const saveRun = async (db: Db) => {
  const { run, ruleset } = await reconcileFolder({
    rulesDir: w.rules,
    dataDir: w.data,
    asOf: AS_OF,
  });
  return { run, saved: await saveRunWithMessages(db, run, ruleset) };
};

describe.each(testDatabases())('exceptions a run did not compare, on $name', (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await engine.open();
  });
  afterAll(() => engine.close());

  const sku1 = () =>
    db('exceptions').where({ sku: 'SKU-1', location: 'WH-EAST', source: 'erp' }).first();

  it('stay open through a refused row and a missing file, and resolve once compared and equal', async () => {
    // the ERP has 2 of SKU-1 fewer than the ledger: an exception
    writeFileSync(
      bin,
      erpBin([
        ['SKU-1', '20'],
        ['SKU-2', '1032'],
      ]),
    );
    const first = await saveRun(db);
    expect(first.saved.summary.opened).toHaveLength(1);
    const opened = await sku1();
    expect(opened.state).toBe('open');

    // its row refused (a quantity that is no number): the key is incomplete, not equal
    writeFileSync(
      bin,
      erpBin([
        ['SKU-1', 'twenty'],
        ['SKU-2', '1032'],
      ]),
    );
    const refused = await saveRun(db);
    expect(refused.run.notCompared.map((n) => [n.source, n.sku, n.reason])).toEqual([
      ['erp', 'SKU-1', 'rejected_rows'],
    ]);
    expect(refused.saved.summary.resolved).toEqual([]);
    expect(refused.saved.summary.notCompared).toEqual([opened.id]);
    expect((await sku1()).state).toBe('open');

    // the whole file missing: the ERP compares nothing at WH-EAST
    rmSync(bin);
    const missing = await saveRun(db);
    expect(missing.run.runFindings.map((f) => f.code)).toContain('FILE_NOT_READ');
    expect(missing.saved.summary.resolved).toEqual([]);
    expect(missing.saved.summary.notCompared).toEqual([opened.id]);
    expect((await sku1()).state).toBe('open');
    const audit = await db('audit_log')
      .where({ action: 'run.persisted', entity_id: missing.run.runId })
      .first();
    expect(JSON.parse(audit.after).keptOpenNotCompared).toBe(1);

    // compared again and equal: now it is gone
    writeFileSync(
      bin,
      erpBin([
        ['SKU-1', '22'],
        ['SKU-2', '1032'],
      ]),
    );
    const equal = await saveRun(db);
    expect(equal.saved.summary.resolved).toEqual([opened.id]);
    expect(equal.saved.summary.notCompared).toEqual([]);
    expect((await sku1()).state).toBe('resolved');
  });
});
