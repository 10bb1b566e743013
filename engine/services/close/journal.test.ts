import { describe, expect, it } from 'vitest';
import { closeCurrency } from './minor.ts';
import { assertBalanced, buildJournal, journalCsv, reasonsWithoutAccount } from './journal.ts';
import type { AppliedCorrection } from './contents.ts';
import type { Accounts } from '../../core/rules/types.ts';

const accounts: Accounts = {
  file: 'accounts.yaml',
  line: 1,
  inventoryAssetAccount: '1400 Inventory',
  adjustmentAccounts: new Map([['SHRINKAGE', '5120 Shrinkage, theft']]),
};

const correction = (over: Partial<AppliedCorrection>): AppliedCorrection => ({
  correctionId: 1,
  exceptionId: 9,
  system: 'erp',
  sku: 'SKU-1',
  location: 'WH-EAST',
  bucket: 'sellable',
  deltaQuantity: -2,
  reasonCode: 'SHRINKAGE',
  valueMinor: 1999,
  appliedAt: '2026-11-12T10:00:00.000Z',
  appliedBy: 'UA1',
  ...over,
});

describe('the journal for the ERP', () => {
  it('credits the inventory for stock removed and debits it for stock added, balanced', () => {
    const j = buildJournal('2026-11', accounts, [
      correction({}),
      correction({ correctionId: 2, deltaQuantity: 3, valueMinor: 30 }),
    ]);
    expect(j.lines.map((l) => [l.entry, l.account, l.debitMinor, l.creditMinor])).toEqual([
      ['TALLY-2026-11-C1', '5120 Shrinkage, theft', 1999, 0],
      ['TALLY-2026-11-C1', '1400 Inventory', 0, 1999],
      ['TALLY-2026-11-C2', '1400 Inventory', 30, 0],
      ['TALLY-2026-11-C2', '5120 Shrinkage, theft', 0, 30],
    ]);
    expect([j.debitMinor, j.creditMinor]).toEqual([2029, 2029]);
  });

  it('leaves out a correction worth nothing, and counts it', () => {
    const j = buildJournal('2026-11', accounts, [correction({ valueMinor: 0 })]);
    expect(j.lines).toEqual([]);
    expect(j.withoutValue).toEqual([1]);
  });

  it('names the reason codes that have no account', () => {
    expect(reasonsWithoutAccount(accounts, [correction({ reasonCode: 'FOUND' })])).toEqual([
      'FOUND',
    ]);
  });

  it('refuses an entry that does not balance', () => {
    const [debit] = buildJournal('2026-11', accounts, [correction({})]).lines;
    expect(() => assertBalanced([debit!])).toThrow(
      'journal entries do not balance: TALLY-2026-11-C1 off by 1999 minor units',
    );
  });

  it('writes RFC 4180 CSV with amounts in the currency', () => {
    const { lines } = buildJournal('2026-11', accounts, [correction({})]);
    expect(journalCsv(lines, closeCurrency('USD')).split('\r\n')).toEqual([
      'entry,line,posting_date,account,debit,credit,currency,reason_code,sku,location,memo',
      'TALLY-2026-11-C1,1,2026-11-12,"5120 Shrinkage, theft",19.99,0.00,USD,SHRINKAGE,SKU-1,WH-EAST,correction 1 (exception 9): erp -2 sellable',
      'TALLY-2026-11-C1,2,2026-11-12,1400 Inventory,0.00,19.99,USD,SHRINKAGE,SKU-1,WH-EAST,correction 1 (exception 9): erp -2 sellable',
      '',
    ]);
    expect(journalCsv(lines, closeCurrency('JPY'))).toContain(',1999,0,JPY,');
  });
});
