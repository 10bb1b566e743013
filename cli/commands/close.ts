/**
 * `tally close`: month-end close of a period (snapshot, open exceptions, corrections, journal,
 * lock), `tally close reopen` (an approver other than the closer), `tally close verify` (is the
 * period as it was closed?) and `tally close journal` (the stored journal again, for the ERP).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../engine/core/errors.ts';
import { loadRulesetOrThrow } from '../../engine/core/rules/load.ts';
import { currencyOfRules } from '../../engine/core/rules/types.ts';
import {
  closeCurrency,
  closePeriod,
  journalCsv,
  loadRecord,
  periodPositions,
  readContent,
  reopenPeriod,
  verifyClose,
} from '../../engine/services/close/index.ts';
import { parsePeriod, type Period } from '../../engine/services/periods/index.ts';
import { openDb, withDb } from '../../engine/services/store/db.ts';
import { CONNECTORS } from '../../connectors/registry.ts';
import { replayInbound } from '../../server/inbound.ts';
import { reconcileFolder } from '../../server/pipeline.ts';
import { EXIT } from '../errors.ts';
import { renderRunFindings } from '../render/completeness.ts';
import { renderClose, renderReopened, renderVerify } from '../render/close.ts';
import { createProgress } from '../render/progress.ts';
import { oneOf } from './format.ts';

const FORMATS = ['text', 'json'] as const;

type CloseOptions = {
  period: string;
  data: string;
  rules?: string;
  as?: string;
  dryRun?: boolean;
  journal?: string;
  allowPartial?: boolean;
  format: string;
};

export function register(program: Command): void {
  const cmd = program
    .command('close')
    .description(
      'Close a month: snapshot positions and their value as of its end, the exceptions open and the corrections applied in it, write the journal for the ERP, and lock it.',
    )
    .option('--period <YYYY-MM>', 'the month to close, e.g. 2026-11 (UTC)')
    .option('--data <dir>', 'folder holding the data files the rules name (as for tally run)')
    .option('--rules <dir>', 'rules folder (default: <data>/rules if present, else ./rules)')
    .option('--as <user>', 'who closes (Slack user id; default: $TALLY_ACTOR, else the OS user)')
    .option(
      '--journal <file>',
      'where to write the journal CSV (default: tally-journal-<period>.csv)',
    )
    .option(
      '--dry-run',
      'show what the close would fix and write nothing (no lock, no journal unless --journal)',
    )
    .option(
      '--allow-partial',
      'close even when the run has findings (a source failed or sent nothing)',
    )
    .option('--format <format>', 'text or json', 'text')
    .action(async (o: CloseOptions) => {
      if (!o.period)
        throw new InputError('BAD_OPTION', '--period is required, e.g. --period 2026-11');
      if (!o.data)
        throw new InputError(
          'BAD_OPTION',
          '--data is required: the folder to snapshot the positions from',
        );
      process.exitCode = await closeCommand(o);
    });

  cmd
    .command('reopen')
    .description(
      'Reopen a closed month so corrections can be dated in it again. Needs an approver for every location the close covers, not the person who closed it; audited.',
    )
    .option('--period <YYYY-MM>', 'the closed month, e.g. 2026-11 (required)')
    .requiredOption('--reason <text>', 'why it is reopened (kept in the audit trail)')
    .option('--as <user>', 'who reopens (Slack user id; default: $TALLY_ACTOR, else the OS user)')
    .option('--rules <dir>', 'rules folder with the roles (default: ./rules)', 'rules')
    .option('--format <format>', 'text or json', 'text')
    .action(
      async (
        given: { period?: string; reason: string; as?: string; rules: string; format: string },
        sub: Command,
      ) => {
        const o = subOptions(given, sub);
        const format = oneOf('--format', o.format, FORMATS);
        const period = periodOption(o);
        const ruleset = await loadRulesetOrThrow(resolve(o.rules), {
          knownConnectors: CONNECTORS.map((c) => c.id),
        });
        const record = await withDb((db) =>
          reopenPeriod(db, ruleset.roles, {
            period: period.name,
            actor: { id: actorOf(o.as) },
            reason: o.reason,
            rulesetVersion: ruleset.version.label,
          }),
        );
        write(format === 'json' ? json(record) : renderReopened(record));
      },
    );

  cmd
    .command('verify')
    .description(
      'Check that a closed month is as it was closed: the audit chain through its head at close, the close tables, the corrections and ledger events dated in it. Exit 1 if anything changed.',
    )
    .option('--period <YYYY-MM>', 'the closed month, e.g. 2026-11 (required)')
    .option('--format <format>', 'text or json', 'text')
    .action(async (given: { period?: string; format: string }, sub: Command) => {
      const o = subOptions(given, sub);
      const format = oneOf('--format', o.format, FORMATS);
      const period = periodOption(o);
      const result = await withDb((db) => verifyClose(db, period.name));
      write(format === 'json' ? json(result) : renderVerify(result));
      if (!result.ok) process.exitCode = EXIT.findings;
    });

  cmd
    .command('journal')
    .description('Write the journal CSV of a closed month again, from what the close stored.')
    .option('--period <YYYY-MM>', 'the closed month, e.g. 2026-11 (required)')
    .option('--out <file>', 'write to a file instead of standard output')
    .action(async (given: { period?: string; out?: string }, sub: Command) => {
      const o = subOptions(given, sub);
      const period = periodOption(o);
      const csv = await withDb(async (db) => {
        const record = await loadRecord(db, period.name);
        if (!record)
          throw new InputError(
            'PERIOD_NOT_CLOSED',
            `period ${period.name} was never closed; close it first (tally close --period ${period.name})`,
          );
        const content = await readContent(db, period.name);
        return journalCsv(content.journal, closeCurrency(record.currency ?? undefined));
      });
      if (o.out) writeFileSync(o.out, csv);
      else process.stdout.write(csv);
    });
}

async function closeCommand(o: CloseOptions): Promise<number> {
  const format = oneOf('--format', o.format, FORMATS);
  const period = parsePeriod(o.period);
  const dataDir = resolve(o.data);
  if (!existsSync(dataDir)) throw new InputError('DATA_DIR_MISSING', `no such folder: ${dataDir}`);
  const rulesDir = resolve(
    o.rules ?? (existsSync(join(dataDir, 'rules')) ? join(dataDir, 'rules') : 'rules'),
  );
  const db = await openDb();
  try {
    const extra = async (intake: Parameters<typeof replayInbound>[1]) =>
      void (await replayInbound(db, intake));
    const progress = format === 'text' ? createProgress() : undefined;
    const { run, ruleset, intake } = await reconcileFolder(
      { rulesDir, dataDir, asOf: period.asOf, extra, keepSnapshots: true },
      progress,
    );
    if (run.runFindings.length > 0 && !o.allowPartial) {
      const lines = renderRunFindings(
        run.runFindings,
        `the close needs a complete snapshot: exit ${EXIT.partial} (--allow-partial closes anyway)`,
      );
      process.stderr.write(`${lines.join('\n')}\n`);
      return EXIT.partial;
    }
    const currency = currencyOfRules(ruleset);
    const report = await closePeriod(db, {
      period,
      actor: actorOf(o.as),
      positions: periodPositions(intake, Date.parse(period.asOf), currency),
      accounts: ruleset.accounts,
      currency,
      rulesetVersion: ruleset.version.label,
      dryRun: o.dryRun,
    });
    const journalPath = o.journal ?? (o.dryRun ? undefined : `tally-journal-${period.name}.csv`);
    if (journalPath) writeFileSync(journalPath, journalCsv(report.journal, currency));
    write(
      format === 'json'
        ? json({ ...report, currency: currency.code, journalPath })
        : renderClose(report, currency, journalPath),
    );
    return EXIT.ok;
  } finally {
    await db.destroy();
  }
}

function periodOption(o: { period?: string }): Period {
  if (!o.period) throw new InputError('BAD_OPTION', '--period is required, e.g. --period 2026-11');
  return parsePeriod(o.period);
}

/**
 * A subcommand's options. Commander hands an option written after the subcommand to `close`
 * itself when `close` has one of that name (--period, --as, --rules, --format), so those given
 * on the command line are taken from there unless the subcommand got them itself.
 */
function subOptions<T extends object>(o: T, sub: Command): T {
  const close = sub.parent!;
  const merged = { ...o } as Record<string, unknown>;
  for (const [key, value] of Object.entries(close.opts()))
    if (close.getOptionValueSource(key) === 'cli' && sub.getOptionValueSource(key) !== 'cli')
      merged[key] = value;
  return merged as T;
}

function actorOf(as: string | undefined): string {
  const id = as || process.env.TALLY_ACTOR || userInfo().username;
  if (!id.trim()) throw new InputError('BAD_OPTION', '--as must name who acts');
  return id.trim();
}

const json = (value: unknown): string[] => [JSON.stringify(value, null, 2)];
const write = (lines: string[]): void => void process.stdout.write(`${lines.join('\n')}\n`);
