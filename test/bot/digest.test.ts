/**
 * The manager digest through `tally serve`'s composition (real Bolt app, fake Slack, signed
 * requests) on SQLite and PostgreSQL: `/tally digest` is role-checked, the digest goes to the
 * digest channels only, leads with totals by severity and value at risk, links the oldest and
 * most valuable exceptions to their messages, has one section per team, and its thread gets
 * the 30-day trend chart as a PNG uploaded with files.uploadV2.
 */
import { appendFileSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifyRun } from '../../bot/notify.ts';
import { dayIn } from '../../bot/digest/index.ts';
import { loadRulesetOrThrow } from '../../engine/core/rules/load.ts';
import type { Ruleset } from '../../engine/core/rules/types.ts';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import { ownerOf } from '../../engine/services/impact/labels.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { serve, type Served } from '../../server/serve.ts';
import { digestTimezone } from '../../cli/commands/serve.ts';
import { FakeSlack } from '../fakes/slack-api.ts';
import { callProblems } from '../support/block-kit.ts';
import { testDatabases } from '../support/databases.ts';
import { send, signedRequest, slashCommandBody } from '../support/slack-signing.ts';
import { keyResult, runResult } from '../storage/fixtures.ts';
import { until } from './harness.ts';

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
};

/** Ten open exceptions: ages 18 h to 9 d 18 h, values rising with the index, two critical oversells. */
function results() {
  return Array.from({ length: 10 }, (_, i) => {
    const oversell = i < 2;
    const k = keyResult({
      sku: `SKU-${i}`,
      location: i % 2 ? 'WH-WEST' : 'WH-EAST',
      source: oversell ? 'shop' : 'wms-east',
      cause: oversell ? 'OVERSELL_RISK' : 'UNRECORDED_SHRINKAGE',
      severity: oversell ? 'critical' : 'medium',
      variance: -(i + 1) * 100,
      valueAtRisk: (i + 1) * 1000.25,
    });
    return k;
  });
}

