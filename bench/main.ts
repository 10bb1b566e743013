/**
 * `npm run bench [-- options]`: the benchmark at scale against the DuckDB baseline (see run.ts).
 * Its own entry point, so the product never imports its benchmark.
 */
import { Command, CommanderError } from 'commander';
import { EXIT, reportError, wholeNumberOption } from '../cli/errors.ts';
import { renderBench } from './report.ts';
import { runBench } from './run.ts';
import { renderStartup, runStartupBench } from './startup.ts';

const program = new Command()
  .name('npm run bench --')
  .description('Benchmark a run at scale (1M keys, 2M events) against a DuckDB diff.')
  .option('--quick', 'a smaller scale (100,000 keys) and fewer repeats')
  .option('--keys <n>', 'SKU × location × bucket keys (default 1,000,000)')
  .option('--runs <n>', 'fresh processes per measurement (default 3)')
  .option('--seed <n>', 'seed of the generated data', '1')
  .option('--dir <folder>', 'where to generate (default: a cached folder in the temp dir)')
  .option('--no-persist-bench', 'skip the persistence benchmark')
  .option('--no-realtime-bench', 'skip the event-in → Slack-message-updated latency benchmark')
  .option(
    '--startup',
    'only the start-up section (tally --version, rules validate, exceptions list)',
  )
  .option('--no-startup-bench', 'skip the start-up section')
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
    const report = await runBench({
      keys: num(raw.keys, '--keys', quick ? 100_000 : 1_000_000),
      runs: num(raw.runs, '--runs', 3),
      seed: num(raw.seed, '--seed', 1),
      dir: typeof raw.dir === 'string' ? raw.dir : undefined,
      persistBench: raw.persistBench !== false,
      realtimeBench: raw.realtimeBench !== false,
      quick,
      log,
    });
    const startup = raw.startupBench === false ? [] : runStartupBench(startupRuns, log);
    if (raw.json) process.stdout.write(`${JSON.stringify({ ...report, startup })}\n`);
    else {
      const lines = [
        ...renderBench(report),
        ...(startup.length ? ['', ...renderStartup(startup)] : []),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    }
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else {
    process.exitCode = reportError(error, Boolean(program.opts().debug));
  }
}
