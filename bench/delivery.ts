/**
 * Slack delivery under faults: the outbox (bot/outbox: worker, database pacing, store) sends
 * `messages` posts spread over `channels` channels to the fake Slack Web API answering 20 % of
 * calls 429 with Retry-After and 5 % 500 (half of those after the message landed: the reply is
 * lost, so a retry must find it instead of posting again). Figures: messages delivered, duplicates
 * (messages in Slack beyond one per outbox key), the most calls any channel received inside any
 * 1-second window (successful posts, and every call including the refused ones), and the time.
 *
 *   npx tsx bench/delivery.ts          (BENCH_MESSAGES=1000, BENCH_CHANNELS=10)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { knexChannelPacer } from '../bot/outbox/pacer.ts';
import { slackSender } from '../bot/outbox/senders.ts';
import { knexOutboxStore } from '../bot/outbox/store.ts';
import { OutboxWorker } from '../bot/outbox/worker.ts';
import { openDb } from '../engine/services/store/db.ts';
import { FakeSlack, type RecordedCall } from '../test/fakes/slack-api.ts';

export type DeliveryOptions = {
  messages?: number;
  channels?: number;
  rate429?: number;
  rate500?: number;
  seed?: number;
  log?: (line: string) => void;
};

export type DeliveryResult = {
  messages: number;
  channels: number;
  delivered: number;
  duplicates: number;
  failed: number;
  /** Max successful posts to one channel inside any 1 s window. */
  maxPostsPerSecond: number;
  /** The same counting every call to the channel (429s and 500s too). */
  maxCallsPerSecond: number;
  answered429: number;
  answered500: number;
  wallMs: number;
};

/** The most arrivals inside any window of `windowMs` (sliding: every arrival starts one). */
export function maxInWindow(arrivalsMs: number[], windowMs = 1000): number {
  const t = [...arrivalsMs].sort((a, b) => a - b);
  let best = 0;
  let from = 0;
  for (let to = 0; to < t.length; to++) {
    while ((t[to] as number) - (t[from] as number) >= windowMs) from++;
    best = Math.max(best, to - from + 1);
  }
  return best;
}

function perChannelMax(calls: RecordedCall[], channels: string[], ok: boolean): number {
  let max = 0;
  for (const channel of channels) {
    const arrivals = calls
      .filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel)
      .filter((c) => !ok || c.status === 200)
      .map((c) => c.atMs);
    max = Math.max(max, maxInWindow(arrivals));
  }
  return max;
}

export async function runDeliveryBench(o: DeliveryOptions = {}): Promise<DeliveryResult> {
  const messages = o.messages ?? 1000;
  const channelCount = o.channels ?? 10;
  const channels = Array.from(
    { length: channelCount },
    (_, i) => `C${String(i + 1).padStart(3, '0')}`,
  );
  const slack = new FakeSlack();
  await slack.start();
  slack.injectFaults({
    rate429: o.rate429 ?? 0.2,
    rate500: o.rate500 ?? 0.05,
    retryAfterSec: 1,
    lostReplies: true,
    seed: o.seed ?? 1,
  });
  const dir = mkdtempSync(join(tmpdir(), 'tally-delivery-'));
  const db = await openDb({ url: join(dir, 'tally.db') });
  try {
    const store = knexOutboxStore(db);
    const now = new Date();
    for (let i = 0; i < messages; i++) {
      const channel = channels[i % channelCount]!;
      const key = `bench:${i}`;
      await store.enqueue(
        key,
        {
          kind: 'post',
          channel,
          text: `message ${i}`,
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `message ${i}` } }],
          metadata: { event_type: 'tally_message', event_payload: { outbox_key: key } },
        },
        now,
      );
    }
    // the outbox's own client: no hidden retries, every 429 and 500 reaches the worker
    const client = new WebClient('xoxb-bench', {
      slackApiUrl: slack.url,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    const worker = new OutboxWorker({
      store,
      sender: slackSender(client),
      pacer: knexChannelPacer(db),
      log: () => {},
    });
    const started = performance.now();
    await worker.drain(30 * 60_000);
    const wallMs = performance.now() - started;
    const keys = slack.messages.map((m) => String(m.metadata?.event_payload.outbox_key));
    const distinct = new Set(keys);
    const failed = (await db('outbox').whereNot({ state: 'sent' }).count({ n: '*' })) as {
      n: number;
    }[];
    const result: DeliveryResult = {
      messages,
      channels: channelCount,
      delivered: distinct.size,
      duplicates: keys.length - distinct.size,
      failed: Number(failed[0]?.n ?? 0),
      maxPostsPerSecond: perChannelMax(slack.calls, channels, true),
      maxCallsPerSecond: perChannelMax(slack.calls, channels, false),
      answered429: slack.calls.filter((c) => c.status === 429).length,
      answered500: slack.calls.filter((c) => c.status === 500).length,
      wallMs,
    };
    o.log?.(
      `delivery: ${result.delivered}/${messages} delivered to ${channelCount} channels, ` +
        `${result.duplicates} duplicates, ${result.failed} failed; max per channel in any 1 s: ` +
        `${result.maxPostsPerSecond} posts (${result.maxCallsPerSecond} calls with the refused); ` +
        `${result.answered429} × 429, ${result.answered500} × 500; ${(wallMs / 1000).toFixed(0)} s`,
    );
    return result;
  } finally {
    await db.destroy();
    await slack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runDeliveryBench({
    messages: Number(process.env.BENCH_MESSAGES ?? 1000),
    channels: Number(process.env.BENCH_CHANNELS ?? 10),
    log: (line) => process.stdout.write(`${line}\n`),
  });
}
