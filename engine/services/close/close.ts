/**
 * `tally close`: fix a period's positions, open exceptions, corrections and journal, lock the
 * period, and chain the close into the audit log. The close's own audit entry carries the digest
 * of everything it fixed; that entry is the audit head recorded on the close, so a later change
 * to the period, the close tables or the chain up to it shows in `tally close verify`.
 */
import type { Knex } from 'knex';
import type { Accounts } from '../../core/rules/types.ts';
import type { Currency } from '../../core/model/money.ts';
import { nowIso } from '../../core/model/canonical.ts';
import { appendAudit } from '../audit/log.ts';
import { inTransaction } from '../store/db.ts';
import type { Period } from '../periods/period.ts';
import {
  correctionsHash,
  correctionsIn,
  ledgerDigest,
  openExceptionsAt,
  type LedgerDigest,
} from './contents.ts';
import { CloseError } from './errors.ts';
import { buildJournal, reasonsWithoutAccount, type Journal } from './journal.ts';
import type { PeriodPosition } from './positions.ts';
import { contentHash, loadRecord, writeContent, type CloseContent } from './store.ts';

export type CloseInput = {
  period: Period;
  actor: string;
  /** The ledger projected to the period's close (positions.ts). */
  positions: PeriodPosition[];
  accounts: Accounts | undefined;
  /** The rules' currency (currencyOfRules): of the unit costs, the values and the journal. */
  currency: Currency;
  rulesetVersion: string;
  dryRun?: boolean;
  /** The clock, for tests. */
  now?: string;
};

export type CloseTotals = {
  positionsValueMinor: number;
  positionsWithoutCost: number;
  openValueMinor: number;
  adjustmentsValueMinor: number;
  debitMinor: number;
  creditMinor: number;
};

export type CloseReport = CloseContent & {
  period: Period;
  dryRun: boolean;
  closedBy: string;
  closedAt: string;
  currency: string | null;
  rulesetVersion: string;
  totals: CloseTotals;
  /** Corrections worth nothing: no journal entry. */
  correctionsWithoutValue: number[];
  contentHash: string;
  ledger: LedgerDigest;
  /** The audit entry of this close (absent on a dry run). */
  auditHead?: { seq: number; hash: string };
};

export async function closePeriod(db: Knex, input: CloseInput): Promise<CloseReport> {
  const { period } = input;
  const now = input.now ?? nowIso();
  if (Date.parse(now) < Date.parse(period.endsAt))
    throw new CloseError(
      'PERIOD_NOT_ENDED',
      `period ${period.name} has not ended (it ends at ${period.endsAt}); close it after that, when nothing more can be dated in it`,
    );
  const accounts = input.accounts;
  if (!accounts)
    throw new CloseError(
      'NO_ACCOUNTS',
      'the rules have no Accounts file, so the journal has no accounts to post to: add one (docs/rules.md#accounts)',
    );
  return inTransaction(db, async (trx) => {
    const existing = await loadRecord(trx, period.name);
    if (existing?.state === 'closed')
      throw new CloseError(
        'PERIOD_CLOSED',
        `period ${period.name} is already closed (by ${existing.closedBy} at ${existing.closedAt}); ` +
          `check it with \`tally close verify --period ${period.name}\`, or have an approver reopen it first`,
      );
    const report = await assemble(trx, input, accounts, now);
    if (input.dryRun) return report;
    await writeContent(trx, period.name, report);
    const head = await appendAudit(trx, {
      actor: input.actor,
      action: 'period.closed',
      entityType: 'period',
      entityId: period.name,
      rulesetVersion: input.rulesetVersion,
      before: existing ? { state: existing.state, closeCount: existing.closeCount } : undefined,
      after: auditBody(report),
      at: now,
    });
    const row = recordRow(report, head, (existing?.closeCount ?? 0) + 1);
    if (existing) {
      const changed = await trx('close_periods')
        .where({ period: period.name, state: 'reopened' })
        .update({ ...row, reopened_by: null, reopened_at: null, reopen_reason: null });
      if (changed !== 1)
        throw new CloseError('PERIOD_CLOSED', `period ${period.name} was closed meanwhile`);
    } else
      await trx('close_periods')
        .insert(row)
        .catch((error: unknown) => {
          // two closes at once: the other one's row is there (primary key), this one rolls back
          if (/unique|duplicate|constraint/i.test(String((error as Error).message)))
            throw new CloseError('PERIOD_CLOSED', `period ${period.name} was closed meanwhile`);
          throw error;
        });
    return { ...report, auditHead: { seq: head.seq, hash: head.hash } };
  });
}

