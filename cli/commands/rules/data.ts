/**
 * Shared by the rules tooling commands (diff, explain, test): load a ruleset with its located
 * problems, read a data folder through the sources' file mappings, pick the as-of time.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ingest } from '../../../connectors/ingest.ts';
import { CONNECTORS } from '../../../connectors/registry.ts';
import { InputError } from '../../../engine/core/errors.ts';
import { createIntake } from '../../../engine/core/normalize/intake.ts';
import { reconcile } from '../../../engine/core/recon/reconcile.ts';
import type { RunResult } from '../../../engine/core/recon/types.ts';
import { loadRuleset } from '../../../engine/core/rules/load.ts';
import { formatProblem } from '../../../engine/core/rules/problems.ts';
import type { Problem } from '../../../engine/core/rules/problems.ts';
import type { Ruleset } from '../../../engine/core/rules/types.ts';

export type Loaded = { ruleset: Ruleset; problems: [] } | { ruleset: null; problems: Problem[] };

export async function loadRules(dir: string): Promise<Loaded> {
  const r = await loadRuleset(dir, { knownConnectors: CONNECTORS.map((c) => c.id) });
  return r.ruleset ? { ruleset: r.ruleset, problems: [] } : { ruleset: null, problems: r.problems };
}

/** Prints every located problem (file:line:column message) and a count; for exit code 1. */
export function printProblems(what: string, problems: Problem[]): void {
  for (const p of problems) process.stdout.write(`${formatProblem(p)}\n`);
  const n = problems.length;
  process.stdout.write(`\n${n} problem${n === 1 ? '' : 's'} in ${what}\n`);
}

/** --rules, else <data>/rules when the data folder carries its own rules, else ./rules. */
export function rulesDirFor(rules: string | undefined, dataDir: string | undefined): string {
  if (rules) return resolve(rules);
  if (dataDir && existsSync(join(dataDir, 'rules'))) return resolve(dataDir, 'rules');
  return resolve('rules');
}

/** --as-of, else the demo folder's ground-truth as-of, else now. */
export function asOfFor(asOf: string | undefined, dataDir: string | undefined): string {
  let chosen = asOf;
  const truth = dataDir ? join(dataDir, 'ground-truth.json') : '';
  if (chosen === undefined && truth && existsSync(truth)) {
    chosen = (JSON.parse(readFileSync(truth, 'utf8')) as { asOf?: string }).asOf;
  }
  chosen ??= new Date().toISOString();
  if (Number.isNaN(Date.parse(chosen))) {
    throw new InputError('BAD_OPTION', `--as-of is not an ISO time: "${chosen}"`);
  }
  return new Date(chosen).toISOString();
}

export function dataDirOf(data: string | undefined): string {
  const dir = resolve(data ?? '.');
  if (!existsSync(dir)) throw new InputError('DATA_DIR_MISSING', `no such folder: ${dir}`);
  return dir;
}

/** One full run of a ruleset over a data folder, without printing or saving. */
export async function runOn(ruleset: Ruleset, dataDir: string, asOf: string): Promise<RunResult> {
  const intake = createIntake(ruleset);
  await ingest(ruleset, dataDir, intake, { asOf });
  return reconcile(intake, { asOf });
}
