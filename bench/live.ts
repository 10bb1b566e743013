/**
 * The live path at scale: the benchmark's data folder (default 1,000,000 keys) reconciled and
 * saved once, as `tally run` does, then a live ledger loaded from the same folder receives one
 * shop level update at a time for a key whose shop exception is open. The clock stops when the
 * batch is committed: the exception's new variance is in the database (and its Slack update
 * queued in the outbox). Each update flips the level between two values, so every event really
 * changes the stored exception.
 *
 *   npx tsx bench/live.ts             (BENCH_KEYS=100000, BENCH_EVENTS=30)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { notifyRunId } from '../bot/notify.ts';
import { persistRun } from '../engine/services/exceptions/persist-run.ts';
import { ownerOf } from '../engine/services/impact/labels.ts';
import { openDb } from '../engine/services/store/db.ts';
import { loadRulesetOrThrow } from '../engine/core/rules/load.ts';
import type { Ruleset } from '../engine/core/rules/types.ts';
import { CONNECTORS } from '../connectors/registry.ts';
import { reconcileFolder } from '../server/pipeline.ts';
import { LiveLedger } from '../server/live.ts';
import { shopAlias } from '../demo/world.ts';
import { generateScale, type ScaleResult } from './scale.ts';
import { latencies, type Latencies } from './stats.ts';

export type LiveBenchOptions = {
  keys: number;
  events: number;
  seed?: number;
  dir?: string;
  log?: (line: string) => void;
};

export type LiveBenchResult = Latencies & {
  keys: number;
  /** Loading the live ledger from the folder (once, at start-up). */
  loadMs: number;
  /** Open exceptions in the database while the events arrive. */
  openExceptions: number;
};

/** An hour after the data's as-of: the live ledger's "now". */
export const liveNow = (data: ScaleResult) => new Date(Date.parse(data.asOf) + 3_600_000);

/** The folder reconciled and saved as `tally run` would (as of the live "now"); its ruleset. */
export async function savedFullRun(db: Knex, data: ScaleResult): Promise<Ruleset> {
  const ruleset = await loadRulesetOrThrow(data.rulesDir, {
    knownConnectors: CONNECTORS.map((c) => c.id),
  });
  const folders = { rulesDir: data.rulesDir, dataDir: data.dir, asOf: liveNow(data).toISOString() };
  const { run } = await reconcileFolder(folders);
  await persistRun(db, run, { owners: (k) => ownerOf(ruleset, k) });
  return ruleset;
}

/** The saved full run and a live ledger loaded from the same folder. */
export async function seededLive(
  db: Knex,
  data: ScaleResult,
  notify = true,
): Promise<{ live: LiveLedger; loadMs: number }> {
  const ruleset = await savedFullRun(db, data);
  const now = liveNow(data);
  const live = new LiveLedger({
    db,
    ruleset,
    dataDir: data.dir,
    now: () => now,
    notify: notify ? (runId, trx) => notifyRunId(trx, ruleset, runId, now) : async () => 0,
  });
  const started = performance.now();
  await live.load();
  return { live, loadMs: performance.now() - started };
}

/** Shop exceptions on the sellable bucket: the keys the events update. */
export async function shopExceptions(
  db: Knex,
  n: number,
): Promise<{ id: number; sku: string; variance: number }[]> {
  return (await db('exceptions')
    .where({ source: 'shop', bucket: 'sellable' })
    .whereNot({ state: 'resolved' })
    .orderBy('id')
    .limit(n)
    .select('id', 'sku', 'variance')) as { id: number; sku: string; variance: number }[];
}

export async function runLiveBench(o: LiveBenchOptions): Promise<LiveBenchResult> {
  const log = o.log ?? (() => {});
  const dir = o.dir ?? join(tmpdir(), `tally-bench-${o.seed ?? 1}-${o.keys}`);
  const data = await generateScale({ dir, seed: o.seed ?? 1, keys: o.keys });
  const dbDir = mkdtempSync(join(tmpdir(), 'tally-live-bench-'));
  const db = await openDb({ url: join(dbDir, 'tally.db') });
  try {
    const { live, loadMs } = await seededLive(db, data);
    const targets = await shopExceptions(db, o.events);
    if (targets.length === 0) throw new Error('no open shop exception to update');
    const samplesMs: number[] = [];
    const asOf = liveNow(data);
    for (let i = 0; i < o.events; i++) {
      const target = targets[i % targets.length]!;
      const round = Math.floor(i / targets.length);
      const level = await shopLevel(db, target.sku);
      const started = performance.now();
      await live.accept({
        events: [],
        positions: [
          {
            source: 'shop',
            sku: level.alias,
            location: 'gid://shopify/Location/1',
            status: 'available',
            quantity: level.quantity + 1 + (round % 2),
            asOf: new Date(asOf.getTime() - 60_000 + i).toISOString(),
          },
        ],
      });
      samplesMs.push(performance.now() - started);
      const after = (await db('exceptions').where({ id: target.id }).first('variance')) as {
        variance: number;
      };
      if (Number(after.variance) === Number(target.variance) && round === 0) {
        throw new Error(`event ${i} left exception ${target.id} unchanged`);
      }
    }
    const open = (await db('exceptions').whereNot({ state: 'resolved' }).count('* as n')) as {
      n: number;
    }[];
    const result = {
      keys: data.keys,
      loadMs,
      openExceptions: Number(open[0]!.n),
      ...latencies(samplesMs),
    };
    log(
      `live ${fmt(data.keys)} keys: event → exception updated in the database ` +
        `median ${result.medianMs.toFixed(0)} ms, p95 ${result.p95Ms.toFixed(0)} ms ` +
        `(${o.events} events; live ledger loaded in ${(loadMs / 1000).toFixed(1)} s)`,
    );
    return result;
  } finally {
    await db.destroy();
    rmSync(dbDir, { recursive: true, force: true });
  }
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** The shop's alias for a sku and the level the database last saw for its sellable key. */
async function shopLevel(db: Knex, sku: string): Promise<{ alias: string; quantity: number }> {
  const row = (await db('exceptions')
    .where({ sku, source: 'shop', bucket: 'sellable' })
    .first('evidence')) as { evidence: string };
  const evidence = JSON.parse(row.evidence) as { quantities?: Record<string, number> };
  const quantity = evidence.quantities?.shop ?? 0;
  return { alias: shopAlias(sku), quantity };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runLiveBench({
    keys: Number(process.env.BENCH_KEYS ?? 100_000),
    events: Number(process.env.BENCH_EVENTS ?? 30),
    log: (line) => process.stdout.write(`${line}\n`),
  });
}
