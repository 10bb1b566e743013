/**
 * End to end against the fake Slack: a run raises an exception → its message lands in the
 * owner's channel → Assign → Explain → message updated; Propose → self-approval refused →
 * another approver approves → the correction is applied once → the next run resolves the
 * exception → the audit chain verifies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifyRun } from '../../bot/notify.ts';
import { verifyAudit } from '../../engine/services/audit/verify.ts';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import type { Db } from '../../engine/services/store/db.ts';
import {
  blockActionsPayload,
  interactivityBody,
  viewSubmissionPayload,
  type ActionInput,
} from '../support/slack-signing.ts';
import { keyResult, ownerByLocation, runResult } from '../storage/fixtures.ts';
import { sqliteDb } from './db.ts';
import { RULESET, startBot, until } from './harness.ts';

let db: Db;
let bot: Awaited<ReturnType<typeof startBot>>;
let exceptionId = 0;
let messageTs = '';

beforeAll(async () => {
  db = await sqliteDb();
  bot = await startBot(db);
});
afterAll(async () => {
  await bot.stop();
  await db.destroy();
});

const exception = () => db('exceptions').where({ id: exceptionId }).first();
const ephemerals = () =>
  bot.fake.calls.filter((c) => c.method === 'response_url').map((c) => String(c.args.text));

function click(input: Omit<ActionInput, 'channel' | 'messageTs' | 'responseUrl'>) {
  const payload = blockActionsPayload({
    ...input,
    channel: 'C0EAST',
    messageTs,
    responseUrl: bot.fake.responseUrl(`${input.userId}-${input.actionId}`),
  });
  return bot.post(interactivityBody(payload));
}

async function run(runId: string, asOf: string, variance: number | null) {
  const results =
    variance === null
      ? []
      : [keyResult({ sku: 'SKU-1', location: 'WH1', variance, severity: 'high' })];
  const summary = await persistRun(db, runResult({ runId, asOf, results }), {
    owners: ownerByLocation,
  });
  await notifyRun(db, RULESET, summary);
  await bot.worker.drain();
  return summary;
}

describe('exception lifecycle in Slack', () => {
  it('posts one message with metadata and the evidence thread in the owner channel', async () => {
    const summary = await run('r1', '2026-11-01T00:00:00.000Z', -12);
    exceptionId = summary.opened[0]!;
    const messages = bot.fake.channelMessages('C0EAST');
    expect(messages).toHaveLength(1);
    expect(bot.fake.channelMessages('C0WEST')).toHaveLength(0);
    const [message] = messages;
    messageTs = message!.ts;
    expect(message!.metadata).toEqual({
      event_type: 'tally_exception',
      event_payload: {
        exception_id: String(exceptionId),
        ruleset_version: 'abc123',
        outbox_key: `exception:${exceptionId}:message`,
      },
    });
    expect(message!.text).toMatch(/SKU-1.*WH1.*-12 each.*high.*missing posting/);
    expect(bot.fake.threadReplies('C0EAST', messageTs)).toHaveLength(1);
    expect((await exception()).slack_ts).toBe(messageTs);
  });

  it('assigns on a users_select, once under a double click', async () => {
    const blockId = `tally_actions:${exceptionId}`;
    const first = await click({
      userId: 'URES',
      actionId: 'tally_assign',
      blockId,
      selectedUser: 'URES',
    });
    expect(first.status).toBe(200);
    await until(async () => (await exception()).state === 'assigned', 'assignment');
    await click({ userId: 'URES', actionId: 'tally_assign', blockId, selectedUser: 'URES' });
    await new Promise((r) => setTimeout(r, 300));
    const history = await db('exception_history').where({
      exception_id: exceptionId,
      to_state: 'assigned',
    });
    expect(history).toHaveLength(1);
  });

  it('refuses a viewer with an ephemeral explanation and changes nothing', async () => {
    await click({ userId: 'UVIEW', actionId: 'tally_explain', value: String(exceptionId) });
    await until(async () => ephemerals().some((t) => /resolver role/.test(t)), 'ephemeral refusal');
    expect((await exception()).state).toBe('assigned');
    expect(bot.fake.views).toHaveLength(0);
    const denied = await db('audit_log').where({
      action: 'slack.denied.tally_explain',
      actor: 'UVIEW',
    });
    expect(denied).toHaveLength(1);
  });

  it('refuses a viewer who submits a modal anyway, in the modal, and changes nothing', async () => {
    const submission = viewSubmissionPayload({
      userId: 'UVIEW',
      callbackId: 'tally_propose_modal',
      privateMetadata: String(exceptionId),
      values: { delta: { value: { type: 'plain_text_input', value: '12' } } },
    });
    const r = await bot.post(interactivityBody(submission));
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual({
      response_action: 'errors',
      errors: { delta: 'You need the resolver role for this location. Nothing was changed.' },
    });
    expect(await db('corrections').where({ exception_id: exceptionId })).toHaveLength(0);
    const denied = await db('audit_log').where({ action: 'slack.denied.propose', actor: 'UVIEW' });
    expect(denied).toHaveLength(1);
  });

  it('explains through the modal and updates the message in place', async () => {
    await click({ userId: 'URES', actionId: 'tally_explain', value: String(exceptionId) });
    await until(async () => bot.fake.views.length === 1, 'explain modal');
    expect(bot.fake.views[0]).toMatchObject({
      callback_id: 'tally_explain_modal',
      private_metadata: String(exceptionId),
    });
    const submission = viewSubmissionPayload({
      userId: 'URES',
      callbackId: 'tally_explain_modal',
      privateMetadata: String(exceptionId),
      values: {
        reason: {
          code: {
            type: 'static_select',
            selected_option: {
              text: { type: 'plain_text', text: 'LATE_EVENT' },
              value: 'LATE_EVENT',
            },
          },
        },
        note: { text: { type: 'plain_text_input', value: 'WMS posted after cutoff' } },
      },
    });
    expect((await bot.post(interactivityBody(submission))).status).toBe(200);
    await until(async () => (await exception()).state === 'explained', 'explanation');
    await bot.worker.drain();
    const [message] = bot.fake.channelMessages('C0EAST');
    expect(bot.fake.channelMessages('C0EAST')).toHaveLength(1);
    expect(message!.edited).toBe(true);
    expect(JSON.stringify(message!.blocks)).toMatch(/explained: LATE_EVENT/);
  });

  it('proposes, refuses self-approval, applies once on another approver, resolves on the next run', async () => {
    await click({ userId: 'UAPP1', actionId: 'tally_propose', value: String(exceptionId) });
    await until(async () => bot.fake.views.length === 2, 'propose modal');
    const modal = JSON.stringify(bot.fake.views[1]);
    expect(modal).toMatch(/"initial_value":"12"/);
    const submission = viewSubmissionPayload({
      userId: 'UAPP1',
      callbackId: 'tally_propose_modal',
      privateMetadata: String(exceptionId),
      values: {
        system: {
          value: {
            type: 'static_select',
            selected_option: { text: { type: 'plain_text', text: 'erp' }, value: 'erp' },
          },
        },
        delta: { value: { type: 'plain_text_input', value: '12' } },
        reason: {
          value: {
            type: 'static_select',
            selected_option: {
              text: { type: 'plain_text', text: 'count' },
              value: 'PHYSICAL_COUNT',
            },
          },
        },
        note: { text: { type: 'plain_text_input', value: 'cycle count' } },
      },
    });
    await bot.post(interactivityBody(submission));
    const correction = await until(
      async () => db('corrections').where({ exception_id: exceptionId }).first(),
      'proposal',
    );
    await bot.worker.drain();
    expect(JSON.stringify(bot.fake.channelMessages('C0EAST')[0]!.blocks)).toMatch(/tally_approve/);

    await click({ userId: 'UAPP1', actionId: 'tally_approve', value: String(correction.id) });
    await until(
      async () => ephemerals().some((t) => /SELF_APPROVAL/.test(t)),
      'self-approval refusal',
    );
    expect((await db('corrections').where({ id: correction.id }).first()).state).toBe('proposed');

    // UAPP2 is an approver through the S0APPROVERS user group; a double click applies once
    await Promise.all([
      click({ userId: 'UAPP2', actionId: 'tally_approve', value: String(correction.id) }),
      click({ userId: 'UAPP2', actionId: 'tally_approve', value: String(correction.id) }),
    ]);
    await until(async () => (await exception()).state === 'applied', 'applied');
    expect(bot.fake.calls.some((c) => c.method === 'usergroups.users.list')).toBe(true);
    const booked = await db('events').where({ correction_id: correction.id });
    expect(booked).toHaveLength(1);
    expect((await db('corrections').where({ id: correction.id }).first()).state).toBe('applied');

    await run('r2', '2026-11-02T00:00:00.000Z', null);
    expect((await exception()).state).toBe('resolved');
    const messages = bot.fake.channelMessages('C0EAST');
    expect(messages).toHaveLength(1);
    expect(JSON.stringify(messages[0]!.blocks)).toMatch(
      /:white_check_mark: Resolved · SKU-1 at WH1/,
    );
    expect(await verifyAudit(db)).toMatchObject({ ok: true });
  });
});
