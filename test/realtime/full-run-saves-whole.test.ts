/**
 * A full run inside `tally serve` (scheduled, `/tally run`) saves as `tally run` does: the run,
 * its exceptions and the Slack messages of what it changed in one transaction. A run whose
 * messages cannot be queued is not saved, so no exception is left without its message.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECTORS } from '../../connectors/registry.ts';
import { generateDemo, type DemoResult } from '../../demo/index.ts';
import { loadRulesetOrThrow } from '../../engine/core/rules/load.ts';
import type { Ruleset } from '../../engine/core/rules/types.ts';
import { dialectOf } from '../../engine/services/store/db.ts';
import { runFolder } from '../../server/run-folder.ts';
import { testDatabases } from '../support/databases.ts';

const NOW = new Date('2026-11-22T00:00:00Z');
let dir: string;
let demo: DemoResult;
let ruleset: Ruleset;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tally-run-whole-'));
  demo = await generateDemo({ dir });
  ruleset = await loadRulesetOrThrow(demo.rulesDir, {
    knownConnectors: CONNECTORS.map((c) => c.id),
  });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(testDatabases())('a full run in tally serve on $name', (engine) => {
  afterAll(() => engine.close());

  it('queues its messages in the save: all of them, or nothing saved', async () => {
    const db = await engine.open();
    const folders = { rulesDir: demo.rulesDir, dataDir: demo.dataDir };
    // the outbox refuses every row, as a full disk or a broken constraint would
    if (dialectOf(db) === 'pg') {
      await db.raw(
        "CREATE FUNCTION refuse_outbox() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'outbox refused'; END $$ LANGUAGE plpgsql",
      );
      await db.raw(
        'CREATE TRIGGER refuse_outbox BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION refuse_outbox()',
      );
    } else {
      await db.raw(
        "CREATE TRIGGER refuse_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'outbox refused'); END",
      );
    }
    await expect(runFolder(db, ruleset, folders, NOW)).rejects.toThrow(/outbox refused/);
    expect(Number((await db('runs').count({ n: '*' }))[0]!.n)).toBe(0);
    expect(Number((await db('exceptions').count({ n: '*' }))[0]!.n)).toBe(0);

    // with the outbox working again, the same run saves with every message
    await db.raw('DROP TRIGGER refuse_outbox' + (dialectOf(db) === 'pg' ? ' ON outbox' : ''));
    const run = await runFolder(db, ruleset, folders, NOW);
    const exceptions = Number((await db('exceptions').count({ n: '*' }))[0]!.n);
    expect(run.opened).toBe(exceptions);
    expect(exceptions).toBeGreaterThan(0);
    const queued = Number((await db('outbox').count({ n: '*' }))[0]!.n);
    // every exception's message (and a finding's, were there one), some with routed copies
    expect(run.notified).toBe(exceptions + run.findings);
    expect(queued).toBeGreaterThanOrEqual(run.notified);
  });
});
