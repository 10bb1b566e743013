/**
 * `/tally run` through the runNow hook server/ composes (a real run of a generated demo
 * folder, persisted, its messages queued), approvers only; and channel names resolved to ids
 * with conversations.list so the crash-safe history lookup finds a message posted under a name.
 */
import { mkdtempSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../demo/index.ts';
import { channelDirectory, resolveReceivers } from '../../bot/channels.ts';
import { slackSender } from '../../bot/outbox/senders.ts';
import { startServe, type Composed } from '../../server/index.ts';
import { loadRulesetOrThrow } from '../../engine/core/rules/load.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { FakeSlack } from '../fakes/slack-api.ts';
import { send, signedRequest, slashCommandBody } from '../support/slack-signing.ts';
import { sqliteDb } from './db.ts';

async function until<T>(check: () => Promise<T | undefined | false>, what: string, tries = 200) {
  for (let i = 0; i < tries; i++) {
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const CHANNELS = { 'inv-control': 'C0CTRL', 'inv-wh-east': 'C0EAST', 'inv-managers': 'C0MGRS' };

describe('/tally run and channel names', () => {
  let db: Db;
  let fake: FakeSlack;
  let served: Composed;
  let demo: Awaited<ReturnType<typeof generateDemo>>;

  beforeAll(async () => {
    demo = await generateDemo({ dir: mkdtempSync(join(tmpdir(), 'tally-run-')), skus: 40 });
    db = await sqliteDb();
    fake = new FakeSlack({ channels: CHANNELS });
    await fake.start();
    served = await startServe({
      db,
      ruleset: await loadRulesetOrThrow(demo.rulesDir),
      rulesDir: demo.rulesDir,
      dataDir: demo.dataDir,
      port: 0,
      slack: { token: 'xoxb-test', signingSecret: 'sign', slackApiUrl: fake.url },
      digestCron: '0 8 * * *',
      reminderHours: 24,
      exportDir: join(demo.dataDir, 'exports'),
      log: () => {},
    });
  }, 120_000);
  afterAll(async () => {
    await served.stop();
    await fake.stop();
    await db.destroy();
  });

  const slash = (userId: string, text = 'run') =>
    send(
      `${served.url}/slack/events`,
      signedRequest(
        'sign',
        slashCommandBody({
          userId,
          channel: 'C0CTRL',
          text,
          responseUrl: fake.responseUrl(`${userId}-${text}`),
        }),
      ),
    );
  const answers = () =>
    fake.calls.filter((c) => c.method === 'response_url').map((c) => String(c.args.text));

  const finished = () => answers().filter((t) => /^Run \w+ finished/.test(t));

  it('refuses someone with no approver grant anywhere, and starts nothing', async () => {
    await slash('U0NOBODY01');
    await until(async () => answers().some((t) => /Only approvers/.test(t)), 'refusal');
    expect(await db('runs').count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('runs for an approver whose grant names locations (U0EASTLEAD1: WH-EAST)', async () => {
    await slash('U0EASTLEAD1');
    const text = await until(async () => finished()[0], 'the run summary', 600);
    expect(text).toMatch(/new exception\(s\), \d+ resolved, \d+ message\(s\) queued/);
    expect(answers().filter((t) => /Only approvers/.test(t))).toHaveLength(1);
    expect(await db('runs').count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('runs the data folder for an approver of every location and queues the messages', async () => {
    await slash('U0CONTROLLR');
    await until(async () => finished().length === 2, 'the second run summary', 600);
    const runs = await db('runs').select('id', 'mode');
    expect(runs).toHaveLength(2);
    expect(runs.every((r) => r.mode === 'full')).toBe(true);
    const audit = await db('audit_log').where({ action: 'run.requested', actor: 'U0CONTROLLR' });
    expect(audit).toHaveLength(1);
  });

  it('says a run is partial, and what it left as it was, when a file is missing', async () => {
    const inventory = join(demo.dataDir, 'wms-east/inventory.csv');
    renameSync(inventory, `${inventory}.away`);
    try {
      await slash('U0CONTROLLR');
      const text = await until(async () => finished()[2], 'the third run summary', 600);
      expect(text).toMatch(/\n:warning: Partial run, \d+ finding\(s\): .*wms-east/);
      expect(text).toMatch(/\n[1-9]\d* open exception\(s\) left as they were, not resolved/);
    } finally {
      renameSync(`${inventory}.away`, inventory);
    }
  });

  it('/tally sku lists what each source reports for the SKU, and its open exceptions', async () => {
    const exc = (await db('exceptions').first('sku', 'location')) as {
      sku: string;
      location: string;
    };
    await slash('U0NOBODY01', `sku ${exc.sku}`);
    const text = await until(
      async () => answers().find((t) => t.startsWith(`*${exc.sku}*`)),
      'the sku answer',
    );
    expect(text).not.toContain('no positions loaded');
    expect(text).toMatch(new RegExp(`• ${exc.location} \\w+ · \\S+: -?[\\d,]+`));
    const sources = new Set([...text.matchAll(/· (\S+): /g)].map((m) => m[1]));
    expect(sources.size).toBeGreaterThan(1);
    expect(text).toMatch(/\*Open exceptions:\* [1-9]/);
    await slash('U0NOBODY01', `sku ${exc.sku} NOWHERE`);
    const none = await until(
      async () => answers().find((t) => t.startsWith(`*${exc.sku} at NOWHERE*`)),
      'the answer for a location without it',
    );
    expect(none).toContain('_no source reports this SKU at NOWHERE_');
  });

  it('resolves #names to ids, so the crash-safe lookup works with names', async () => {
    const client = new WebClient('xoxb-test', { slackApiUrl: fake.url });
    const dir = await channelDirectory(client);
    expect(dir).toEqual(new Map(Object.entries(CHANNELS).map(([n, id]) => [`#${n}`, id])));
    const ruleset = await loadRulesetOrThrow('rules');
    const receivers = resolveReceivers(ruleset.receivers, dir, () => {});
    expect(receivers.get('east-ops')).toMatchObject({
      slackChannel: 'C0EAST',
      digestChannel: 'C0MGRS',
    });
    const posted = await client.chat.postMessage({
      channel: 'C0EAST',
      text: 'already delivered before a crash',
      metadata: { event_type: 'tally_exception', event_payload: { outbox_key: 'k-crash' } },
    });
    expect(await slackSender(client, dir).findByKey('#inv-wh-east', 'k-crash')).toBe(posted.ts);
    expect(await slackSender(client).findByKey('#inv-wh-east', 'k-crash')).toBeNull();
  });
});
