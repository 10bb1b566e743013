/**
 * `npm run bench [-- options]`: the benchmark at scale against the DuckDB baseline (see run.ts).
 * Its own entry point, so the product never imports its benchmark.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { commandExitCode, wholeNumberOption } from '../cli/errors.ts';
import { renderBench } from './report.ts';
import { runBench } from './run.ts';
import { renderStartup, runStartupBench } from './startup.ts';

const program = new Command()
  .name('npm run bench --')
  .description(
    'Benchmark at scale against a DuckDB diff of the same files: a run saved on SQLite at ' +
      '100,000 and 1,000,000 keys (the #18 targets checked at 1,000,000), the live path with ' +
      '1,000,000 keys in the ledger, and Slack delivery under 429s and 500s.',
  )
  .option('--quick', '100,000 keys only, one run each, a shorter delivery run')
  .option('--large', 'add 3,000,000 keys to the scaling table')
  .option('--keys <n>', 'one size only: SKU × location × bucket keys')
  .option('--runs <n>', 'fresh processes per measurement (default 3)')
  .option('--seed <n>', 'seed of the generated data', '1')
  .option('--dir <folder>', 'where to generate (default: cached folders in the temp dir)')
  .option('--live', 'only the live path (event → database, webhook → chat.update)')
  .option('--delivery', 'only the Slack delivery under faults')
  .option('--live-events <n>', 'events in the live figures (default 30; 10 with --quick)')
  .option('--no-persist-bench', 'skip the synthetic persistence benchmark')
  .option('--no-live-bench', 'skip the live path')
  .option('--no-delivery-bench', 'skip the Slack delivery')
  .option(
    '--startup',
    'only the start-up section (tally --version, rules validate, exceptions list)',
  )
  .option('--no-startup-bench', 'skip the start-up section')
  .option(
    '--postgres <url>',
    'also save each run on this PostgreSQL, in a fresh schema per run (fresh, then again)',
  )
  .option(
    '--from-source',
    'measure the TypeScript sources through tsx instead of the compiled build `tally run` runs',
  )
  .option('--json', 'print the raw figures as JSON')
  .option('--debug', 'show stack traces for unexpected errors')
  .exitOverride()
  .action(async (raw: Record<string, string | boolean | undefined>) => {
    const num = (v: unknown, flag: string, fallback: number) =>
      v === undefined ? fallback : wholeNumberOption(v, flag, 1);
    const quick = raw.quick === true;
    const log = (line: string) => process.stderr.write(`${line}\n`);
    const startupRuns = num(raw.runs, '--runs', quick ? 5 : 11);
    if (raw.startup === true) {
      const startup = runStartupBench(startupRuns, log);
      if (raw.json) process.stdout.write(`${JSON.stringify({ startup })}\n`);
      else process.stdout.write(`${renderStartup(startup).join('\n')}\n`);
      return;
    }
    const only = raw.live === true || raw.delivery === true;
    const sizes =
      raw.keys !== undefined
        ? [num(raw.keys, '--keys', 1)]
        : quick
          ? [100_000]
          : [100_000, 1_000_000, ...(raw.large === true ? [3_000_000] : [])];
    const options = {
      sizes,
      runs: num(raw.runs, '--runs', quick ? 1 : 3),
      seed: num(raw.seed, '--seed', 1),
      dir: typeof raw.dir === 'string' ? raw.dir : undefined,
      batch: !only,
      persistBench: !only && raw.persistBench !== false,
      live: only ? raw.live === true : raw.liveBench !== false,
      delivery: only ? raw.delivery === true : raw.deliveryBench !== false,
      liveKeys: quick ? 100_000 : Math.min(1_000_000, Math.max(...sizes)),
      liveEvents: num(raw.liveEvents, '--live-events', quick ? 10 : 30),
      quick,
      postgres: typeof raw.postgres === 'string' ? raw.postgres : undefined,
      log,
    };
    // whole runs measure what `tally run` runs: the build, made now from these sources (once
    // the options are known good)
    if (raw.fromSource === true) process.env.TALLY_FROM_SOURCE = '1';
    else if (!only) {
      build(log);
      process.env.TALLY_FROM_SOURCE = '0';
    }
    const report = await runBench(options);
    const startup = only || raw.startupBench === false ? [] : runStartupBench(startupRuns, log);
    if (raw.json) process.stdout.write(`${JSON.stringify({ ...report, startup })}\n`);
    else {
      const lines = [
        ...renderBench(report),
        ...(startup.length ? ['', ...renderStartup(startup)] : []),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    }
  });

/** `npm run build`: dist/ from the sources as they are, so no figure comes from a stale build. */
function build(log: (line: string) => void): void {
  log('Building dist/ (what `tally run` runs) …');
  const root = fileURLToPath(new URL('..', import.meta.url));
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', '--silent', 'build'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0)
    throw new Error(
      `the build failed, nothing was measured (--from-source measures the sources):\n${`${r.stdout}${r.stderr}`.trim().slice(-2000)}`,
    );
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = commandExitCode(error, Boolean(program.opts().debug));
}
