/**
 * The Slack approval path under the period lock: the current month is closed while a proposal
 * waits (the test's clock runs the close after the month's end), an approver clicks Approve, and
 * the correction is refused its date in the closed month, booked on the first instant of the next
 * one, and the approver is told so in an ephemeral message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifyRun } from '../../bot/notify.ts';
import { proposeCorrection } from '../../engine/services/corrections/index.ts';
import { closePeriod } from '../../engine/services/close/index.ts';
import { DEFAULT_CURRENCY } from '../../engine/core/model/money.ts';
import { periodContaining, nextPeriod } from '../../engine/services/periods/index.ts';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { blockActionsPayload, interactivityBody } from '../support/slack-signing.ts';
import { keyResult, ownerByLocation, runResult } from '../storage/fixtures.ts';
import { sqliteDb } from './db.ts';
import { RULESET, startBot, until } from './harness.ts';

let db: Db;
let bot: Awaited<ReturnType<typeof startBot>>;

beforeAll(async () => {
  db = await sqliteDb();
  bot = await startBot(db);
});
afterAll(async () => {
  await bot.stop();
  await db.destroy();
});

describe('approving in Slack a correction dated in a closed period', () => {
  it('books it in the next open period and tells the approver', async () => {
    const month = periodContaining(new Date().toISOString());
    const summary = await persistRun(
      db,
      runResult({
        runId: 'p1',
        asOf: month.startsAt,
        results: [keyResult({ sku: 'SKU-1', location: 'WH1', variance: -3, severity: 'high' })],
      }),
      { owners: ownerByLocation },
    );
    await notifyRun(db, RULESET, summary);
    await bot.worker.drain();
    const [message] = bot.fake.channelMessages('C0EAST');
    const { correction } = await proposeCorrection(db, RULESET.roles, {
      exceptionId: summary.opened[0]!,
      actor: { id: 'URES' },
      system: 'erp',
      deltaQuantity: 3,
      reasonCode: 'PHYSICAL_COUNT',
    });
    await closePeriod(db, {
      period: month,
      actor: 'UCLOSER',
      positions: [],
      accounts: {
        file: 'accounts.yaml',
        line: 1,
        inventoryAssetAccount: '1400',
        adjustmentAccounts: new Map(),
        defaultAdjustmentAccount: '5190',
      },
      currency: DEFAULT_CURRENCY,
      rulesetVersion: 'abc123',
      now: month.endsAt,
    });

    const payload = blockActionsPayload({
      userId: 'UAPP1',
      actionId: 'tally_approve',
      value: String(correction.id),
      channel: 'C0EAST',
      messageTs: message!.ts,
      responseUrl: bot.fake.responseUrl('UAPP1-approve'),
    });
    await bot.post(interactivityBody(payload));
    const next = nextPeriod(month);
    const told = await until(
      async () =>
        bot.fake.calls
          .filter((c) => c.method === 'response_url')
          .map((c) => String(c.args.text))
          .find((t) => t.startsWith('Applied, not where dated')),
      'the approver told',
    );
    expect(told).toMatch(
      new RegExp(
        `period ${month.name} is closed \\(closed by UCLOSER at ${month.endsAt}\\), so correction ${correction.id} cannot be dated .*; it is booked on ${next.startsAt} in the next open period, ${next.name}\\.`,
      ),
    );
    const booked = await db('events').where({ correction_id: correction.id }).first();
    expect(booked.occurred_at).toBe(next.startsAt);
    expect((await db('corrections').where({ id: correction.id }).first()).state).toBe('applied');
  });
});
