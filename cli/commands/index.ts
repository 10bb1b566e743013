import type { Command } from 'commander';

/** A subcommand module: it exports `register(program)`. */
type CommandModule = { register(program: Command): void | Promise<void> };

/**
 * Every subcommand, listed by hand. Each is loaded only when it is asked for (or for the
 * overall help), so `tally exceptions list` does not pay for Bolt or the connectors.
 */
export const COMMANDS: { name: string; load: () => Promise<CommandModule> }[] = [
  { name: 'run', load: () => import('./run.ts') },
  { name: 'demo', load: () => import('./demo.ts') },
  { name: 'rules', load: () => import('./rules/index.ts') },
  { name: 'db', load: () => import('./db.ts') },
  { name: 'exceptions', load: () => import('./exceptions.ts') },
  { name: 'kpi', load: () => import('./kpi.ts') },
  { name: 'audit', load: () => import('./audit.ts') },
  { name: 'close', load: () => import('./close.ts') },
  { name: 'serve', load: () => import('./serve.ts') },
  { name: 'routes', load: () => import('./routes.ts') },
  { name: 'explain', load: () => import('./explain.ts') },
  { name: 'init', load: () => import('./init.ts') },
  { name: 'doctor', load: () => import('./doctor.ts') },
  { name: 'pilot', load: () => import('./pilot.ts') },
];

/**
 * The modules to register for these arguments: the one named; none for `--version`; all of them
 * for the overall help or an unknown command (so commander can list and suggest them).
 */
export async function commandsFor(args: string[]): Promise<CommandModule[]> {
  const named = args.find((a) => !a.startsWith('-'));
  if (named === undefined && (args.includes('-V') || args.includes('--version'))) return [];
  const chosen = COMMANDS.filter((c) => c.name === named);
  return Promise.all((chosen.length > 0 ? chosen : COMMANDS).map((c) => c.load()));
}
