/** `tally rules test [dir]`: run the rule fixture tests in <dir>/tests against <dir>. */
import path from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import {
  coverage,
  loadRuleTests,
  renderTestReport,
  runRuleTests,
} from '../../../engine/services/rulestest/index.ts';
import { EXIT } from '../../errors.ts';
import { loadRules, printProblems } from './data.ts';

type Options = { tests?: string; coverage: boolean; format: 'text' | 'json' };

export function register(rules: Command): void {
  rules
    .command('test')
    .description(
      'Run the rule tests (given facts, labels or positions and events, expect outcomes).',
    )
    .argument('[dir]', 'rules folder', 'rules')
    .option('--tests <dir>', 'folder of test files (default: <dir>/tests)')
    .option('--no-coverage', 'report rules and routes without a test as a warning, not a failure')
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'),
    )
    .addHelpText(
      'after',
      '\nTest files: see docs/rules-workflow.md. Every classification rule must decide, and\n' +
        'every route deliver, in at least one test.\n' +
        'Exit codes: 0 all passed and covered, 1 a test failed, something is not covered, or a\n' +
        'rule or test file has problems (listed with file:line:column), 2 bad command line.',
    )
    .action(async (dir: string, opts: Options) => {
      process.exitCode = await testCommand(dir, opts);
    });
}

export async function testCommand(dir: string, opts: Options): Promise<number> {
  const loaded = await loadRules(dir);
  const tests = await loadRuleTests(opts.tests ?? path.join(dir, 'tests'), loaded.ruleset);
  const problems = [...loaded.problems, ...tests.problems];
  if (!loaded.ruleset || problems.length > 0) {
    printProblems(dir, problems);
    return EXIT.findings;
  }
  const results = await runRuleTests(loaded.ruleset, tests.tests);
  const uncovered = coverage(loaded.ruleset, results);
  const failed = results.filter((r) => !r.passed).length;
  const ok = failed === 0 && (uncovered.length === 0 || !opts.coverage);
  if (opts.format === 'json') {
    const out = {
      passed: ok,
      tests: results.map((r) => ({
        name: r.test.name,
        file: r.test.file,
        line: r.test.line,
        passed: r.passed,
        failures: r.failures,
        got: r.got,
      })),
      uncovered,
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    process.stdout.write(`${renderTestReport(results, uncovered, opts.coverage).join('\n')}\n`);
  }
  return ok ? EXIT.ok : EXIT.findings;
}
