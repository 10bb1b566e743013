/** `tally rules …`: work with the rules-as-configuration folder. */
import type { Command } from 'commander';
import * as subcommands from './subcommands.ts';

export function register(program: Command): void {
  const rules = program
    .command('rules')
    .description('Validate, test and compare the YAML rules (see docs/rules.md).');
  for (const add of Object.values(subcommands)) add(rules);
}
