/**
 * What the live ledger did not take of a delivery is told to its sender, never dropped in
 * silence: an event at a location the rules do not map, of a sku neither an item nor an alias,
 * from a status without a bucket, or whose id the source already gave (in the data folder).
 * The answer still says 200 (the record is kept with the received ones, and a rule fix takes it
 * at the next start); its `problems` name each one, and `tally serve` logs them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../engine/services/store/db.ts';
import { LiveLedger } from '../../server/live.ts';
import { testDatabases } from '../support/databases.ts';
import { DEMO_RULES } from '../support/engine/demo-rules.ts';
import { buildRuleset } from '../support/engine/ruleset.ts';
import { ITEMS, baseline, event } from '../support/engine/scenario.ts';
import { NOW, postGeneric, shipment, startRealtime } from './support.ts';

/** The support's WMS shipment of SKU-2 at WH-EAST, with some fields changed. */
const shipmentWith = (id: string, over: Record<string, unknown> = {}) => ({
  ...shipment(id),
  ...over,
});

describe.each(testDatabases())(
  'what a delivery held and the ledger kept out, on $name',
  (engine) => {
    let db: Db;
    let rt: Awaited<ReturnType<typeof startRealtime>>;
    const logged: string[] = [];
    beforeAll(async () => {
      db = await engine.open();
      rt = await startRealtime(db, { log: (line) => logged.push(line) });
    });
    afterAll(async () => {
      await rt.stop();
      await engine.close();
    });

    it('names each event the normalization kept out, and takes the good one beside them', async () => {
      const res = await postGeneric(rt.served.url, {
        events: [
          shipmentWith('K1', { location: 'NOWHERE-9' }),
          shipmentWith('K2', { sku: 'NO-SUCH-SKU' }),
          shipmentWith('K3', { fromStatus: 'WEIRD' }),
          shipmentWith('K4'),
        ],
      });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ ok: true, received: 4, fresh: 4 });
      expect(res.json.problems).toEqual([
        expect.stringMatching(
          /^wms-east: location "NOWHERE-9" is not mapped .*\(UNKNOWN_LOCATION\)$/,
        ),
        expect.stringMatching(
          /^wms-east: status "WEIRD" has no bucket for wms-east \(UNKNOWN_STATUS\)$/,
        ),
        // a sku the item master does not know waited for it: settled last
        expect.stringMatching(
          /^wms-east: sku "NO-SUCH-SKU" is neither an item nor an alias \(UNKNOWN_SKU\)$/,
        ),
      ]);
      // the good one is in the ledger
      const stored = await db('events').where({ source: 'wms-east' }).pluck('source_event_id');
      expect(stored).toEqual(['K4']);
      expect(logged.filter((l) => l.includes('not taken')).length).toBe(3);
    });

    it('says nothing more for a delivery it took whole', async () => {
      const res = await postGeneric(rt.served.url, { events: [shipmentWith('K5')] });
      expect(res.json).toMatchObject({ ok: true, fresh: 1 });
      expect(res.json).not.toHaveProperty('problems');
    });

    it('keeps no finding once told: each live run counts its own, and memory stays flat', async () => {
      const held = rt.served.live.findingsHeld;
      const runs: string[] = [];
      for (let i = 0; i < 20; i++) {
        const res = await postGeneric(rt.served.url, {
          events: [shipmentWith(`M${i}`, { location: 'NOWHERE-9' }), shipmentWith(`G${i}`)],
        });
        expect(res.json.problems).toHaveLength(1);
        runs.push(String(res.json.runId));
      }
      expect(rt.served.live.findingsHeld).toBe(held);
      // the runs of the deliveries above, each counting the one record it kept out
      const counts = await db('runs').whereIn('id', runs).pluck('findings_count');
      expect(counts.map(Number)).toEqual(new Array(20).fill(1));
    });
  },
);

describe.each(testDatabases())('an event the data folder already gave, on $name', (engine) => {
  afterAll(() => engine.close());

  it('is told as already in the ledger, not counted twice', async () => {
    const db = await engine.open();
    const ruleset = buildRuleset({ items: ITEMS, rules: DEMO_RULES });
    const fromFiles = event({
      source: 'wms-east',
      type: 'shipment',
      sourceEventId: 'WMS-9',
      fromStatus: 'AVAILABLE',
    });
    const live = new LiveLedger({
      db,
      ruleset,
      seed: (intake) => {
        baseline(intake, Object.keys(ITEMS));
        intake.event({ ...fromFiles, origin: { file: 'wms-east/transactions.csv', line: 2 } });
      },
      now: () => NOW,
      notify: async () => 0,
    });
    await live.load();
    const accepted = await live.accept({ events: [fromFiles], positions: [] });
    expect(accepted).toMatchObject({ fresh: 1 });
    expect(accepted.problems).toEqual([
      expect.stringMatching(/^1 event\(s\) already in the ledger under the same source event id/),
    ]);
  });
});