describe.each(testDatabases())('manager digest on $name', (engine) => {
  let db: Db;
  let fake: FakeSlack;
  let served: Served;
  let ruleset: Ruleset;
  const logs: string[] = [];

  beforeAll(async () => {
    db = await engine.open();
    fake = new FakeSlack({ channels: CHANNELS });
    await fake.start();
    ruleset = await loadRulesetOrThrow('rules');
    const owners = (k: Parameters<typeof ownerOf>[1]) => ownerOf(ruleset, k);
    // each exception opened on its own day, the oldest ten days ago
    const all = results();
    for (let day = 0; day < all.length; day++) {
      // six hours short of whole days, so no age sits on the three-day aging line
      const asOf = new Date(Date.now() - (10 - day) * 86_400_000 + 6 * 3_600_000).toISOString();
      await persistRun(db, runResult({ runId: `r${day}`, asOf, results: all.slice(0, day + 1) }), {
        owners,
      });
    }
    // KPI snapshots of the days before: accuracy climbing, open exceptions growing
    for (let d = 5; d >= 1; d--) {
      const to = new Date(Date.now() - d * 86_400_000);
      await db('kpi_snapshots').insert({
        taken_at: to.toISOString(),
        period_from: new Date(to.getTime() - 86_400_000).toISOString(),
        period_to: to.toISOString(),
        group_by: 'owner',
        payload: JSON.stringify({ total: { accuracyPct: 95 + d / 2, openAtClose: 10 - d } }),
      });
    }
    served = await serve({
      db,
      ruleset,
      port: 0,
      slack: { token: 'xoxb-test', signingSecret: 'sign', slackApiUrl: fake.url },
      digestCron: '0 8 * * *',
      digestTimezone: 'Europe/Berlin',
      reminderHours: 24,
      log: (l) => logs.push(l),
    });
    await notifyRun(db, served.ruleset, { runId: 'r9' });
    await until(
      async () => (await db('exceptions').whereNull('slack_ts').count({ n: '*' }))[0]!.n == 0,
      'exception messages delivered',
    );
  }, 60_000);
  afterAll(async () => {
    await served.stop();
    await fake.stop();
    await engine.close();
  });

  const slash = (userId: string) =>
    send(
      `${served.url}/slack/events`,
      signedRequest(
        'sign',
        slashCommandBody({
          userId,
          channel: 'C0MGRS',
          text: 'digest',
          responseUrl: fake.responseUrl(`${userId}-digest`),
        }),
      ),
    );
  const answers = () =>
    fake.calls.filter((c) => c.method === 'response_url').map((c) => String(c.args.text));
  const digests = (channel: string) =>
    fake.channelMessages(channel).filter((m) => m.metadata?.event_type === 'tally_digest');

  it('refuses /tally digest to someone without an approver role, and posts nothing', async () => {
    await slash('U0NOBODY01');
    await until(async () => answers().some((t) => /Only approvers/.test(t)), 'refusal');
    expect(digests('C0MGRS')).toHaveLength(0);
    const denied = await db('audit_log').where({ action: 'slack.denied.digest' });
    expect(denied).toHaveLength(1);
  });

  it('posts the digest now for an approver of one location, to the digest channels only', async () => {
    await slash('U0EASTLEAD1');
    // the answer comes once both digests are delivered (one a second per channel) and charted
    const answer = await until(
      async () => answers().find((t) => /^Digest queued/.test(t)),
      'ok',
      1200,
    );
    expect(answer).toBe(
      'Digest queued for C0MGRS, C0FINMGR; the trend chart follows in its thread.',
    );
    await until(async () => digests('C0MGRS').length === 1, 'digest in C0MGRS');
    for (const team of ['C0EAST', 'C0WEST', 'C0ECOM', 'C0CTRL'])
      expect(digests(team)).toHaveLength(0);
    expect(logs).toContain(
      'digest: left out (no digestChannel in owners.yaml): ecommerce-ops, loss-prevention',
    );
  });

  it('leads with totals by severity and value at risk, links the oldest and most valuable', async () => {
    const [digest] = digests('C0MGRS');
    const blocks = digest!.blocks as {
      type: string;
      text?: { text: string };
      fields?: { text: string }[];
    }[];
    expect(blocks[0]!.text!.text).toBe(
      `Tally daily digest · ${dayIn(new Date(), 'Europe/Berlin')}`,
    );
    // east-ops (WH-EAST, indexes 2,4,6,8) and west-ops (WH-WEST, 3,5,7,9) report to
    // #inv-managers; the two oversells went to ecommerce-ops, which has no digest channel
    const value = [3, 4, 5, 6, 7, 8, 9, 10].reduce((n, i) => n + i * 1000.25, 0);
    expect(value).toBe(52013);
    expect(blocks[1]!.text!.text).toBe('*8 open exceptions* · *$52,013.00* at risk');
    expect(blocks[1]!.fields!.map((f) => f.text)).toEqual([
      '*:red_circle: Critical*\n0 · $0.00',
      '*:large_orange_circle: High*\n0 · $0.00',
      '*:large_yellow_circle: Medium*\n8 · $52,013.00',
      '*:white_circle: Low*\n0 · $0.00',
    ]);
    const text = JSON.stringify(blocks);
    const oldest = blocks.find((b) => b.text?.text.startsWith('*Oldest open*'))!.text!.text;
    const lines = oldest.split('\n').slice(1);
    expect(lines).toHaveLength(5);
    const east = await db('exceptions').where({ sku: 'SKU-2' }).first();
    expect(lines[0]).toBe(
      `:large_yellow_circle: <https://tally-test.slack.com/archives/C0EAST/p${String(east.slack_ts).replace('.', '')}|#${east.id} SKU-2 at WH-EAST> · unrecorded shrinkage · *$3,000.75* · 7d 18h · east-ops`,
    );
    const valuable = blocks.find((b) => b.text?.text.startsWith('*Most valuable open*'))!.text!
      .text;
    expect(valuable.split('\n')[1]).toContain(
      'SKU-9 at WH-WEST> · unrecorded shrinkage · *$10,002.50*',
    );
    for (const team of ['east-ops', 'west-ops', 'inventory-control', 'store-ops'])
      expect(text).toContain(`"*${team}* · `);
    expect(text).toContain(
      '*west-ops* · 4 open (2 over 3 days) · *$28,007.00* at risk · mostly unrecorded shrinkage',
    );
    expect(text).not.toContain('ecommerce-ops');
    expect(text).toContain('*Accuracy · exception rate*\\n');
    expect(text).not.toContain(' · accuracy ');
  });

  it('uploads the 30-day trend chart as a PNG into the digest thread', async () => {
    const [digest] = digests('C0MGRS');
    const file = await until(
      async () => fake.sharedFiles('C0MGRS').find((f) => f.threadTs === digest!.ts),
      'chart upload',
    );
    expect(file.filename).toMatch(/^tally-trend-\d{4}-\d{2}-\d{2}\.png$/);
    expect(file.altText).toMatch(/accuracy/i);
    const png = FakeSlack.png(file)!;
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(1000); // width, drawn at 2×
    const methods = fake.calls.map((c) => c.method);
    expect(methods).toContain('files.getUploadURLExternal');
    expect(methods).toContain('files.completeUploadExternal');
  });

  it('sent nothing Block Kit would refuse', () => {
    expect(callProblems(fake.calls)).toEqual([]);
  });
});

describe('digest time zone', () => {
  it('reads Owners digest.cron and digest.timezone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-digest-rules-'));
    cpSync('rules', dir, { recursive: true });
    appendFileSync(
      join(dir, 'owners.yaml'),
      "\ndigest: { cron: '30 7 * * 1-5', timezone: Asia/Tokyo }\n",
    );
    const ruleset = await loadRulesetOrThrow(dir);
    expect(ruleset.digest).toMatchObject({ cron: '30 7 * * 1-5', timezone: 'Asia/Tokyo' });
  });

  it('names the day in the schedule time zone and refuses a zone that does not exist', () => {
    expect(dayIn(new Date('2026-11-10T23:30:00Z'), 'Asia/Tokyo')).toBe('2026-11-11');
    expect(dayIn(new Date('2026-11-10T23:30:00Z'))).toBe('2026-11-10');
    expect(digestTimezone({ TALLY_DIGEST_TIMEZONE: 'Europe/Berlin' })).toBe('Europe/Berlin');
    expect(digestTimezone({})).toBeUndefined();
    expect(() => digestTimezone({ TALLY_DIGEST_TIMEZONE: 'Mars/Olympus' })).toThrow(
      /TALLY_DIGEST_TIMEZONE="Mars\/Olympus" is not a time zone/,
    );
  });
});
