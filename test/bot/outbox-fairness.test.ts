/**
 * A channel with a backlog (a large run's cards, thousands to one team) does not hold the other
 * channels' messages: each pass of the outbox worker reads a few rows of every channel, in
 * order, instead of the oldest rows of all. Through the real Bolt app's outbox client and the
 * fake Slack, on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knexOutboxStore } from '../../bot/outbox/store.ts';
import type { OutboxPayload } from '../../bot/outbox/types.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { testDatabases } from '../support/databases.ts';
import { startBot } from './harness.ts';

const post = (channel: string, key: string): OutboxPayload => ({
  kind: 'post',
  channel,
  text: `message ${key}`,
  blocks: [],
  metadata: { event_type: 'tally_message', event_payload: { outbox_key: key } },
});

describe.each(testDatabases())('outbox passes on $name', (engine) => {
  let db: Db;
  let bot: Awaited<ReturnType<typeof startBot>>;
  beforeAll(async () => {
    db = await engine.open();
    // a pass of 10 rows would hold only the east backlog's first ten, oldest first
    bot = await startBot(db, { perChannelIntervalMs: 0, rowsPerPass: 10, rowsPerChannel: 3 });
  });
  afterAll(async () => {
    await bot.stop();
    await engine.close();
  });

  it("send another channel's message in the first pass behind a backlog, each in order", async () => {
    const store = knexOutboxStore(db);
    const backlog = Array.from({ length: 12 }, (_, i) => `east-${String(i).padStart(2, '0')}`);
    for (const key of backlog) await store.enqueue(key, post('C0EAST', key), new Date());
    await store.enqueue('west-urgent', post('C0WEST', 'west-urgent'), new Date());
    const keysIn = (channel: string) =>
      bot.fake.channelMessages(channel).map((m) => String(m.metadata?.event_payload.outbox_key));

    await bot.worker.runOnce();
    expect(keysIn('C0WEST')).toEqual(['west-urgent']);
    expect(keysIn('C0EAST')).toEqual(backlog.slice(0, 3));

    await bot.worker.drain();
    expect(keysIn('C0EAST')).toEqual(backlog);
    expect(keysIn('C0WEST')).toEqual(['west-urgent']);
  });
});
