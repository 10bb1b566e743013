/** `tally rules …`: work with the rules-as-configuration folder. */
import type { Command } from 'commander';

type SubcommandModule = { register(rules: Command): void };

/** The subcommands, listed by hand; only the one asked for is loaded (all for the help). */
const SUBCOMMANDS: { name: string; load: () => Promise<SubcommandModule> }[] = [
  { name: 'validate', load: () => import('./validate.ts') },
  { name: 'diff', load: () => import('./diff.ts') },
  { name: 'test', load: () => import('./test.ts') },
  { name: 'suggest', load: () => import('./suggest.ts') },
];

export async function register(program: Command, args = process.argv.slice(2)): Promise<void> {
  const rules = program
    .command('rules')
    .description('Validate, test and compare the YAML rules (see docs/rules.md).');
  const after = args.slice(args.indexOf('rules') + 1).find((a) => !a.startsWith('-'));
  const chosen = SUBCOMMANDS.filter((s) => s.name === after);
  const modules = await Promise.all(
    (chosen.length > 0 ? chosen : SUBCOMMANDS).map((s) => s.load()),
  );
  for (const m of modules) m.register(rules);
}
