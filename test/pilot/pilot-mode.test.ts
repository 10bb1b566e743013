/**
 * Pilot mode through `tally serve` as composed (real Bolt app, fake Slack, a generated demo
 * folder, scheduled jobs fired like cron ticks): everything in pilot posts nothing to owner
 * channels and exactly one pilot report; a location in pilot keeps only its own exceptions out.
 */
import { appendFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo, type DemoResult } from '../../demo/index.ts';
import { startServe, type Composed } from '../../server/index.ts';
import { loadRulesetOrThrow } from '../../engine/core/rules/load.ts';
import { pilotEverything } from '../../engine/core/rules/pilot.ts';
import type { Ruleset } from '../../engine/core/rules/types.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { FakeSlack } from '../fakes/slack-api.ts';
import { testDatabases } from '../support/databases.ts';

const CHANNELS = {
  'inv-control': 'C0CTRL',
  'inv-wh-east': 'C0EAST',
  'inv-wh-west': 'C0WEST',
  'inv-stores': 'C0STORES',
  'inv-ecommerce': 'C0ECOM',
  'inv-finance': 'C0FIN',
  'loss-prevention': 'C0LOSS',
  'inv-managers': 'C0MGRS',
  'finance-managers': 'C0FINMGR',
  'tally-pilot': 'C0PILOT',
};
const PILOT_BLOCK =
  "\npilot:\n  reportChannel: '#tally-pilot'\n  compareReport: https://wiki.example/pilot/compare.html\n";

let demo: DemoResult;
beforeAll(async () => {
  demo = await generateDemo({ dir: mkdtempSync(join(tmpdir(), 'tally-pilot-')), skus: 40 });
  appendFileSync(join(demo.rulesDir, 'owners.yaml'), PILOT_BLOCK);
}, 120_000);

async function serveWith(db: Db, ruleset: Ruleset, fake: FakeSlack): Promise<Composed> {
  return startServe({
    db,
    ruleset,
    rulesDir: demo.rulesDir,
    dataDir: demo.dataDir,
    port: 0,
    slack: { token: 'xoxb-test', signingSecret: 'sign', slackApiUrl: fake.url },
    digestCron: '0 8 * * *',
    reminderHours: 24,
    exportDir: join(demo.dataDir, 'exports'),
    log: () => {},
  });
}

const posts = (fake: FakeSlack) =>
  fake.calls.filter((c) => c.method === 'chat.postMessage' && c.status === 200);

for (const engine of testDatabases()) {
  describe(`pilot mode (${engine.name})`, () => {
    let db: Db;
    let fake: FakeSlack;
    let served: Composed | undefined;
    beforeAll(async () => {
      fake = new FakeSlack({ channels: CHANNELS });
      await fake.start();
    });
    afterAll(async () => {
      await served?.stop();
      await fake.stop();
      await engine.close();
    });

    it('tally serve --pilot: runs and stores, posts nothing to owners and one pilot report', async () => {
      db = await engine.open();
      const ruleset = pilotEverything(await loadRulesetOrThrow(demo.rulesDir));
      served = await serveWith(db, ruleset, fake);
      await served.fire('reconcile:nightly');
      await served.fire('digest');
      await served.fire('reminders');
      await served.worker.drain();
      const stored = await db('exceptions').select('id', 'severity', 'owner', 'slack_ts');
      expect(stored.length).toBeGreaterThan(3);
      expect(stored.every((e) => e.slack_ts === null)).toBe(true);
      expect(posts(fake)).toEqual([]);

      // a report is keyed by its hour: the three fires must fall in one hour (fired at 01:59:30,
      // the third, a minute later, was the next hour's report and posted a second time)
      const now = Date.now();
      const at = new Date(now % 3_600_000 > 3_600_000 - 120_000 ? now + 180_000 : now);
      await served.fire('pilot-report', at);
      await served.fire('pilot-report', at);
      await served.fire('pilot-report', new Date(at.getTime() + 60_000));
      await served.worker.drain();
      const sent = posts(fake);
      expect(sent).toHaveLength(1);
      expect(sent[0]!.args.channel).toBe('C0PILOT');
      const text = JSON.stringify(sent[0]!.args.blocks);
      expect(text).toContain(`Would have posted ${stored.length} exception message(s)`);
      const critical = stored.filter((e) => e.severity === 'critical').length;
      if (critical > 0) expect(text).toContain(`critical *${critical}*`);
      expect(text).toContain('<https://wiki.example/pilot/compare.html|compare report>');
      expect(text).toContain('everything (`tally serve --pilot`)');
      await served.stop();
      served = undefined;
    }, 180_000);

    it('a location in pilot: its exceptions stay out of owner channels, the others are posted', async () => {
      fake.calls.length = 0;
      // the same database as the first case: start from no runs, exceptions or messages
      for (const table of [
        'outbox',
        'exception_history',
        'exceptions',
        'run_results',
        'runs',
        'job_claims',
      ])
        await db(table).del();
      const rulesDir = join(demo.dir, `rules-${engine.name}`);
      cpSync(demo.rulesDir, rulesDir, { recursive: true });
      const mappings = join(rulesDir, 'mappings.yaml');
      writeFileSync(
        mappings,
        readFileSync(mappings, 'utf8').replace(/(- \{ id: WH-EAST, [^}]*)\}/, '$1, pilot: true }'),
      );
      const ruleset = await loadRulesetOrThrow(rulesDir);
      expect([...ruleset.pilot!.locations]).toContain('WH-EAST');
      served = await serveWith(db, ruleset, fake);
      await served.worker.stop(); // what is queued is what would be posted: no need to pace it out
      await served.fire('reconcile:nightly');
      await served.fire('pilot-report');
      const rows = await db('exceptions').select('id', 'location');
      const queued = (await db('outbox').select('outbox_key', 'channel')) as {
        outbox_key: string;
        channel: string;
      }[];
      const about = new Set(queued.map((q) => /^exception:(\d+)/.exec(q.outbox_key)?.[1]));
      const east = rows.filter((r) => r.location === 'WH-EAST');
      const others = rows.filter((r) => r.location !== 'WH-EAST');
      expect(east.length).toBeGreaterThan(0);
      expect(others.length).toBeGreaterThan(0);
      expect(east.filter((r) => about.has(String(r.id)))).toEqual([]);
      expect(others.filter((r) => !about.has(String(r.id)))).toEqual([]);
      const reports = queued.filter((q) => q.outbox_key.startsWith('pilot-report:'));
      expect(reports.map((r) => r.channel)).toEqual(['#tally-pilot']);
      const [report] = await db('outbox').where({ outbox_key: reports[0]!.outbox_key });
      expect(String(report.payload)).toContain(
        `Would have posted ${east.length} exception message(s)`,
      );
      expect(String(report.payload)).toContain('locations WH-EAST');
    }, 180_000);
  });
}
