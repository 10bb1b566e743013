/**
 * A full run of the data folder inside `tally serve` (scheduled, `/tally run`) reads the events
 * received live too: what they raised stays open instead of being resolved by the run and raised
 * again by the next live event.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECTORS } from '../../connectors/registry.ts';
import { generateDemo, type DemoResult } from '../../demo/index.ts';
import { loadRulesetOrThrow } from '../../engine/core/rules/load.ts';
import type { Ruleset } from '../../engine/core/rules/types.ts';
import { LiveLedger } from '../../server/live.ts';
import { runFolder } from '../../server/run-folder.ts';
import { testDatabases } from '../support/databases.ts';

const NOW = new Date('2026-11-22T00:00:00Z');
let dir: string;
let demo: DemoResult;
let ruleset: Ruleset;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tally-keep-live-'));
  demo = await generateDemo({ dir });
  ruleset = await loadRulesetOrThrow(demo.rulesDir, {
    knownConnectors: CONNECTORS.map((c) => c.id),
  });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A sale at the NYC store's till, half an hour after the nightly snapshot. */
const sale = {
  source: 'pos',
  sourceEventId: 'NYC-LIVE-1',
  type: 'shipment' as const,
  sku: 'SKU-00026',
  location: 'NYC',
  fromStatus: 'ON_HAND',
  unit: 'each',
  quantity: 1,
  reference: 'POS-NYC-LIVE-1',
  occurredAt: '2026-11-21T23:30:00Z',
};

describe.each(testDatabases())('a full run after live events on $name', (engine) => {
  afterAll(() => engine.close());

  it('keeps the exceptions the live events raised, and resolves nothing', async () => {
    const db = await engine.open();
    const folders = { rulesDir: demo.rulesDir, dataDir: demo.dataDir };
    await runFolder(db, ruleset, folders, NOW, false);
    const live = new LiveLedger({
      db,
      ruleset,
      dataDir: demo.dataDir,
      now: () => NOW,
      notify: async () => 0,
    });
    await live.load();
    const accepted = await live.accept({ events: [sale], positions: [] });
    expect(accepted).toMatchObject({ fresh: 1, keys: 4 });
    const open = async () =>
      (
        (await db('exceptions').whereNot({ state: 'resolved' }).orderBy('id')) as { id: number }[]
      ).map((e) => Number(e.id));
    const afterLive = await open();
    const again = await runFolder(db, ruleset, folders, NOW, false);
    expect(again).toMatchObject({ opened: 0, resolved: 0 });
    expect(await open()).toEqual(afterLive);
  }, 120_000);
});
