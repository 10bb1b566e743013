/**
 * `tally rules diff --base <ref>`: the working rules and the rules at a git ref, run on the same
 * data (a folder, or the latest stored run's inputs), compared per owner.
 */
import { Option } from 'commander';
import type { Command } from 'commander';
import { InputError } from '../../../engine/core/errors.ts';
import {
  compareRuns,
  impactJson,
  materializeBaseRules,
  renderImpactMarkdown,
} from '../../../engine/services/impact/index.ts';
import { rulesetVersion } from '../../../engine/core/rules/version.ts';
import type { Ruleset } from '../../../engine/core/rules/types.ts';
import { EXIT } from '../../errors.ts';
import { asOfFor, dataDirOf, loadRules, printProblems, runOn } from './data.ts';
import { latestRunInputs } from './stored-run.ts';

type Options = {
  base: string;
  rules: string;
  data?: string;
  fromDb?: boolean;
  asOf?: string;
  format: 'markdown' | 'json';
  samples: string;
};

export function register(rules: Command): void {
  rules
    .command('diff')
    .description(
      'Compare what the working rules and the rules at a git ref decide on the same data.',
    )
    .requiredOption('--base <ref>', 'git ref of the base rules (branch, tag or commit)')
    .option(
      '--rules <dir>',
      'working rules folder (the same path is read at the base ref)',
      'rules',
    )
    .option('--data <dir>', 'data folder to run both rulesets on')
    .option(
      '--from-db',
      'use the latest stored run: its as-of and its input files (checked by hash)',
    )
    .option('--as-of <time>', 'ISO time (default: the demo folder’s as-of, else now)')
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['markdown', 'json'])
        .default('markdown'),
    )
    .option('--samples <n>', 'sample rows per owner', '5')
    .addHelpText(
      'after',
      '\nExample: tally rules diff --base origin/main --data demo --format markdown\n' +
        'With --from-db, --data says where the stored run’s input files are (default: .).\n' +
        'Exit codes: 0 compared (changes or not), 1 a ruleset has problems (listed with\n' +
        'file:line:column), 2 bad input (unknown ref, missing data, changed inputs).',
    )
    .action(async (opts: Options) => {
      process.exitCode = await diffCommand(opts);
    });
}

export async function diffCommand(opts: Options): Promise<number> {
  const samples = Number(opts.samples);
  if (!Number.isInteger(samples) || samples < 0)
    throw new InputError('BAD_OPTION', '--samples must be a whole number');
  if (!opts.fromDb && opts.data === undefined) {
    throw new InputError('BAD_OPTION', 'give the data to compare on: --data <dir> or --from-db');
  }
  const dataDir = dataDirOf(opts.data);
  const asOf = opts.fromDb ? await latestRunInputs(dataDir) : asOfFor(opts.asOf, dataDir);
  const head = await loadRules(opts.rules);
  if (!head.ruleset) {
    printProblems(opts.rules, head.problems);
    return EXIT.findings;
  }
  const base = materializeBaseRules(opts.base, opts.rules);
  try {
    const loaded = await loadRules(base.dir);
    if (!loaded.ruleset) {
      process.stdout.write(
        `the rules at ${opts.base} (${base.commit.slice(0, 7)}) have problems:\n`,
      );
      printProblems(`${opts.rules} at ${opts.base}`, loaded.problems);
      return EXIT.findings;
    }
    const baseRules = withCommit(loaded.ruleset, base.commit);
    const [baseRun, headRun] = [
      await runOn(baseRules, dataDir, asOf),
      await runOn(head.ruleset, dataDir, asOf),
    ];
    const report = compareRuns(
      { run: baseRun, ruleset: baseRules },
      { run: headRun, ruleset: head.ruleset },
      { samples },
    );
    const out =
      opts.format === 'json'
        ? impactJson(report, { baseRef: opts.base })
        : renderImpactMarkdown(report, { baseRef: opts.base });
    process.stdout.write(out);
    return EXIT.ok;
  } finally {
    base.cleanup();
  }
}

/** The temp folder is not a checkout: stamp the base ref's commit on its version instead. */
function withCommit(ruleset: Ruleset, commit: string): Ruleset {
  return { ...ruleset, version: rulesetVersion(ruleset.version.hash, commit) };
}
