import { knexChannelPacer } from '../../bot/outbox/pacer.ts';
import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { knexOutboxStore } from '../../bot/outbox/store.ts';
import { slackSender } from '../../bot/outbox/senders.ts';
import type { OutboxPayload, OutboxStore } from '../../bot/outbox/types.ts';
import { OutboxWorker } from '../../bot/outbox/worker.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { FakeSlack } from '../fakes/slack-api.ts';
import { sqliteDb } from './db.ts';

let fake: FakeSlack;
let db: Db;

beforeEach(async () => {
  fake = new FakeSlack();
  await fake.start();
  db = await sqliteDb();
});
afterEach(async () => {
  await fake.stop();
  await db.destroy();
});

/** The outbox's own client: no hidden retries, so the worker sees every 429 and 500. */
function client(): WebClient {
  return new WebClient('xoxb-test', {
    slackApiUrl: fake.url,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
}

function post(channel: string, key: string): OutboxPayload & { kind: 'post' } {
  return {
    kind: 'post',
    channel,
    text: `message ${key}`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: key } }],
    metadata: { event_type: 'tally_message', event_payload: { outbox_key: key } },
  };
}

function keysIn(channel: string): string[] {
  return fake.channelMessages(channel).map((m) => String(m.metadata?.event_payload.outbox_key));
}

describe('outbox worker', () => {
  it('delivers every message exactly once, ≤ 1 per second per channel, under 429s and 500s', async () => {
    fake.injectFaults({ rate429: 0.2, rate500: 0.05, lostReplies: true, retryAfterSec: 1 });
    const store = knexOutboxStore(db);
    const channels = ['C1', 'C2', 'C3'];
    const expected = new Map<string, string[]>();
    for (const channel of channels) {
      const keys = Array.from({ length: 6 }, (_, i) => `${channel}-m${i}`);
      expected.set(channel, keys);
      for (const key of keys) await store.enqueue(key, post(channel, key), new Date());
    }
    const worker = new OutboxWorker({
      store,
      sender: slackSender(client()),
      pacer: knexChannelPacer(db),
      log: () => {},
    });
    await worker.drain();

    const faulted = fake.calls.filter((c) => c.status !== 200);
    expect(faulted.some((c) => c.status === 429)).toBe(true);
    for (const channel of channels) {
      expect(keysIn(channel)).toEqual(expected.get(channel));
      const arrivals = fake.calls
        .filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel)
        .map((c) => c.atMs);
      for (let i = 1; i < arrivals.length; i++) {
        expect(arrivals[i]! - arrivals[i - 1]!).toBeGreaterThanOrEqual(1000);
      }
    }
    const states = await db('outbox').distinct('state');
    expect(states).toEqual([{ state: 'sent' }]);
    const rows = await db('outbox').select('outbox_key', 'external_ts');
    for (const row of rows) {
      const msg = fake.messages.find(
        (m) => m.metadata?.event_payload.outbox_key === row.outbox_key,
      );
      expect(msg?.ts).toBe(row.external_ts);
    }
  }, 120_000);

  it('does not post twice when a worker crashes between posting and recording', async () => {
    const store = knexOutboxStore(db);
    await store.enqueue('crash-1', post('C9', 'crash-1'), new Date());
    // the process dies right after Slack answered: nothing more reaches the database
    const dead = async () => {
      throw new Error('process killed');
    };
    const crashing: OutboxStore = { ...store, markSent: dead, retryLater: dead, markFailed: dead };
    const first = new OutboxWorker({
      store: crashing,
      sender: slackSender(client()),
      pacer: knexChannelPacer(db),
      log: () => {},
    });
    await first.runOnce().catch(() => undefined);
    expect(fake.channelMessages('C9')).toHaveLength(1);

    // the row is left in `sending`; a new worker reclaims it once the lease has run out
    const second = new OutboxWorker({
      store,
      sender: slackSender(client()),
      pacer: knexChannelPacer(db),
      leaseMs: 0,
      log: () => {},
    });
    await second.drain();
    expect(fake.succeeded('chat.postMessage')).toHaveLength(1);
    expect(fake.succeeded('conversations.history').length).toBeGreaterThan(0);
    const row = await db('outbox').where({ outbox_key: 'crash-1' }).first();
    expect(row.state).toBe('sent');
    expect(row.external_ts).toBe(fake.channelMessages('C9')[0]!.ts);
  });

  it('threads a reply under its parent and updates in place once the parent has a ts', async () => {
    const store = knexOutboxStore(db);
    await store.enqueue('parent', post('C5', 'parent'), new Date());
    await store.enqueue('reply', { ...post('C5', 'reply'), threadOfKey: 'parent' }, new Date());
    await store.enqueue(
      'update',
      { ...post('C5', 'parent'), kind: 'update', targetKey: 'parent', text: 'changed' },
      new Date(),
    );
    await new OutboxWorker({
      store,
      sender: slackSender(client()),
      pacer: knexChannelPacer(db),
      log: () => {},
    }).drain();
    const [parent] = fake.channelMessages('C5');
    expect(parent?.text).toBe('changed');
    expect(fake.threadReplies('C5', parent!.ts)).toHaveLength(1);
  });
});
