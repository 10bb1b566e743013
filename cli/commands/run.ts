/**
 * `tally run`: load the rules, read every source through its connector, reconcile as of T,
 * save the run (SQLite by default) and print a summary with the top exceptions.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Knex } from 'knex';
import { collectGarbage } from '../../engine/core/collect.ts';
import { InputError } from '../../engine/core/errors.ts';
import type { Intake } from '../../engine/core/normalize/intake.ts';
import type { KeyResult, RunResult } from '../../engine/core/recon/types.ts';
import { SEVERITIES, type Ruleset, type Severity } from '../../engine/core/rules/types.ts';
import { describeTarget, openDb } from '../../engine/services/store/db.ts';
import { closedPeriod, periodContaining } from '../../engine/services/periods/index.ts';
import { EXIT, wholeNumberOption } from '../errors.ts';
import { renderExceptions } from '../render/exceptions.ts';
import { createProgress } from '../render/progress.ts';
import { renderSummary, type LeftAsTheyWere } from '../render/summary.ts';
import { replayInbound } from '../../server/inbound.ts';
import { reconcileFolder } from '../../server/pipeline.ts';
import { saveRunWithMessages } from '../../server/save-run.ts';

export type RunOptions = {
  rulesDir: string;
  dataDir: string;
  /** Absent: as of now, taken once every source has been read (see server/pipeline.ts). */
  asOf?: string;
  format: 'table' | 'json';
  failOn?: Severity;
  persist: boolean;
  top: number;
  /** Exit 0 (or 1 with --fail-on) even when the run has run findings. */
  allowPartial: boolean;
};

export type RunOutcome = { run: RunResult; exitCode: number; savedTo?: string };

export function register(program: Command): void {
  program
    .command('run')
    .description('Reconcile every source of a ruleset as of a time and print the result.')
    .requiredOption('--data <dir>', 'folder holding the data files the rules name')
    .option('--rules <dir>', 'rules folder (default: <data>/rules if present, else ./rules)')
    .option(
      '--as-of <time>',
      'reconcile as of this ISO time (default: now, taken once every source has been read)',
    )
    .option('--format <format>', 'table or json', 'table')
    .option(
      '--fail-on <severity>',
      `exit 1 when an exception of this severity or worse exists (${SEVERITIES.join(', ')})`,
    )
    .option('--no-persist', 'do not save the run to the database')
    .option('--top <n>', 'how many exceptions to show with their evidence', '10')
    .option(
      '--allow-partial',
      `exit 0 even with run findings (a source failed or contributed nothing, a file's rows all stayed out); without it such a run exits ${EXIT.partial}`,
    )
    .action(async (raw: Record<string, string | boolean | undefined>) => {
      const options = parseRunOptions(raw);
      const outcome = await executeRun(options);
      process.exitCode = outcome.exitCode;
    });
}

export function parseRunOptions(raw: Record<string, string | boolean | undefined>): RunOptions {
  const dataDir = resolve(String(raw.data));
  if (!existsSync(dataDir)) throw new InputError('DATA_DIR_MISSING', `no such folder: ${dataDir}`);
  const rulesDir = resolve(
    String(raw.rules ?? (existsSync(join(dataDir, 'rules')) ? join(dataDir, 'rules') : 'rules')),
  );
  const format = String(raw.format ?? 'table');
  if (format !== 'table' && format !== 'json') {
    throw new InputError('BAD_OPTION', `--format must be table or json, not "${format}"`);
  }
  const failOn = raw.failOn === undefined ? undefined : String(raw.failOn);
  if (failOn !== undefined && !(SEVERITIES as readonly string[]).includes(failOn)) {
    throw new InputError(
      'BAD_OPTION',
      `--fail-on must be one of ${SEVERITIES.join(', ')}, not "${failOn}"`,
    );
  }
  const asOf = raw.asOf === undefined ? undefined : String(raw.asOf);
  if (asOf !== undefined && Number.isNaN(Date.parse(asOf))) {
    throw new InputError('BAD_OPTION', `--as-of is not an ISO time: "${asOf}"`);
  }
  const top = wholeNumberOption(raw.top ?? 10, '--top');
  return {
    rulesDir,
    dataDir,
    asOf: asOf === undefined ? undefined : new Date(asOf).toISOString(),
    format,
    failOn: failOn as Severity | undefined,
    persist: raw.persist !== false,
    top,
    allowPartial: raw.allowPartial === true,
  };
}

