/**
 * The Slack loop under what people and Slack do (#14 item 9): a start with messages still
 * queued adds no chat.update; a message deleted in Slack is posted again and its new ts kept;
 * clicks on a message that is behind (resolved exception, decided correction) are answered;
 * the propose modal refuses a system the exception does not compare and asks about a delta
 * that widens or overshoots the variance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifyRun } from '../../bot/notify.ts';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import { proposeCorrection, rejectCorrection } from '../../engine/services/corrections/index.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { queueOpenExceptions } from '../../server/serve.ts';
import { testDatabases } from '../support/databases.ts';
import {
  blockActionsPayload,
  interactivityBody,
  viewSubmissionPayload,
} from '../support/slack-signing.ts';
import { keyResult, ownerByLocation, runResult } from '../storage/fixtures.ts';
import { RULESET, ROLES, startBot, until } from './harness.ts';

for (const engine of testDatabases()) {
  describe(`the Slack loop on ${engine.name}`, () => {
    let db: Db;
    let bot: Awaited<ReturnType<typeof startBot>>;
    let id = 0;

    beforeAll(async () => {
      db = await engine.open();
      bot = await startBot(db, { perChannelIntervalMs: 0 });
    });
    afterAll(async () => {
      await bot.stop();
      await engine.close();
    });

    const exception = () => db('exceptions').where({ id }).first();
    const methods = (from: number) => bot.fake.calls.slice(from).map((c) => c.method);
    const ephemerals = () =>
      bot.fake.calls.filter((c) => c.method === 'response_url').map((c) => String(c.args.text));
    const click = async (userId: string, actionId: string, value: string) => {
      const e = await exception();
      return bot.post(
        interactivityBody(
          blockActionsPayload({
            userId,
            actionId,
            value,
            channel: String(e.slack_channel),
            messageTs: String(e.slack_ts),
            responseUrl: bot.fake.responseUrl(`${userId}-${actionId}-${Date.now()}`),
          }),
        ),
      );
    };
    const propose = (values: Record<string, unknown>) =>
      bot.post(
        interactivityBody(
          viewSubmissionPayload({
            userId: 'URES',
            callbackId: 'tally_propose_modal',
            privateMetadata: String(id),
            values: {
              reason: {
                value: {
                  type: 'static_select',
                  selected_option: {
                    text: { type: 'plain_text', text: 'count' },
                    value: 'PHYSICAL_COUNT',
                  },
                },
              },
              ...values,
            },
          }),
        ),
      );
    const system = (name: string) => ({
      system: {
        value: {
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: name }, value: name },
        },
      },
    });
    const delta = (text: string) => ({
      delta: { value: { type: 'plain_text_input', value: text } },
    });

    it('starts without a chat.update for a message still queued', async () => {
      const summary = await persistRun(
        db,
        runResult({
          runId: 'r1',
          asOf: '2026-11-01T00:00:00.000Z',
          results: [keyResult({ sku: 'SKU-1', location: 'WH1', variance: -12 })],
        }),
        { owners: ownerByLocation },
      );
      id = summary.opened[0]!;
      await notifyRun(db, RULESET, summary);
      const from = bot.fake.calls.length;
      // tally serve starting while `tally run`'s messages are still in the outbox
      await queueOpenExceptions(db, RULESET);
      await bot.worker.drain();
      expect(methods(from).filter((m) => m === 'chat.update')).toEqual([]);
      expect(methods(from).filter((m) => m === 'chat.postMessage')).toHaveLength(2);
      expect((await exception()).slack_ts).toBeTruthy();
    });

    it('posts a message deleted in Slack again and keeps its new ts', async () => {
      const before = await exception();
      const gone = bot.fake.messages.findIndex((m) => m.ts === before.slack_ts);
      bot.fake.messages.splice(gone, 1);
      await bot.post(
        interactivityBody(
          blockActionsPayload({
            userId: 'URES',
            actionId: 'tally_assign',
            blockId: `tally_actions:${id}`,
            selectedUser: 'URES',
            channel: String(before.slack_channel),
            messageTs: String(before.slack_ts),
            responseUrl: bot.fake.responseUrl('assign'),
          }),
        ),
      );
      await until(async () => (await exception()).state === 'assigned', 'the assignment');
      await bot.worker.drain();
      const after = await exception();
      expect(after.slack_ts).not.toBe(before.slack_ts);
      const reposted = bot.fake.channelMessages(String(after.slack_channel));
      expect(reposted.map((m) => m.ts)).toContain(after.slack_ts);
      expect(await db('outbox').where({ state: 'failed' })).toHaveLength(0);
      // the next update goes to the new message
      await proposeCorrection(db, ROLES, {
        exceptionId: id,
        actor: { id: 'URES' },
        system: 'erp',
        deltaQuantity: 12,
        reasonCode: 'PHYSICAL_COUNT',
      });
      const { notifyException } = await import('../../bot/notify.ts');
      await notifyException(db, RULESET, id);
      await bot.worker.drain();
      const message = bot.fake
        .channelMessages(String(after.slack_channel))
        .find((m) => m.ts === after.slack_ts)!;
      expect(message.edited).toBe(true);
      expect(JSON.stringify(message.blocks)).toContain('tally_approve');
    });

    it('answers a click on a correction someone already decided', async () => {
      const c = await db('corrections').where({ exception_id: id }).first();
      await rejectCorrection(db, ROLES, { correctionId: Number(c.id), actor: { id: 'UAPP1' } });
      await click('UAPP2', 'tally_approve', String(c.id));
      await until(
        async () => ephemerals().find((t) => t.includes(`Correction ${c.id} is already rejected`)),
        'the answer to a stale approve',
      );
      expect((await db('corrections').where({ id: c.id }).first()).state).toBe('rejected');
    });

    it('refuses a system the exception does not compare, and asks about a wrong delta', async () => {
      const refused = await propose({ ...system('shopify-nowhere'), ...delta('12') });
      expect(JSON.parse(refused.text).errors.system).toBe(
        '"shopify-nowhere" is not a source of this exception; pick erp, wms.',
      );
      const widening = await propose({ ...system('erp'), ...delta('-5') });
      expect(JSON.parse(widening.text).errors.delta).toMatch(
        /^erp is -12 each against the ledger; -5 moves it further away \(-17\)\. \+12 closes it\./,
      );
      const overshoot = await propose({ ...system('erp'), ...delta('+100') });
      expect(JSON.parse(overshoot.text).errors.delta).toMatch(
        /erp is -12 each against the ledger; \+100 overshoots it \(\+88 the other way\)\. \+12 closes it\. Tick "on purpose"/,
      );
      expect(await db('corrections').where({ exception_id: id, state: 'proposed' })).toHaveLength(
        0,
      );
      const meant = await propose({
        ...system('erp'),
        ...delta('+100'),
        confirm: {
          value: {
            type: 'checkboxes',
            selected_options: [
              { text: { type: 'plain_text', text: 'on purpose' }, value: 'on_purpose' },
            ],
          },
        },
      });
      expect(meant.text).toBe('');
      await until(
        async () => db('corrections').where({ exception_id: id, state: 'proposed' }).first(),
        'the proposal made on purpose',
      );
    });

    it('answers a click on a resolved exception and refreshes its message', async () => {
      const summary = await persistRun(
        db,
        runResult({ runId: 'r2', asOf: '2026-11-02T00:00:00.000Z', results: [] }),
        { owners: ownerByLocation },
      );
      await notifyRun(db, RULESET, summary);
      await bot.worker.drain();
      expect((await exception()).state).toBe('resolved');
      await click('URES', 'tally_explain', String(id));
      await until(
        async () => ephemerals().find((t) => t.startsWith(`Exception ${id} is resolved`)),
        'the answer to a click on a resolved exception',
      );
      expect(bot.fake.views.filter((v) => v.callback_id === 'tally_explain_modal')).toHaveLength(0);
    });
  });
}
