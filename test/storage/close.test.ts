/**
 * Month-end close on both engines: the snapshot and the open exceptions add up to the KPI's open
 * value, the journal balances, the period lock moves a correction dated inside the closed period
 * to the next open one, reopening needs another approver and is audited, and verify notices a
 * tampered audit row or close row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.ts';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import {
  applyCorrection,
  approveAndApply,
  approveCorrection,
  proposeCorrection,
} from '../../engine/services/corrections/index.ts';
import { computeKpis } from '../../engine/services/kpi/index.ts';
import {
  checkCloseHeads,
  closeCurrency,
  closePeriod,
  journalCsv,
  periodPositions,
  reopenPeriod,
  verifyClose,
  type CloseReport,
} from '../../engine/services/close/index.ts';
import { parsePeriod } from '../../engine/services/periods/index.ts';
import { createIntake } from '../../engine/core/normalize/intake.ts';
import type { Accounts, Roles } from '../../engine/core/rules/types.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { buildRuleset } from '../support/engine/ruleset.ts';
import { DEMO_RULES } from '../support/engine/demo-rules.ts';
import { ITEMS, baseline, event } from '../support/engine/scenario.ts';
import { keyResult, ownerByLocation, runResult } from './fixtures.ts';

const grant = (subject: string, role: 'resolver' | 'approver', line: number) => ({
  file: 'roles.yaml',
  line,
  subject,
  subjectKind: 'user' as const,
  role,
  locations: [],
});
const roles: Roles = {
  twoApproverThresholdValue: 100_000,
  grants: [grant('UR1', 'resolver', 1), grant('UA1', 'approver', 2), grant('UA2', 'approver', 3)],
};
const accounts: Accounts = {
  file: 'accounts.yaml',
  line: 1,
  currency: 'USD',
  inventoryAssetAccount: '1400 Inventory',
  adjustmentAccounts: new Map([
    ['PHYSICAL_COUNT', '5110 Count differences'],
    ['DAMAGED_IN_FACILITY', '5130 Damage, write-offs'],
  ]),
  defaultAdjustmentAccount: '5190 Other',
};
const NOV = parsePeriod('2026-11');
const USD = closeCurrency('USD');
const AFTER_NOV = '2026-12-05T09:00:00.000Z';

/** The ledger at the end of November: openings, a sale in November, one in December (left out). */
function novemberPositions() {
  const intake = createIntake(buildRuleset({ items: ITEMS, rules: DEMO_RULES }));
  intake.item({ sku: 'SKU-3', skuClass: 'apparel', unitCost: '0.1' });
  baseline(intake, ['SKU-1', 'SKU-2', 'SKU-3']);
  for (const [id, at, qty] of [
    ['S-NOV', '2026-11-20T10:00:00Z', 3],
    ['S-DEC', '2026-12-02T10:00:00Z', 5],
  ] as const)
    intake.event(
      event({
        source: 'wms-east',
        type: 'shipment',
        sourceEventId: id,
        sku: 'SKU-3',
        quantity: qty,
        occurredAt: at,
        recordedAt: at,
      }),
    );
  return periodPositions(intake, Date.parse(NOV.asOf), USD);
}

