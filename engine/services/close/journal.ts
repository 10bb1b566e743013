/**
 * The journal for the ERP: one balanced entry per correction applied in the period. A correction
 * that adds stock debits the inventory asset account and credits its reason code's adjustment
 * account; one that removes stock does the opposite. Amounts are minor units; the CSV writes them
 * as decimal text. A correction worth nothing (no unit cost) has no entry and is counted.
 */
import { TallyError } from '../../core/errors.ts';
import { adjustmentAccountFor } from '../../core/rules/compile-accounts.ts';
import type { Accounts } from '../../core/rules/types.ts';
import type { AppliedCorrection } from './contents.ts';
import { minorText, type Currency } from '../../core/model/money.ts';
import { csvCell } from '../../core/model/csv.ts';

export type JournalLine = {
  entry: string;
  line: number;
  postingDate: string;
  account: string;
  debitMinor: number;
  creditMinor: number;
  reasonCode: string;
  sku: string;
  location: string;
  memo: string;
};

export type Journal = {
  lines: JournalLine[];
  debitMinor: number;
  creditMinor: number;
  /** Corrections with no value, so no entry. */
  withoutValue: number[];
};

/** Reason codes of these corrections that the Accounts rules give no adjustment account. */
export function reasonsWithoutAccount(accounts: Accounts, corrections: AppliedCorrection[]) {
  return [...new Set(corrections.map((c) => c.reasonCode))].filter(
    (code) => adjustmentAccountFor(accounts, code) === undefined,
  );
}

export function buildJournal(
  period: string,
  accounts: Accounts,
  corrections: AppliedCorrection[],
): Journal {
  const journal: Journal = { lines: [], debitMinor: 0, creditMinor: 0, withoutValue: [] };
  for (const c of corrections) {
    const amount = Math.abs(c.valueMinor);
    if (amount === 0) {
      journal.withoutValue.push(c.correctionId);
      continue;
    }
    const adjustment = adjustmentAccountFor(accounts, c.reasonCode);
    if (adjustment === undefined)
      throw new TallyError('MISSING_ACCOUNT', `no adjustment account for ${c.reasonCode}`);
    const [debit, credit] =
      c.deltaQuantity > 0
        ? [accounts.inventoryAssetAccount, adjustment]
        : [adjustment, accounts.inventoryAssetAccount];
    const base = {
      entry: `TALLY-${period}-C${c.correctionId}`,
      postingDate: c.appliedAt.slice(0, 10),
      reasonCode: c.reasonCode,
      sku: c.sku,
      location: c.location,
      memo:
        `correction ${c.correctionId} (exception ${c.exceptionId}): ${c.system} ` +
        `${c.deltaQuantity > 0 ? '+' : ''}${c.deltaQuantity} ${c.bucket}`,
    };
    journal.lines.push(
      { ...base, line: 1, account: debit, debitMinor: amount, creditMinor: 0 },
      { ...base, line: 2, account: credit, debitMinor: 0, creditMinor: amount },
    );
    journal.debitMinor += amount;
    journal.creditMinor += amount;
  }
  assertBalanced(journal.lines);
  return journal;
}

/** Debits equal credits in every entry; a journal that does not balance is never written. */
export function assertBalanced(lines: JournalLine[]): void {
  const net = new Map<string, number>();
  for (const l of lines) net.set(l.entry, (net.get(l.entry) ?? 0) + l.debitMinor - l.creditMinor);
  const off = [...net].filter(([, n]) => n !== 0);
  if (off.length > 0)
    throw new TallyError(
      'JOURNAL_UNBALANCED',
      `journal entries do not balance: ${off.map(([e, n]) => `${e} off by ${n} minor units`).join(', ')}`,
    );
}

const HEADER = [
  'entry',
  'line',
  'posting_date',
  'account',
  'debit',
  'credit',
  'currency',
  'reason_code',
  'sku',
  'location',
  'memo',
];

/** The journal as CSV (RFC 4180), formulas defused: it is opened in a spreadsheet. */
export function journalCsv(lines: JournalLine[], currency: Currency): string {
  const rows = lines.map((l) =>
    [
      l.entry,
      String(l.line),
      l.postingDate,
      l.account,
      minorText(l.debitMinor, currency),
      minorText(l.creditMinor, currency),
      currency.code,
      l.reasonCode,
      l.sku,
      l.location,
      l.memo,
    ]
      .map((cell) => csvCell(cell, { guardFormulas: true }))
      .join(','),
  );
  return [HEADER.join(','), ...rows].join('\r\n') + '\r\n';
}
