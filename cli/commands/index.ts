import type { Command } from 'commander';

/** Every subcommand, listed by hand. Each module exports `register(program)`. */
export const COMMANDS: ((program: Command) => void)[] = [];
