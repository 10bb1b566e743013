/** `tally rules suggest <exception-id>`: a rule (and its test) that explains such cases. */
import type { Command } from 'commander';
import { InputError } from '../../../engine/core/errors.ts';
import { openDb } from '../../../engine/services/store/db.ts';
import { suggestInputFromException, suggestRule } from '../../../engine/services/suggest/index.ts';
import { EXIT } from '../../errors.ts';
import { loadRules, printProblems } from './data.ts';

type Options = { rules: string; code?: string; format: string };

export function register(rules: Command): void {
  rules
    .command('suggest')
    .description(
      'Write the ClassificationRule (and a rule test) that explains cases like an explained exception.',
    )
    .argument('<exception-id>', 'id of an explained exception (tally exceptions list)')
    .option('--rules <dir>', 'rules folder the rule is meant for', 'rules')
    .option('--code <CODE>', 'explanation code (default: the one the exception was explained with)')
    .option('--format <format>', 'text or json', 'text')
    .addHelpText(
      'after',
      '\nPaste the rule under `rules:` in a ClassificationRules file and the test into\n' +
        'rules/tests/, then run `tally rules test` and open a pull request.',
    )
    .action(async (id: string, opts: Options) => {
      process.exitCode = await suggestCommand(id, opts);
    });
}

export async function suggestCommand(id: string, opts: Options): Promise<number> {
  const n = Number(id);
  if (!Number.isInteger(n) || n <= 0)
    throw new InputError('BAD_ID', `exception id must be a whole number, not "${id}"`);
  const loaded = await loadRules(opts.rules);
  if (!loaded.ruleset) {
    printProblems(opts.rules, loaded.problems);
    return EXIT.findings;
  }
  const db = await openDb();
  let input;
  try {
    input = await suggestInputFromException(db, n, opts.code);
  } finally {
    await db.destroy();
  }
  const s = suggestRule(loaded.ruleset, input);
  if (opts.format === 'json') {
    process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
    return EXIT.ok;
  }
  process.stdout.write(
    `# Rule: paste under \`rules:\` in a ClassificationRules file (e.g. rules/classification.yaml)\n${s.ruleYaml}\n` +
      `# Test: save as rules/tests/${s.name}.yaml\n${s.testYaml}`,
  );
  return EXIT.ok;
}
