/**
 * The daily digest and the reminders, from a known fixture: two runs a day apart, figures
 * worked out by hand below; reminders once per interval in the exception's thread.
 */
import { knexChannelPacer } from '../../bot/outbox/pacer.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebClient } from '@slack/web-api';
import { enqueueDigest } from '../../bot/digest/index.ts';
import { notifyRun, recordDelivered } from '../../bot/notify.ts';
import { outboxRenderer } from '../../bot/rendering.ts';
import { slackSender } from '../../bot/outbox/senders.ts';
import { knexOutboxStore } from '../../bot/outbox/store.ts';
import { OutboxWorker } from '../../bot/outbox/worker.ts';
import { enqueueReminders } from '../../bot/reminders/index.ts';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { FakeSlack } from '../fakes/slack-api.ts';
import { keyResult, ownerByLocation, runResult } from '../storage/fixtures.ts';
import { testDatabases } from '../support/databases.ts';
import { RULESET } from './harness.ts';

describe.each(testDatabases())('digest and reminders on $name', (engine) => {
  let db: Db;
  let fake: FakeSlack;
  let worker: OutboxWorker;
  beforeEach(async () => {
    db = await engine.open();
    fake = new FakeSlack();
    await fake.start();
    const client = new WebClient('xoxb', { slackApiUrl: fake.url, retryConfig: { retries: 0 } });
    worker = new OutboxWorker({
      store: knexOutboxStore(db),
      sender: slackSender(client),
      pacer: knexChannelPacer(db),
      perChannelIntervalMs: 0,
      log: () => {},
      onDelivered: recordDelivered(db),
      render: outboxRenderer(db, () => RULESET),
    });
  });
  afterEach(async () => {
    await fake.stop();
    await engine.close();
  });

  const wh1 = (sku: string, cause: string) =>
    keyResult({ sku, location: 'WH1', cause, variance: -4 });
  const counts = (compared: number) => [{ location: 'WH1', source: 'erp', compared }];

  const twoDays = async () => {
    // previous day: A and B raised; 2 exceptions of 20 compared → accuracy 90 %, rate 10 %
    await persistRun(
      db,
      runResult({
        runId: 'r1',
        asOf: '2026-11-08T12:00:00.000Z',
        results: [wh1('SKU-A', 'MISSING_POSTING'), wh1('SKU-B', 'DUPLICATE_EVENT')],
        comparedBy: counts(20),
      }),
      { owners: ownerByLocation },
    );
    // this day: A continues, B is gone (resolved 24 h after it opened), C is new;
    // 2 exceptions of 40 compared → accuracy 95 %, rate 5 %
    await persistRun(
      db,
      runResult({
        runId: 'r2',
        asOf: '2026-11-09T12:00:00.000Z',
        results: [wh1('SKU-A', 'MISSING_POSTING'), wh1('SKU-C', 'PHANTOM_STOCK')],
        comparedBy: counts(40),
      }),
      { owners: ownerByLocation },
    );
  };
  const now = new Date('2026-11-10T08:00:00.000Z');

  it('posts no managers digest to a team channel when no digest channel is set', async () => {
    await twoDays();
    const lines: string[] = [];
    expect(await enqueueDigest(db, RULESET, now, { log: (l) => lines.push(l) })).toEqual([]);
    await worker.drain();
    expect(fake.channelMessages('C0EAST')).toHaveLength(0);
    expect(lines).toEqual([
      'digest: no receiver in owners.yaml has a digestChannel, so no digest was posted',
    ]);
  });

  it('digests one section per team with trends against the day before', async () => {
    await twoDays();
    const receivers = new Map(RULESET.receivers);
    receivers.set('ops-east', { ...receivers.get('ops-east')!, digestChannel: 'C0MGRS' });
    const lines: string[] = [];
    const queued = await enqueueDigest(db, { receivers }, now, { log: (l) => lines.push(l) });
    expect(queued.map((q) => [q.channel, q.owners])).toEqual([['C0MGRS', ['ops-east']]]);
    expect(lines).toEqual(['digest: left out (no digestChannel in owners.yaml): ops-west']);
    // the same period is queued once
    expect(await enqueueDigest(db, { receivers }, now)).toEqual([]);
    await worker.drain();
    expect(fake.channelMessages('C0EAST')).toHaveLength(0);
    const posted = fake.channelMessages('C0MGRS');
    expect(posted).toHaveLength(1);
    const blocks = posted[0]!.blocks as { type: string; text?: { text: string } }[];
    expect(blocks[0]!.text!.text).toBe('Tally daily digest · 2026-11-10');
    const team = blocks.find((b) => b.text?.text.startsWith('*ops-east*'));
    expect(team!.text!.text).toBe(
      '*ops-east* · 2 open (0 over 3 days) · *$80.00* at risk · mostly missing posting, phantom stock',
    );
    const fields = JSON.stringify(team);
    for (const part of [
      '*Accuracy · exception rate*\\n95% (↑5) · 5% (↓5)',
      '*New · resolved*\\n1 (↓1) · 1 (↑1)',
      '*Median time to resolve*\\n24h',
      '*Corrections applied*\\n0 (=) · $0.00',
    ]) {
      expect(fields).toContain(part);
    }
    expect(posted[0]!.text).toBe('Tally daily digest 2026-11-10: 2 open, $80.00 at risk');
  });

  it('reminds once per interval, in the thread of the exception message', async () => {
    const opened = '2026-11-01T00:00:00.000Z';
    const summary = await persistRun(
      db,
      runResult({ runId: 'r1', asOf: opened, results: [wh1('SKU-A', 'MISSING_POSTING')] }),
      { owners: ownerByLocation },
    );
    await notifyRun(db, RULESET, summary, new Date(opened));
    await worker.drain();
    const [message] = fake.channelMessages('C0EAST').filter((m) => !m.threadTs);
    const hoursLater = (h: number) => new Date(Date.parse(opened) + h * 3_600_000);
    // the owning team is mentioned, so the nudge reaches someone
    const receivers = new Map(RULESET.receivers);
    receivers.set('ops-east', { ...receivers.get('ops-east')!, ownerGroup: 'S0EASTOPS' });
    const remind = (h: number) => enqueueReminders(db, 24, hoursLater(h), receivers);
    expect(await remind(23)).toBe(0);
    expect(await remind(25)).toBe(1);
    expect(await remind(30)).toBe(0);
    expect(await remind(49)).toBe(1);
    await worker.drain();
    const reminders = fake
      .threadReplies('C0EAST', message!.ts)
      .filter((m) => m.metadata?.event_type === 'tally_reminder')
      .map((m) => m.text);
    expect(reminders).toEqual([
      expect.stringMatching(/<!subteam\^S0EASTOPS>: still open after 24 hours$/),
      expect.stringMatching(/<!subteam\^S0EASTOPS>: still open after 2 days$/),
    ]);
    // an explained exception waits on the next run, not on a person: no reminder
    await db('exceptions').update({ state: 'explained' });
    expect(await remind(73)).toBe(0);
    // nor does an applied one: it waits on the write-back and the next run
    await db('exceptions').update({ state: 'applied' });
    expect(await remind(74)).toBe(0);
    // 14 days in days, not 336h
    await db('exceptions').update({ state: 'open' });
    expect(await remind(24 * 14)).toBe(1);
    await worker.drain();
    expect(fake.threadReplies('C0EAST', message!.ts).at(-1)?.text).toMatch(
      /still open after 14 days$/,
    );
    await db('exceptions').update({ state: 'assigned', assignee: 'URES' });
    expect(await remind(97)).toBe(1);
    await worker.drain();
    const last = fake.threadReplies('C0EAST', message!.ts).at(-1);
    expect(last?.text).toMatch(/^:alarm_clock: <@URES>: still assigned after 4 days$/);
  });
});
