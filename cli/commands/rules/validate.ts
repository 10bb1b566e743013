/** `tally rules validate [dir]`: every problem at once, or a summary of a valid ruleset. */
import { Option } from 'commander';
import type { Command } from 'commander';
import { loadRuleset } from '../../../engine/core/rules/load.ts';
import { formatProblem, sortProblems } from '../../../engine/core/rules/problems.ts';
import type { Problem } from '../../../engine/core/rules/problems.ts';
import type { RouteNode, Ruleset } from '../../../engine/core/rules/types.ts';
import { CONNECTORS } from '../../../connectors/registry.ts';
import { rulesWarnings } from '../../../engine/core/rules/warnings.ts';
import { EXIT } from '../../errors.ts';

type Options = { format: 'text' | 'json' };

export function register(rules: Command): void {
  rules
    .command('validate')
    .description('Check every rule file against its schema and the cross-file rules.')
    .argument('[dir]', 'rules folder', 'rules')
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'),
    )
    .addHelpText(
      'after',
      '\nWarnings (routes sending exceptions to a team without a resolver role there, or a\n' +
        'cause from a source whose role at the location rules it out; a channel whose orders\n' +
        'are not named) are listed after a valid summary and do not change the exit code.\n' +
        '\nExit codes: 0 valid, 1 problems found (each listed with file:line:column),\n' +
        '2 the folder does not exist or the command line is wrong.',
    )
    .action(async (dir: string, opts: Options) => {
      process.exitCode = await validate(dir, opts);
    });
}

export async function validate(dir: string, opts: Options): Promise<number> {
  const result = await loadRuleset(dir, { knownConnectors: CONNECTORS.map((c) => c.id) });
  const problems = result.ruleset ? connectorProblems(result.ruleset) : result.problems;
  const ruleset = problems.length === 0 ? result.ruleset : null;
  const warnings = ruleset ? rulesWarnings(ruleset) : [];
  if (opts.format === 'json') {
    const out = ruleset
      ? { valid: true, ...summary(ruleset), problems: [], warnings }
      : { valid: false, problems };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else if (ruleset) {
    process.stdout.write(textSummary(dir, ruleset));
    for (const w of warnings) process.stdout.write(`${formatProblem(w)} (warning)\n`);
    const n = warnings.length;
    if (n > 0) process.stdout.write(`\n${n} warning${n === 1 ? '' : 's'} in ${dir}\n`);
  } else {
    for (const p of problems) process.stdout.write(`${formatProblem(p)}\n`);
    const n = problems.length;
    process.stdout.write(`\n${n} problem${n === 1 ? '' : 's'} in ${dir}\n`);
  }
  return ruleset ? EXIT.ok : EXIT.findings;
}

/** Settings only a connector understands are checked by that connector. */
function connectorProblems(ruleset: Ruleset): Problem[] {
  const problems: Problem[] = [];
  for (const source of ruleset.sources.values()) {
    const connector = CONNECTORS.find((c) => c.id === source.connector);
    let messages: string[];
    try {
      messages = connector?.checkSettings(source) ?? [];
    } catch (error) {
      messages = [`settings check failed: ${(error as Error).message}`];
    }
    for (const message of messages) {
      problems.push({
        file: source.file,
        line: source.line,
        column: source.column ?? 1,
        path: '',
        message: `Sources ${source.id}: ${message} (connector ${source.connector})`,
        code: 'CONNECTOR_SETTINGS',
      });
    }
  }
  return sortProblems(problems);
}

function summary(r: Ruleset) {
  return {
    version: r.version,
    files: r.files.length,
    sources: r.sources.size,
    rules: r.classification.rules.length,
    routes: countRoutes(r.routes),
    receivers: r.receivers.size,
    locations: r.mappings.locations.size,
    locationCodes: [...r.mappings.locationCodes.values()].reduce((n, m) => n + m.size, 0),
  };
}

function countRoutes(node: RouteNode): number {
  return 1 + node.routes.reduce((n, child) => n + countRoutes(child), 0);
}

function textSummary(dir: string, r: Ruleset): string {
  const s = summary(r);
  return [
    `${dir}: valid`,
    `  version    ${s.version.label}`,
    `  files      ${s.files}`,
    `  sources    ${s.sources} (${[...r.sources.keys()].join(', ')})`,
    `  rules      ${s.rules} (fallback: ${r.classification.fallback.type})`,
    `  routes     ${s.routes}`,
    `  receivers  ${s.receivers}`,
    `  locations  ${s.locations} (${s.locationCodes} source codes)`,
    '',
  ].join('\n');
}
