/**
 * `npm run bench`: generate the data at scale once (cached by seed and size), then time Tally
 * and the DuckDB baseline in fresh child processes, several runs each, and print medians.
 */
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildFigures } from './child-run.ts';
import { generateScale } from './scale.ts';
import type { PersistBenchResult } from './persist.ts';
import type { RealtimeBenchResult } from './realtime.ts';
import type { BenchOptions, BenchReport, MeasuredRun } from './types.ts';

const CHILD = fileURLToPath(new URL('./child.mjs', import.meta.url));

/** One measured process; the figures come back as its last stdout line. */
function runChild(args: string[]): Promise<MeasuredRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--max-semi-space-size=64', CHILD, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
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
      resolve({ ...(JSON.parse(last) as ChildFigures), processMs: performance.now() - started });
    });
  });
}

export async function runBench(o: BenchOptions): Promise<BenchReport> {
  const dir = o.dir ?? join(tmpdir(), `tally-bench-${o.seed}-${o.keys}`);
  o.log(`Preparing data in ${dir} …`);
  const data = await generateScale({ dir, seed: o.seed, keys: o.keys });
  o.log(
    data.cached
      ? 'Reusing generated data.'
      : `Generated in ${(data.generateMs / 1000).toFixed(1)} s.`,
  );
  const tally: MeasuredRun[] = [];
  const duckdb: MeasuredRun[] = [];
  for (let i = 0; i < o.runs; i++) {
    o.log(`Run ${i + 1}/${o.runs}: Tally …`);
    tally.push(await runChild(['tally', data.rulesDir, data.dir, data.asOf]));
    o.log(`Run ${i + 1}/${o.runs}: DuckDB …`);
    duckdb.push(await runChild(['duckdb', data.dir]));
  }
  const report: BenchReport = { data, tally, duckdb };
  if (o.persistBench) report.persist = await persistBench(o);
  if (o.realtimeBench) report.realtime = await realtimeBench(o);
  return report;
}

/** Event-in → Slack message updated, through `tally serve`, on every database at hand. */
async function realtimeBench(o: BenchOptions): Promise<RealtimeBenchResult[]> {
  // loaded lazily: it starts the real Bolt app against the fake Slack from test/
  const { runRealtimeBench } = await import('./realtime.ts');
  const { testDatabases } = await import('../test/support/databases.ts');
  const results: RealtimeBenchResult[] = [];
  for (const engine of testDatabases().map((d) => d.name)) {
    o.log(`Near real-time latency on ${engine} …`);
    results.push(await runRealtimeBench({ engine, events: o.quick ? 5 : 20 }));
  }
  return results;
}

/** persistRun and bulk ledger loads on SQLite, and PostgreSQL when a URL is set. */
async function persistBench(o: BenchOptions): Promise<PersistBenchResult[]> {
  // loaded lazily like the realtime bench: only a bench that asks for it pays for it
  const { runPersistBench } = await import('./persist.ts');
  o.log('Persistence benchmark …');
  return runPersistBench({
    results: 30_000,
    bulkRows: o.quick ? 100_000 : 1_000_000,
    repeats: o.quick ? 1 : 3,
    log: () => {},
  });
}
