/** `tally routes test key=value …`: the path through the Owners tree and the receiver, like amtool. */
import type { Command } from 'commander';
import { InputError } from '../../engine/core/errors.ts';
import { loadRulesetOrThrow } from '../../engine/core/rules/load.ts';
import { routeFor } from '../../engine/core/rules/routing.ts';
import type { RouteNode } from '../../engine/core/rules/types.ts';

export function parseLabels(pairs: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new InputError('BAD_LABEL', `expected key=value, got "${pair}"`);
    labels[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return labels;
}

function describe(node: RouteNode): string {
  const m = node.matchers.map((x) => `${x.label}${x.op}"${x.value}"`).join(', ');
  return `${node.id} {${m}} → ${node.receiver}${node.continue ? ' (continue)' : ''}  [${node.file}:${node.line}]`;
}

export function register(program: Command): void {
  const cmd = program
    .command('routes')
    .description('Inspect how exceptions are routed to their owners.');
  cmd
    .command('test')
    .description('Print the path through the Owners tree and the receiver(s) for a set of labels.')
    .argument(
      '<labels...>',
      'labels as key=value (sku, location, bucket, source, cause, severity …)',
    )
    .option('--rules <dir>', 'rules folder', 'rules')
    .option('--format <format>', 'text or json', 'text')
    .action(async (pairs: string[], o: { rules: string; format: string }) => {
      const ruleset = await loadRulesetOrThrow(o.rules);
      const result = routeFor(ruleset, parseLabels(pairs));
      if (o.format === 'json') {
        const out = {
          path: result.path.map((n) => n.id),
          receivers: result.receivers.map((r) => ({ name: r.name, slackChannel: r.slackChannel })),
        };
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        return;
      }
      process.stdout.write('Path:\n');
      result.path.forEach((n, i) => process.stdout.write(`${'  '.repeat(i + 1)}${describe(n)}\n`));
      const names = result.receivers.map((r) => `${r.name} (${r.slackChannel})`);
      process.stdout.write(
        `Receiver${names.length === 1 ? '' : 's'}: ${names.join(', ') || 'none'}\n`,
      );
    });
}
