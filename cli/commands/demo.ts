/**
 * `tally demo`: generate a week of demo data (with known injected causes) into a fresh folder
 * and reconcile it, so a clean clone shows a real reconciliation with one command.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_SEED, generateDemo } from '../../demo/index.ts';
import { InputError } from '../../engine/core/errors.ts';
import { wholeNumberOption } from '../errors.ts';
import { clip } from '../render/text.ts';
import { executeRun } from './run.ts';
import { causesReport, renderCausesReport } from './demo-causes.ts';

const BENCHMARK_SKUS = 120;

export function register(program: Command): void {
  program
    .command('demo')
    .description('Generate demo data with known causes into a fresh folder and reconcile it.')
    .option('--dir <folder>', 'where to write the data (default: .tally/demo-<timestamp>)')
    .option(
      '--seed <n>',
      'seed of the generator: the same seed gives the same data',
      String(DEFAULT_SEED),
    )
    .option('--skus <n>', 'number of SKUs', '48')
    .option('--format <format>', 'table or json', 'table')
    .option('--no-persist', 'do not save the run to the database')
    .option(
      '--causes-report',
      'the labelled cause benchmark: every cause in several variants over --seeds seeds; ' +
        'prints precision, recall, cause accuracy and exceptions per problem (nothing is saved)',
    )
    .option('--seeds <n>', 'seeds 1..n for --causes-report', '10')
    .action(async (raw: Record<string, string | boolean | undefined>) => {
      const skus = wholeNumberOption(raw.skus, '--skus');
      if (raw.causesReport) return printCausesReport(raw, skus);
      const seed = wholeNumberOption(raw.seed, '--seed');
      const dir = resolve(String(raw.dir ?? join('.tally', `demo-${stamp()}`)));
      ensureFresh(dir);
      const demo = await generateDemo({ dir, seed, skus });
      const shown = relative(process.cwd(), dir) || '.';
      const injected = demo.truth.entries.filter((e) => e.cause && e.expected.type !== 'match');
      const say = raw.format === 'json' ? process.stderr : process.stdout;
      say.write(
        [
          `Demo data: seed ${seed}, ${demo.truth.skus} SKUs, ${demo.truth.days} days, ` +
            `${demo.movements.toLocaleString('en-US')} movements, ${injected.length} injected differences`,
          `Written to ${shown}/`,
          `  with its rules (rules/) and the injected causes (${basename(demo.truthPath)})`,
          'Again (or change the rules and compare):',
        ]
          .map((line) => clip(line))
          // a command stays whole, even past 80 columns, so it can be copied
          .concat(`  npx tally run --data ${shown} --as-of ${demo.truth.asOf}`, '', '')
          .join('\n'),
      );
      const outcome = await executeRun({
        rulesDir: demo.rulesDir,
        dataDir: dir,
        asOf: demo.truth.asOf,
        format: raw.format === 'json' ? 'json' : 'table',
        persist: raw.persist !== false,
        top: 10,
        allowPartial: false,
      });
      process.exitCode = outcome.exitCode;
    });
}

async function printCausesReport(raw: Record<string, string | boolean | undefined>, skus: number) {
  const seeds = wholeNumberOption(raw.seeds, '--seeds');
  // the variants need more SKUs than the default week: every injection takes its own
  const report = await causesReport({ seeds, skus: Math.max(skus, BENCHMARK_SKUS) });
  if (raw.format === 'json') process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(`${renderCausesReport(report, seeds).join('\n')}\n`);
}

function stamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
}

/** Refuses to mix demo files into a folder that already holds something. */
function ensureFresh(dir: string): void {
  mkdirSync(dir, { recursive: true });
  if (readdirSync(dir).length > 0) {
    throw new InputError('DEMO_DIR_NOT_EMPTY', `${dir} is not empty; give a new folder with --dir`);
  }
}