async function assemble(
  trx: Knex,
  input: CloseInput,
  accounts: Accounts,
  now: string,
): Promise<CloseReport> {
  const { period } = input;
  const openExceptions = await openExceptionsAt(trx, period);
  const corrections = await correctionsIn(trx, period);
  const missing = reasonsWithoutAccount(accounts, corrections);
  if (missing.length > 0)
    throw new CloseError(
      'MISSING_ACCOUNT',
      `corrections in ${period.name} carry reason code${missing.length === 1 ? '' : 's'} ${missing.join(', ')} ` +
        'with no adjustment account in the Accounts rules: add them, or a defaultAdjustmentAccount',
    );
  const journal: Journal = buildJournal(period.name, accounts, corrections);
  const content: CloseContent = {
    positions: input.positions,
    openExceptions,
    corrections,
    journal: journal.lines,
  };
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return {
    ...content,
    period,
    dryRun: input.dryRun === true,
    closedBy: input.actor,
    closedAt: now,
    currency: input.currency.code,
    rulesetVersion: input.rulesetVersion,
    totals: {
      positionsValueMinor: sum(input.positions.map((p) => p.valueMinor)),
      positionsWithoutCost: input.positions.filter((p) => p.unitCost === null).length,
      openValueMinor: sum(openExceptions.map((e) => e.valueMinor)),
      adjustmentsValueMinor: sum(corrections.map((c) => Math.abs(c.valueMinor))),
      debitMinor: journal.debitMinor,
      creditMinor: journal.creditMinor,
    },
    correctionsWithoutValue: journal.withoutValue,
    contentHash: contentHash(period.name, content),
    ledger: await ledgerDigest(trx, period),
  };
}

function auditBody(r: CloseReport): Record<string, unknown> {
  return {
    period: r.period.name,
    asOf: r.period.asOf,
    contentHash: r.contentHash,
    correctionsHash: correctionsHash(r.corrections),
    ledgerHash: r.ledger.hash,
    ledgerEvents: r.ledger.events,
    positions: r.positions.length,
    openExceptions: r.openExceptions.length,
    corrections: r.corrections.length,
    journalLines: r.journal.length,
    currency: r.currency,
    // minor units, as integers: never a float in the audit
    totals: r.totals,
  };
}

function recordRow(r: CloseReport, head: { seq: number; hash: string }, closeCount: number) {
  return {
    period: r.period.name,
    starts_at: r.period.startsAt,
    ends_at: r.period.endsAt,
    state: 'closed',
    closed_by: r.closedBy,
    closed_at: r.closedAt,
    close_count: closeCount,
    currency: r.currency,
    ruleset_version: r.rulesetVersion,
    audit_head_seq: head.seq,
    audit_head_hash: head.hash,
    content_hash: r.contentHash,
    corrections_hash: correctionsHash(r.corrections),
    ledger_hash: r.ledger.hash,
    ledger_events: r.ledger.events,
    positions_count: r.positions.length,
    positions_value_minor: r.totals.positionsValueMinor,
    positions_without_cost: r.totals.positionsWithoutCost,
    open_exceptions_count: r.openExceptions.length,
    open_value_minor: r.totals.openValueMinor,
    corrections_count: r.corrections.length,
    adjustments_value_minor: r.totals.adjustmentsValueMinor,
    journal_debit_minor: r.totals.debitMinor,
    journal_credit_minor: r.totals.creditMinor,
  };
}