/** The whole pipeline; prints to stdout and returns the run and the exit code. */
export async function executeRun(options: RunOptions): Promise<RunOutcome> {
  const db = options.persist ? await openDb() : null;
  try {
    if (db) await refuseClosedPeriod(db, options.asOf);
    // a saved run includes what `tally serve` received live, or it would resolve what that raised
    const extra = db ? async (intake: Intake) => void (await replayInbound(db, intake)) : undefined;
    const { run, ruleset } = await reconcileFolder({ ...options, extra }, createProgress());
    // the tables the run read into are garbage now: freed before the save adds its own memory
    if (db) await collectGarbage();
    const saved = db ? await saveRun(db, run, ruleset) : undefined;
    const savedTo = saved?.to;
    const exitCode = exitCodeOf(run, options);
    if (options.format === 'json') {
      process.stdout.write(`${JSON.stringify(run)}\n`);
    } else {
      const partialNote = options.allowPartial
        ? 'accepted with --allow-partial'
        : `the run is partial: exit ${EXIT.partial} (--allow-partial accepts it)`;
      const lines = [
        ...renderSummary(run, { persisted: savedTo, partialNote, left: saved?.left }),
        '',
        ...renderExceptions(run.results, options.top, run.currency),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return { run, exitCode, savedTo };
  } finally {
    await db?.destroy();
  }
}

/**
 * A saved run dated inside a closed month would change what the close recorded (the exceptions
 * open at its end): refused before a file is read. `--no-persist` still reconciles any date.
 */
async function refuseClosedPeriod(db: Knex, asOf: string | undefined): Promise<void> {
  const period = periodContaining(asOf ?? new Date().toISOString());
  const closed = await closedPeriod(db, period.name);
  if (!closed) return;
  throw new InputError(
    'PERIOD_CLOSED',
    `the as-of ${asOf ?? 'now'} falls in ${period.name}, closed by ${closed.closedBy} at ${closed.closedAt}: ` +
      'a run saved there would change the closed month. Reconcile it without saving (--no-persist), ' +
      `or reopen the period first (tally close reopen --period ${period.name})`,
  );
}

async function saveRun(
  db: Knex,
  run: RunResult,
  ruleset: Ruleset,
): Promise<{ to: string; left: LeftAsTheyWere }> {
  const { summary } = await saveRunWithMessages(db, run, ruleset);
  const left = {
    notCompared: summary.notCompared.length,
    decidedLater: summary.decidedLater.length,
    notOpened: summary.notOpened,
    laterRunAsOf: summary.laterFullRunAsOf,
  };
  return { to: describeTarget(), left };
}

/** Run findings first: a partial run must not pass for a clean one in a script or a scheduler. */
export function exitCodeOf(run: RunResult, options: Pick<RunOptions, 'failOn' | 'allowPartial'>) {
  if (run.runFindings.length && !options.allowPartial) return EXIT.partial;
  return failOnReached(run.results, options.failOn) ? EXIT.findings : EXIT.ok;
}

export function failOnReached(results: KeyResult[], failOn: Severity | undefined): boolean {
  if (!failOn) return false;
  const threshold = SEVERITIES.indexOf(failOn);
  return results.some(
    (r) => r.outcome.type === 'exception' && SEVERITIES.indexOf(r.outcome.severity) >= threshold,
  );
}