describe.each(testDatabases())('month-end close on $name', (engine) => {
  let db: Db;
  let closed: CloseReport;
  const propose = async (sku: string, delta: number, reasonCode: string, at: string) => {
    const exc = await db('exceptions').where({ sku }).first();
    return proposeCorrection(db, roles, {
      exceptionId: exc.id,
      actor: { id: 'UR1' },
      system: 'erp',
      deltaQuantity: delta,
      reasonCode,
      at,
    });
  };

  beforeAll(async () => {
    db = await engine.open();
    const run = (runId: string, asOf: string, results: ReturnType<typeof keyResult>[]) =>
      persistRun(db, runResult({ runId, asOf, results }), { owners: ownerByLocation });
    const A = keyResult({ sku: 'A', location: 'WH1', variance: -4, valueAtRisk: 40.1 });
    const B = keyResult({ sku: 'B', location: 'WH2', variance: -7, valueAtRisk: 70.35 });
    const C = keyResult({ sku: 'C', location: 'WH2', variance: 3, valueAtRisk: 0.3 });
    const D = keyResult({ sku: 'D', location: 'WH1', variance: 2, valueAtRisk: 19.99 });
    await run('n1', '2026-11-02T00:00:00.000Z', [A, B, C, D]);
    await run('n2', '2026-11-10T00:00:00.000Z', [B, C, D]); // A resolved
    await run('n3', '2026-11-28T00:00:00.000Z', [A, B, C, D]); // A reopened
    for (const [sku, delta, reason, at] of [
      ['B', 7, 'PHYSICAL_COUNT', '2026-11-12T00:00:00.000Z'],
      ['C', -3, 'DAMAGED_IN_FACILITY', '2026-11-13T00:00:00.000Z'],
    ] as const) {
      const { correction } = await propose(sku, delta, reason, at);
      await approveAndApply(db, roles, { correctionId: correction.id, actor: { id: 'UA1' }, at });
    }
    await run('d1', '2026-12-02T00:00:00.000Z', [A, D]); // B and C resolved in December
    closed = await closePeriod(db, {
      period: NOV,
      actor: 'UA1',
      positions: novemberPositions(),
      accounts,
      currency: USD,
      rulesetVersion: 'abc123',
      now: AFTER_NOV,
    });
  });
  afterAll(() => engine.close());

  it('values positions exactly at the item master cost as of the period end', () => {
    const sku3 = closed.positions.find((p) => p.sku === 'SKU-3' && p.bucket === 'sellable');
    // 100 opening − 3 shipped in November; December's shipment is after the close
    expect(sku3).toMatchObject({ quantity: 97, unitCost: '0.1', valueMinor: 970 });
    const sum = closed.positions.reduce((a, p) => a + p.valueMinor, 0);
    expect(closed.totals.positionsValueMinor).toBe(sum);
    expect(closed.totals.positionsWithoutCost).toBe(0);
  });

  it('lists the exceptions open at close, adding up to the KPI open value for the same period', async () => {
    expect(closed.openExceptions.map((e) => e.sku)).toEqual(['A', 'B', 'C', 'D']);
    const kpi = await computeKpis(db, { since: NOV.startsAt, until: NOV.asOf, by: 'location' });
    expect(closed.totals.openValueMinor).toBe(4010 + 7035 + 30 + 1999);
    expect(closed.totals.openValueMinor).toBe(kpi.total.openVarianceValueAtCloseMinor);
    for (const row of kpi.rows) {
      const mine = closed.openExceptions.filter((e) => e.location === row.group);
      const value = mine.reduce((a, e) => a + e.valueMinor, 0);
      expect(value).toBe(row.openVarianceValueAtCloseMinor);
    }
  });

  it('writes a journal entry per correction that balances, on the accounts of its reason', () => {
    expect(closed.corrections.map((c) => c.reasonCode)).toEqual([
      'PHYSICAL_COUNT',
      'DAMAGED_IN_FACILITY',
    ]);
    const byEntry = new Map<string, number>();
    for (const l of closed.journal)
      byEntry.set(l.entry, (byEntry.get(l.entry) ?? 0) + l.debitMinor - l.creditMinor);
    expect([...byEntry.values()]).toEqual([0, 0]);
    expect(closed.totals.debitMinor).toBe(closed.totals.creditMinor);
    expect(closed.totals.debitMinor).toBe(7035 + 30);
    const [up1, up2, down1, down2] = closed.journal;
    expect([up1!.account, up1!.debitMinor, up2!.account, up2!.creditMinor]).toEqual([
      '1400 Inventory',
      7035,
      '5110 Count differences',
      7035,
    ]);
    expect([down1!.account, down1!.debitMinor, down2!.account]).toEqual([
      '5130 Damage, write-offs',
      30,
      '1400 Inventory',
    ]);
    const csv = journalCsv(closed.journal, USD).trimEnd().split('\r\n');
    expect(csv[0]).toBe(
      'entry,line,posting_date,account,debit,credit,currency,reason_code,sku,location,memo',
    );
    expect(csv[1]).toMatch(/^TALLY-2026-11-C\d+,1,2026-11-12,1400 Inventory,70.35,0.00,USD,/);
    expect(csv[3]).toContain(',"5130 Damage, write-offs",0.30,0.00,USD,');
  });

  it('records the close with the audit head, and verify finds the period as closed', async () => {
    const head = (await db('audit_log').orderBy('seq', 'desc').first()) as { seq: number };
    expect(closed.auditHead?.seq).toBe(Number(head.seq));
    const v = await verifyClose(db, '2026-11');
    expect(v.checks.filter((c) => !c.ok)).toEqual([]);
    expect(v.ok).toBe(true);
  });

  it('refuses a second close and the close of a period that has not ended', async () => {
    const again = {
      period: NOV,
      actor: 'UA2',
      positions: [],
      accounts,
      currency: USD,
      rulesetVersion: 'abc123',
    };
    await expect(closePeriod(db, { ...again, now: AFTER_NOV })).rejects.toThrow(
      /period 2026-11 is already closed \(by UA1/,
    );
    await expect(
      closePeriod(db, { ...again, period: parsePeriod('2026-12'), now: AFTER_NOV }),
    ).rejects.toThrow(/period 2026-12 has not ended \(it ends at 2027-01-01T00:00:00.000Z\)/);
  });

  it('refuses a correction dated in the closed period and books it in the next open one', async () => {
    const inNov = '2026-11-29T15:00:00.000Z';
    const proposed = await propose('D', -2, 'PHYSICAL_COUNT', inNov);
    expect(proposed.notice).toMatch(/period 2026-11 is closed \(closed by UA1 at /);
    expect(proposed.correction.proposedAt).toBe('2026-12-01T00:00:00.000Z');
    await approveCorrection(db, roles, {
      correctionId: proposed.correction.id,
      actor: { id: 'UA2' },
      at: inNov,
    });
    const applied = await applyCorrection(db, {
      correctionId: proposed.correction.id,
      actor: 'UA2',
      at: inNov,
    });
    expect(applied.moved).toMatchObject({ requestedAt: inNov, bookedIn: '2026-12' });
    expect(applied.notice).toBe(
      `period 2026-11 is closed (closed by UA1 at ${AFTER_NOV}), so correction ${proposed.correction.id} ` +
        `cannot be dated ${inNov}; it is booked on 2026-12-01T00:00:00.000Z in the next open period, ` +
        '2026-12. To book it in 2026-11 instead, an approver other than UA1 reopens the period ' +
        '(tally close reopen --period 2026-11).',
    );
    const ledger = await db('events').where({ id: applied.eventId }).first();
    expect(ledger.occurred_at).toBe('2026-12-01T00:00:00.000Z');
    const history = await db('exception_history')
      .where({ exception_id: proposed.correction.exceptionId, to_state: 'applied' })
      .first();
    expect(history.reason).toContain('period 2026-11 is closed');
    // nothing was written into November: the close still verifies
    expect((await verifyClose(db, '2026-11')).ok).toBe(true);
  });

  it('refuses a reopen by a non-approver or by the closer, audits each attempt, and reopens for another approver', async () => {
    const reopen = (id: string) =>
      reopenPeriod(db, roles, {
        period: '2026-11',
        actor: { id },
        reason: 'late vendor credit',
        rulesetVersion: 'abc123',
        at: '2026-12-06T10:00:00.000Z',
      });
    await expect(reopen('UR1')).rejects.toMatchObject({
      code: 'NOT_APPROVER',
      message: expect.stringMatching(/UR1 has no approver role for WH-EAST, WH1, WH2/),
    });
    await expect(reopen('UA1')).rejects.toMatchObject({ code: 'SELF_REOPEN' });
    const denied = await db('audit_log').where({ action: 'period.reopen_denied' }).orderBy('seq');
    expect(denied.map((d: { actor: string }) => d.actor)).toEqual(['UR1', 'UA1']);

    const record = await reopen('UA2');
    expect(record).toMatchObject({ state: 'reopened', reopenedBy: 'UA2' });
    const entry = await db('audit_log').where({ action: 'period.reopened' }).first();
    expect(entry).toMatchObject({ actor: 'UA2', entity_type: 'period', entity_id: '2026-11' });
    expect(JSON.parse(entry.before)).toMatchObject({ state: 'closed', closedBy: 'UA1' });

    // open again: a correction dated in November is booked in November
    const late = await propose('A', 4, 'FOUND', '2026-11-30T12:00:00.000Z');
    expect(late.moved).toBeUndefined();
    const done = await approveAndApply(db, roles, {
      correctionId: late.correction.id,
      actor: { id: 'UA2' },
      at: '2026-11-30T13:00:00.000Z',
    });
    expect(done.applied?.moved).toBeUndefined();

    const again = await closePeriod(db, {
      period: NOV,
      actor: 'UA2',
      positions: closed.positions,
      accounts,
      currency: USD,
      rulesetVersion: 'abc123',
      now: '2026-12-06T11:00:00.000Z',
    });
    expect(again.corrections).toHaveLength(3);
    expect(again.journal.at(-1)).toMatchObject({ account: '5190 Other', reasonCode: 'FOUND' });
    expect((await db('close_periods').where({ period: '2026-11' }).first()).close_count).toBe(2);
    expect((await verifyClose(db, '2026-11')).ok).toBe(true);
  });

  it('verify detects a tampered audit row and a tampered close row', async () => {
    const victim = await db('audit_log').where({ action: 'correction.applied' }).first();
    await db('audit_log').where({ seq: victim.seq }).update({ actor: 'UX9' });
    const v = await verifyClose(db, '2026-11');
    expect(v.ok).toBe(false);
    expect(v.checks.find((c) => c.name === 'audit chain')).toMatchObject({
      ok: false,
      message: expect.stringContaining(`broken at entry ${victim.seq}`),
    });
    await db('audit_log').where({ seq: victim.seq }).update({ actor: victim.actor });

    await db('close_positions').where({ period: '2026-11', sku: 'SKU-3' }).update({ quantity: 1 });
    const t = await verifyClose(db, '2026-11');
    expect(t.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['close tables']);
  });

  it('verify and the audit check notice the log cut off at or before the head at close', async () => {
    expect(await checkCloseHeads(db)).toMatchObject([{ period: '2026-11', ok: true }]);
    const record = await db('close_periods').where({ period: '2026-11' }).first();
    await db('audit_log').where('seq', '>=', Number(record.audit_head_seq)).delete();
    const heads = await checkCloseHeads(db);
    expect(heads).toMatchObject([
      {
        ok: false,
        message: `entry ${record.audit_head_seq}, the head at the close of 2026-11, is gone (entries were removed)`,
      },
    ]);
    const v = await verifyClose(db, '2026-11');
    expect(v.checks.find((c) => c.name === 'audit chain')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/the anchored head, is gone/),
    });
  });

  it('verify notices a run dated inside the closed period stored after the close', async () => {
    // a run dated inside November saved now changes nothing December's run decided (a run as
    // of an earlier time is history, plan.ts); what verify must still catch is history inside
    // the period written after the close (a Tally before that rule, a hand edit): A resolved
    const A = keyResult({ sku: 'A', location: 'WH1', variance: -4, valueAtRisk: 40.1 });
    const late = await persistRun(
      db,
      runResult({ runId: 'late', asOf: '2026-11-29T00:00:00.000Z', results: [A] }),
      { owners: ownerByLocation },
    );
    expect(late.decidedLater.length).toBeGreaterThan(0);
    expect(
      (await verifyClose(db, '2026-11')).checks.find((c) => c.name === 'open at close'),
    ).toMatchObject({ ok: true });
    const a = (await db('exceptions').where({ sku: 'A' }).first('id')) as { id: number };
    await db('exception_history').insert({
      exception_id: a.id,
      from_state: 'reopened',
      to_state: 'resolved',
      actor: 'tally',
      at: '2026-11-29T00:00:00.000Z',
      reason: 'run late',
      run_id: 'late',
    });
    const v = await verifyClose(db, '2026-11');
    expect(v.checks.find((c) => c.name === 'open at close')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/differ from the close \(4 then, [0-3] now\)/),
    });
  });
});
