import type { Command } from 'commander';
import { register as rules } from './rules/index.ts';
import { register as audit } from './audit.ts';
import { register as db } from './db.ts';
import { register as exceptions } from './exceptions.ts';
import { register as kpi } from './kpi.ts';
import { register as run } from './run.ts';
import { register as demo } from './demo.ts';
import { register as serve } from './serve.ts';
import { register as routes } from './routes.ts';
import { register as explain } from './explain.ts';
import { register as init } from './init.ts';

/** Every subcommand, listed by hand. Each module exports `register(program)`. */
export const COMMANDS: ((program: Command) => void)[] = [
  run,
  demo,
  rules,
  db,
  exceptions,
  kpi,
  audit,
  serve,
  routes,
  explain,
  init,
];
