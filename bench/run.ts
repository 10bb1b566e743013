/**
 * `npm run bench`: generate the data at each size once (cached by seed and size), then time
 * Tally (what `tally run` does, saving included) and the DuckDB baseline in fresh child
 * processes, several runs each; the live path and the Slack delivery after. Medians are taken
 * by the report.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hugePageEnv, hugePageMode } from '../bin/huge-pages.mjs';
import { generateScale } from './scale.ts';
import type { PersistBenchResult } from './persist.ts';
import type { LiveBenchResult } from './live.ts';
import type { LiveSlackResult } from './live-slack.ts';
import type { BenchOptions, BenchReport, Load, MeasuredRun, SizeReport } from './types.ts';

const CHILD = fileURLToPath(new URL('./child.mjs', import.meta.url));

export const load = (): Load => loadavg().map((l) => Math.round(l * 100) / 100) as Load;

/**
 * One measured process; the figures come back as its last stdout line. A whole run (`tally`)
 * and its baseline (`duckdb`) get the environment `tally run` gives its work: huge pages asked
 * for where Linux gives them on request (bin/huge-pages.mjs); the live processes get what
 * `tally serve` has.
 */
export function runChild<T = MeasuredRun>(args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const whole = args[0] === 'tally' || args[0] === 'duckdb';
    // V8's default heap settings, as `tally run` has them (a 64 MiB semi-space measured no
    // faster at 1M keys and held ~500 MiB more)
    const child = spawn(process.execPath, [CHILD, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: (whole && hugePageEnv(process.env)) || process.env,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !last.startsWith('{')) {
        reject(new Error(`benchmark process failed (exit ${code}): ${err.trim().slice(-500)}`));
        return;
      }
      resolve({ ...(JSON.parse(last) as object), processMs: performance.now() - started } as T);
    });
  });
}

const dataDir = (o: BenchOptions, keys: number) =>
  o.dir && o.sizes.length === 1 ? o.dir : join(o.dir ?? tmpdir(), `tally-bench-${o.seed}-${keys}`);

async function measureSize(o: BenchOptions, keys: number): Promise<SizeReport> {
  const dir = dataDir(o, keys);
  o.log(`${keys.toLocaleString('en-US')} keys: preparing data in ${dir} …`);
  const data = await generateScale({ dir, seed: o.seed, keys });
  o.log(
    data.cached
      ? 'Reusing generated data.'
      : `Generated in ${(data.generateMs / 1000).toFixed(1)} s.`,
  );
  const tally: MeasuredRun[] = [];
  const again: MeasuredRun[] = [];
  const duckdb: MeasuredRun[] = [];
  for (let i = 0; i < o.runs; i++) {
    const work = mkdtempSync(join(tmpdir(), 'tally-bench-db-'));
    try {
      o.log(`Run ${i + 1}/${o.runs}: Tally (reconcile and save) …`);
      const db = join(work, 'tally.db');
      const args = ['tally', data.rulesDir, data.dir, data.asOf, db];
      tally.push(await runChild(args));
      o.log(`Run ${i + 1}/${o.runs}: Tally again on the same database …`);
      again.push(await runChild(args));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    o.log(`Run ${i + 1}/${o.runs}: DuckDB …`);
    duckdb.push(await runChild(['duckdb', data.dir]));
  }
  const postgres = o.postgres ? await onPostgres(o, o.postgres, data) : undefined;
  return { data, tally, again, duckdb, postgres, load: load() };
}

/** A connection to the --postgres URL (knex loaded lazily: only a bench that asks opens one). */
async function postgresAdmin(url: string) {
  const { default: knex } = await import('knex');
  // a refused connection is reported once, by the error it throws
  const quiet = { warn: () => undefined };
  return knex({ client: 'pg', connection: url, pool: { min: 0, max: 1 }, log: quiet });
}

/** The size's runs saved on PostgreSQL: each in a schema of its own, run twice, then dropped. */
async function onPostgres(
  o: BenchOptions,
  url: string,
  data: SizeReport['data'],
): Promise<NonNullable<SizeReport['postgres']>> {
  const admin = await postgresAdmin(url);
  const tally: MeasuredRun[] = [];
  const again: MeasuredRun[] = [];
  try {
    for (let i = 0; i < o.runs; i++) {
      const schema = `tally_bench_${process.pid}_${data.keys}_${i}`;
      await admin.raw(`create schema ${schema}`);
      try {
        const args = ['tally', data.rulesDir, data.dir, data.asOf, url, schema];
        o.log(`Run ${i + 1}/${o.runs}: Tally saved on PostgreSQL …`);
        tally.push(await runChild(args));
        o.log(`Run ${i + 1}/${o.runs}: Tally again on the same PostgreSQL schema …`);
        again.push(await runChild(args));
      } finally {
        await admin.raw(`drop schema ${schema} cascade`);
      }
    }
  } finally {
    await admin.destroy();
  }
  return { tally, again };
}

export async function runBench(o: BenchOptions): Promise<BenchReport> {
  if (o.postgres && o.batch) {
    // an unreachable --postgres fails now, not after the SQLite runs
    const admin = await postgresAdmin(o.postgres);
    try {
      await admin.raw('select 1');
    } finally {
      await admin.destroy();
    }
  }
  // what a whole run's process gets: the environment tally run gives its work
  const tunables = (hugePageEnv(process.env) ?? process.env).GLIBC_TUNABLES;
  const memory = `GLIBC_TUNABLES=${tunables ?? '(not set)'}, transparent huge pages: ${hugePageMode() ?? 'none'}`;
  const code =
    process.env.TALLY_FROM_SOURCE === '1'
      ? 'the TypeScript sources through tsx (--from-source)'
      : 'the compiled build (dist/), as `tally run` runs it';
  const report: BenchReport = { runs: o.runs, sizes: [], startLoad: load(), memory, code };
  if (o.batch) {
    for (const keys of o.sizes) report.sizes.push(await measureSize(o, keys));
  }
  if (o.persistBench) report.persist = await persistBench(o);
  if (o.live) {
    const keys = o.liveKeys.toLocaleString('en-US');
    o.log(`Live path at ${keys} keys: event → exception updated in the database …`);
    const args = [String(o.liveKeys), String(o.liveEvents)];
    const database = await runChild<LiveBenchResult>(['live', ...args]);
    o.log(`Live path at ${keys} keys: webhook → chat.update through tally serve …`);
    const slack = await runChild<LiveSlackResult>(['live-slack', ...args]);
    report.live = { keys: o.liveKeys, database, slack, load: load() };
  }
  if (o.delivery) {
    const { runDeliveryBench } = await import('./delivery.ts');
    o.log('Slack delivery under 429s and 500s …');
    const messages = o.quick ? 200 : 1000;
    report.delivery = { ...(await runDeliveryBench({ messages, channels: 10 })), load: load() };
  }
  return report;
}

/** persistRun and bulk ledger loads on SQLite, and PostgreSQL when a URL is set. */
async function persistBench(o: BenchOptions): Promise<PersistBenchResult[]> {
  // loaded lazily: only a bench that asks for it pays for it
  const { runPersistBench } = await import('./persist.ts');
  o.log('Persistence benchmark …');
  return runPersistBench({
    results: 30_000,
    bulkRows: o.quick ? 100_000 : 1_000_000,
    repeats: o.quick ? 1 : 3,
    log: () => {},
  });
}
