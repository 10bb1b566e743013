/**
 * Event-in → message-updated latency of `tally serve` (server/ composed with the real Bolt app
 * and outbox against the fake Slack Web API): a Shopify inventory_levels/update webhook changes
 * an open exception's variance; the clock stops when the fake Slack receives the chat.update of
 * that exception's message. Events are spaced past Slack's one-message-per-second channel limit
 * so the figure is Tally's own path (HTTP, ledger append, incremental reconcile, persist, outbox
 * poll, Slack call), not queueing behind the pacing.
 *
 *   npx tsx bench/realtime.ts            (BENCH_EVENTS=20, BENCH_ENGINE=sqlite|postgres)
 */
import type { Db } from '../engine/services/store/db.ts';
import { testDatabases, type EngineName } from '../test/support/databases.ts';
import { at, postLevel, startRealtime, until } from '../test/realtime/support.ts';

export type RealtimeBenchOptions = {
  events?: number;
  engine?: EngineName;
  /** Gap between two events; over 1.1 s keeps the channel pacing out of the figure. */
  gapMs?: number;
  log?: (line: string) => void;
};

export type RealtimeBenchResult = {
  engine: EngineName;
  events: number;
  medianMs: number;
  p90Ms: number;
  maxMs: number;
  samplesMs: number[];
};

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

export async function runRealtimeBench(
  options: RealtimeBenchOptions = {},
): Promise<RealtimeBenchResult> {
  const events = options.events ?? 20;
  const engineName = options.engine ?? 'sqlite';
  const engine = testDatabases().find((d) => d.name === engineName);
  if (!engine) throw new Error(`engine ${engineName} needs TEST_DATABASE_URL`);
  const db: Db = await engine.open();
  const rt = await startRealtime(db);
  const samplesMs: number[] = [];
  try {
    // warm-up: raise the exception and wait for its message
    await postLevel(rt.served.url, 1, 90, at(1));
    const exc = (await until(
      () =>
        db('exceptions')
          .where({ sku: 'SKU-1', source: 'shop' })
          .whereNotNull('slack_ts')
          .first('id', 'slack_ts'),
      'the first message',
    )) as { id: number; slack_ts: string };
    for (let i = 0; i < events; i++) {
      await new Promise((r) => setTimeout(r, options.gapMs ?? 1300));
      const seen = rt.slack.calls.length;
      const started = Date.now();
      const updatedAt = new Date(Date.parse(at(2)) + i * 1000).toISOString();
      const res = await postLevel(rt.served.url, 1, i % 2 === 0 ? 85 : 90, updatedAt);
      if (res.status !== 200) throw new Error(`event ${i}: HTTP ${res.status}`);
      const call = await until(
        async () =>
          rt.slack.calls
            .slice(seen)
            .find(
              (c) => c.method === 'chat.update' && c.status === 200 && c.args.ts === exc.slack_ts,
            ),
        `update ${i}`,
      );
      samplesMs.push(call.atMs - started);
    }
  } finally {
    await rt.stop();
    await engine.close();
  }
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const result = {
    engine: engineName,
    events,
    medianMs: quantile(sorted, 0.5),
    p90Ms: quantile(sorted, 0.9),
    maxMs: sorted[sorted.length - 1]!,
    samplesMs,
  };
  options.log?.(
    `realtime ${engineName}: ${events} events, event-in → message-updated median ${result.medianMs} ms, p90 ${result.p90Ms} ms, max ${result.maxMs} ms`,
  );
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runRealtimeBench({
    events: Number(process.env.BENCH_EVENTS ?? 20),
    engine: (process.env.BENCH_ENGINE as EngineName | undefined) ?? 'sqlite',
    log: (line) => process.stdout.write(`${line}\n`),
  });
}
