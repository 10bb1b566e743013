/**
 * One digest run, scheduled or asked for with `/tally digest`: save the day's KPI snapshot,
 * queue the digests, then draw the 30-day trend chart and upload it (files.uploadV2) into each
 * digest's thread once the outbox has delivered it.
 */
import type { WebClient } from '@slack/web-api';
import type { Knex } from 'knex';
import type { Ruleset } from '../../engine/core/rules/types.ts';
import { knexOutboxStore } from '../outbox/store.ts';
import { dayIn, enqueueDigest, type DigestOptions, type QueuedDigest } from './index.ts';
import { readTrend, saveDailySnapshot } from './trend.ts';

export type RunDigestOptions = Omit<DigestOptions, 'chart'> & {
  /** Slack, for the chart upload; none in console mode (no chart). */
  client?: Pick<WebClient, 'files'>;
  /** `#name` → channel id (files.uploadV2 needs an id). */
  channelId?: (channel: string) => string;
  /** How long to wait for the outbox to deliver a digest before its chart goes in the channel. */
  waitMs?: number;
};

async function deliveredTs(db: Knex, key: string, waitMs: number): Promise<string | null> {
  const store = knexOutboxStore(db);
  const until = Date.now() + waitMs;
  for (;;) {
    const hit = await store.deliveredTs(key);
    if (hit) return hit.ts;
    if (Date.now() >= until) return null;
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function runDigest(
  db: Knex,
  ruleset: Pick<Ruleset, 'receivers'> & Partial<Pick<Ruleset, 'pilot'>>,
  now: Date,
  options: RunDigestOptions = {},
): Promise<QueuedDigest[]> {
  const log = options.log ?? (() => {});
  await saveDailySnapshot(db, now);
  const client = options.client;
  const queued = await enqueueDigest(db, ruleset, now, { ...options, chart: Boolean(client) });
  if (!client || queued.length === 0) return queued;
  const day = dayIn(now, options.timezone);
  // loaded on first use: the drawing libraries are needed only where a chart is uploaded
  const chart = await import('./chart.ts').catch((error: unknown) => {
    log(`digest: no trend chart, the chart libraries did not load: ${String(error)}`);
    return null;
  });
  if (!chart) return queued;
  const png = await chart.trendChartPng(
    await readTrend(db, now),
    `Accuracy and open exceptions, 30 days to ${day}`,
  );
  for (const q of queued) {
    const threadTs = await deliveredTs(db, q.key, options.waitMs ?? 60_000);
    try {
      const file = {
        file: png,
        filename: `tally-trend-${day}.png`,
        title: `Tally trend to ${day}`,
        alt_text: chart.CHART_ALT,
      };
      const channel_id = options.channelId ? options.channelId(q.channel) : q.channel;
      await (threadTs
        ? client.files.uploadV2({ ...file, channel_id, thread_ts: threadTs })
        : client.files.uploadV2({
            ...file,
            channel_id,
            initial_comment: `Trend for the Tally digest of ${day}`,
          }));
    } catch (error) {
      log(
        `digest: the trend chart for ${q.channel} was not uploaded: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return queued;
}
