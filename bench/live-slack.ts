/**
 * The live path at scale through `tally serve`: the benchmark's data folder reconciled and saved
 * once, then the composed server (real Bolt app, outbox and pacing against the fake Slack Web
 * API, the shop read as Shopify) receives one signed inventory_levels/update webhook at a time
 * for a key whose shop exception already has its Slack message. Two clocks per event: the
 * webhook's 200 (the batch is committed: exception updated in the database, its Slack update
 * queued) and the fake Slack receiving the chat.update of that exception's message. Events are
 * 1.3 s apart so Slack's one-message-per-second channel limit stays out of the figure; one
 * unmeasured round per exception first (the shop's item lookups cached, the channels idle).
 *
 *   npx tsx bench/live-slack.ts        (BENCH_KEYS=100000, BENCH_EVENTS=20)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingest } from '../connectors/ingest.ts';
import { notifyException } from '../bot/notify.ts';
import type { Ruleset } from '../engine/core/rules/types.ts';
import { openDb, type Db } from '../engine/services/store/db.ts';
import { startServe } from '../server/index.ts';
import { FakeSlack } from '../test/fakes/slack-api.ts';
import { startFakeShopify } from '../test/fakes/shopify-server.ts';
import { item, level, TOKEN, TOKEN_ENV } from '../test/connectors/shopify-support.ts';
import { postLevel, until, WEBHOOK_ENV, WEBHOOK_SECRET } from '../test/realtime/support.ts';
import { liveNow, savedFullRun, shopExceptions } from './live.ts';
import { generateScale } from './scale.ts';
import { latencies, type Latencies } from './stats.ts';

export type LiveSlackResult = {
  keys: number;
  events: number;
  /** Webhook in → HTTP 200: the exception is updated in the database. */
  stored: Latencies;
  /** Webhook in → chat.update of the exception's message at the fake Slack. */
  slack: Latencies;
};

/** The shop's numeric inventory item id in the benchmark data (demo/world.ts shopAlias). */
const itemNumber = (sku: string) => 1_000_000 + Number(sku.slice(4));

/** The file ruleset with the shop read as Shopify and every receiver's channel at the fake. */
function servedRuleset(files: Ruleset, shopifyEndpoint: string): Ruleset {
  const sources = new Map(files.sources);
  const shop = sources.get('shop')!;
  sources.set('shop', {
    ...shop,
    connector: 'shopify',
    settings: {
      endpoint: shopifyEndpoint,
      accessTokenEnv: TOKEN_ENV,
      webhookSecretEnv: WEBHOOK_ENV,
    },
  });
  return { ...files, sources };
}

function channelIds(ruleset: Ruleset): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of ruleset.receivers.values()) {
    const name = r.slackChannel?.replace(/^#/, '');
    if (name) out[name] = `C0${name.replace(/[^a-z0-9]/gi, '').toUpperCase()}`;
  }
  return out;
}

export async function runLiveSlackBench(o: {
  keys: number;
  events: number;
  seed?: number;
  dir?: string;
  log?: (line: string) => void;
}): Promise<LiveSlackResult> {
  const log = o.log ?? (() => {});
  const dir = o.dir ?? join(tmpdir(), `tally-bench-${o.seed ?? 1}-${o.keys}`);
  const data = await generateScale({ dir, seed: o.seed ?? 1, keys: o.keys });
  const work = mkdtempSync(join(tmpdir(), 'tally-live-slack-'));
  const db: Db = await openDb({ url: join(work, 'tally.db') });
  process.env[TOKEN_ENV] = TOKEN;
  process.env[WEBHOOK_ENV] = WEBHOOK_SECRET;
  const files = await savedFullRun(db, data);
  const targets = await shopExceptions(db, Math.min(o.events, 5));
  const shopify = await startFakeShopify({
    token: TOKEN,
    state: {
      items: targets.map((t) =>
        item(itemNumber(t.sku), t.sku, [level('gid://shopify/Location/1', { available: 0 })]),
      ),
    },
  });
  const ruleset = servedRuleset(files, shopify.endpoint);
  const slack = new FakeSlack({ channels: channelIds(ruleset) });
  await slack.start();
  const now = liveNow(data);
  const served = await startServe({
    db,
    ruleset,
    rulesDir: data.rulesDir,
    port: 0,
    slack: { token: 'xoxb-test', signingSecret: 'sign', slackApiUrl: slack.url },
    digestCron: '0 0 1 1 *',
    reminderHours: 1_000_000,
    exportDir: join(work, 'exports'),
    log: () => {},
    live: {
      seed: async (intake) =>
        void (await ingest(files, data.dir, intake, { asOf: now.toISOString() })),
      now: () => now,
    },
  });
  try {
    for (const t of targets) await notifyException(db, served.ruleset as Ruleset, t.id);
    const posted = async () =>
      (await db('exceptions')
        .whereIn(
          'id',
          targets.map((t) => t.id),
        )
        .whereNotNull('slack_ts')
        .select('id', 'sku', 'slack_ts', 'evidence')) as {
        id: number;
        sku: string;
        slack_ts: string;
        evidence: string;
      }[];
    // each exception's message, its evidence thread and a copy: about 2 s per exception
    for (let waited = 0; (await posted()).length < targets.length; waited += 100) {
      if (waited > 5_000 * targets.length) throw new Error('the first messages were not posted');
      await new Promise((r) => setTimeout(r, 100));
    }
    const messages = await posted();
    const stored: number[] = [];
    const updated: number[] = [];
    // one unmeasured round first: the Shopify item lookups are cached, the channels idle
    const warm = messages.length;
    for (let i = 0; i < warm + o.events; i++) {
      const target = messages[i % messages.length]!;
      const shop = (JSON.parse(target.evidence) as { quantities: Record<string, number> })
        .quantities.shop!;
      await new Promise((r) => setTimeout(r, 1300));
      const seen = slack.calls.length;
      const updatedAt = new Date(now.getTime() - 60_000 + i * 10).toISOString();
      const started = performance.now();
      const startedAt = Date.now();
      const res = await postLevel(
        served.url,
        itemNumber(target.sku),
        shop + 1 + (i % 2),
        updatedAt,
      );
      const storedMs = performance.now() - started;
      if (res.status !== 200)
        throw new Error(`event ${i}: HTTP ${res.status} ${JSON.stringify(res.json)}`);
      const call = await until(
        async () =>
          slack.calls
            .slice(seen)
            .find(
              (c) =>
                c.method === 'chat.update' && c.status === 200 && c.args.ts === target.slack_ts,
            ),
        `the update of event ${i}`,
      );
      if (i < warm) continue;
      stored.push(storedMs);
      updated.push(call.atMs - startedAt);
    }
    const result = {
      keys: data.keys,
      events: o.events,
      stored: latencies(stored),
      slack: latencies(updated),
    };
    log(
      `live via tally serve, ${data.keys.toLocaleString('en-US')} keys: webhook → exception updated ` +
        `(HTTP 200) median ${result.stored.medianMs.toFixed(0)} ms, p95 ${result.stored.p95Ms.toFixed(0)} ms; ` +
        `→ chat.update median ${result.slack.medianMs.toFixed(0)} ms, p95 ${result.slack.p95Ms.toFixed(0)} ms`,
    );
    return result;
  } finally {
    await served.stop();
    await slack.stop();
    await shopify.close();
    await db.destroy();
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runLiveSlackBench({
    keys: Number(process.env.BENCH_KEYS ?? 100_000),
    events: Number(process.env.BENCH_EVENTS ?? 20),
    log: (line) => process.stdout.write(`${line}\n`),
  });
}
