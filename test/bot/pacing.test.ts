/**
 * Pacing across replicas: two outbox workers (on PostgreSQL, two connection pools) share the
 * channels through `outbox_channels`; every message is delivered once, in order, and no channel
 * gets two messages within a second.
 */
import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { knexChannelPacer } from '../../bot/outbox/pacer.ts';
import { slackSender } from '../../bot/outbox/senders.ts';
import { knexOutboxStore } from '../../bot/outbox/store.ts';
import { OutboxWorker } from '../../bot/outbox/worker.ts';
import { FakeSlack } from '../fakes/slack-api.ts';
import { testDatabases } from '../support/databases.ts';

describe.each(testDatabases())('outbox pacing with two workers on $name', (engine) => {
  let fake: FakeSlack;
  beforeEach(async () => {
    fake = new FakeSlack();
    await fake.start();
  });
  afterEach(async () => {
    await fake.stop();
    await engine.close();
  });

  const client = () =>
    new WebClient('xoxb-test', {
      slackApiUrl: fake.url,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });

  it('keeps ≤ 1 message per second per channel, each once and in order', async () => {
    const dbs = [await engine.open(), await engine.open()];
    const channels = ['C1', 'C2'];
    for (const channel of channels) {
      for (let i = 0; i < 4; i++) {
        const key = `${channel}-m${i}`;
        await knexOutboxStore(dbs[0]!).enqueue(
          key,
          {
            kind: 'post',
            channel,
            text: key,
            blocks: [{ type: 'section', text: { type: 'mrkdwn', text: key } }],
            metadata: { event_type: 'tally_message', event_payload: { outbox_key: key } },
          },
          new Date(),
        );
      }
    }
    const workers = dbs.map(
      (db) =>
        new OutboxWorker({
          store: knexOutboxStore(db),
          sender: slackSender(client()),
          perChannelIntervalMs: 1100,
          pacer: knexChannelPacer(db),
          pollMs: 50,
          log: () => {},
        }),
    );
    await Promise.all(workers.map((w) => w.drain(60_000)));
    for (const channel of channels) {
      const keys = fake.channelMessages(channel).map((m) => m.metadata?.event_payload.outbox_key);
      expect(keys).toEqual([0, 1, 2, 3].map((i) => `${channel}-m${i}`));
      const arrivals = fake.calls
        .filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel)
        .map((c) => c.atMs);
      for (let i = 1; i < arrivals.length; i++) {
        expect(arrivals[i]! - arrivals[i - 1]!).toBeGreaterThanOrEqual(1000);
      }
    }
    const senders = await dbs[0]!('outbox').select('result');
    expect(senders.every((r) => r.result === null)).toBe(true);
  });
});

describe.each(testDatabases())('one lane per Slack channel on $name', (engine) => {
  let fake: FakeSlack;
  beforeEach(async () => {
    fake = new FakeSlack();
    await fake.start();
  });
  afterEach(async () => {
    await fake.stop();
    await engine.close();
  });

  it('paces rows naming one channel by name and by id as one, Retry-After included', async () => {
    const db = await engine.open();
    // the CLI queues by the name in the rules, serve by the id Slack listed: one channel
    const names = ['#inv-finance', 'C0FINANCE', '#inv-finance', 'C0FINANCE'];
    for (const [i, channel] of names.entries()) {
      const key = `fin-m${i}`;
      await knexOutboxStore(db).enqueue(
        key,
        {
          kind: 'post',
          channel,
          text: key,
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: key } }],
          metadata: { event_type: 'tally_message', event_payload: { outbox_key: key } },
        },
        new Date(),
      );
    }
    // the first post is rate limited: nothing may reach the channel for Retry-After (2 s)
    fake.injectFaults({ rate429: 1, retryAfterSec: 2, methods: ['chat.postMessage'] });
    const client = new WebClient('xoxb-test', {
      slackApiUrl: fake.url,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    const worker = new OutboxWorker({
      store: knexOutboxStore(db),
      sender: slackSender(client, new Map([['#inv-finance', 'C0FINANCE']])),
      perChannelIntervalMs: 1100,
      pacer: knexChannelPacer(db),
      pollMs: 50,
      log: () => {},
    });
    const drained = worker.drain(60_000);
    await expect.poll(() => fake.calls.length, { timeout: 5_000 }).toBeGreaterThan(0);
    fake.clearFaults();
    await drained;
    const posts = fake.calls.filter((c) => c.method === 'chat.postMessage');
    expect(posts.every((c) => c.args.channel === 'C0FINANCE')).toBe(true);
    expect(fake.channelMessages('C0FINANCE')).toHaveLength(4);
    expect(posts[1]!.atMs - posts[0]!.atMs).toBeGreaterThanOrEqual(2000);
    for (let i = 1; i < posts.length; i++) {
      expect(posts[i]!.atMs - posts[i - 1]!.atMs).toBeGreaterThanOrEqual(1000);
    }
  });
});
