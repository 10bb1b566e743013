/**
 * A channel with a backlog (a large run's cards, thousands to one team) does not hold the other
 * channels' messages: each pass of the outbox worker reads a few rows of every channel, in
 * order, instead of the oldest rows of all. On SQLite and PostgreSQL, against the fake Slack.
 */
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knexChannelPacer } from '../../bot/outbox/pacer.ts';
import { slackSender } from '../../bot/outbox/senders.ts';
import { knexOutboxStore } from '../../bot/outbox/store.ts';
import type { OutboxPayload } from '../../bot/outbox/types.ts';
import { OutboxWorker } from '../../bot/outbox/worker.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { FakeSlack } from '../fakes/slack-api.ts';
import { testDatabases } from '../support/databases.ts';

const post = (channel: string, key: string): OutboxPayload => ({
  kind: 'post',
  channel,
  text: `message ${key}`,
  blocks: [],
  metadata: { event_type: 'tally_message', event_payload: { outbox_key: key } },
});

describe.each(testDatabases())('outbox passes on $name', (engine) => {
  let db: Db;
  let fake: FakeSlack;
  beforeAll(async () => {
    db = await engine.open();
    fake = new FakeSlack();
    await fake.start();
  });
  afterAll(async () => {
    await fake.stop();
    await engine.close();
  });

  it("send another channel's message in the first pass behind a backlog, each in order", async () => {
    const store = knexOutboxStore(db);
    const backlog = Array.from({ length: 12 }, (_, i) => `east-${String(i).padStart(2, '0')}`);
    for (const key of backlog) await store.enqueue(key, post('C0EAST', key), new Date());
    await store.enqueue('west-urgent', post('C0WEST', 'west-urgent'), new Date());
    const keysIn = (channel: string) =>
      fake.channelMessages(channel).map((m) => String(m.metadata?.event_payload.outbox_key));
    const worker = new OutboxWorker({
      store,
      sender: slackSender(
        new WebClient('xoxb-test', { slackApiUrl: fake.url, retryConfig: { retries: 0 } }),
      ),
      pacer: knexChannelPacer(db),
      perChannelIntervalMs: 0,
      // a pass of 10 rows would hold only the east backlog's first ten, oldest first
      rowsPerPass: 10,
      rowsPerChannel: 3,
      log: () => {},
    });

    await worker.runOnce();
    expect(keysIn('C0WEST')).toEqual(['west-urgent']);
    expect(keysIn('C0EAST')).toEqual(backlog.slice(0, 3));

    await worker.drain();
    expect(keysIn('C0EAST')).toEqual(backlog);
    expect(keysIn('C0WEST')).toEqual(['west-urgent']);
  });
});
