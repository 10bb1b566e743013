/**
 * Explain-to-rule end to end: the real Bolt app against the fake Slack, signed view_submission
 * payloads. Explained with "holds in general" ticked, the exception's thread gets a post with
 * the suggested rule as a `rules:` YAML block (explaining with the given code) and its rule
 * test; explained without it, no suggestion is posted; a one-off code with the box ticked is
 * refused in the modal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { notifyRun } from '../../bot/notify.ts';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import type { Facts } from '../../engine/core/facts.ts';
import type { Db } from '../../engine/services/store/db.ts';
import {
  blockActionsPayload,
  interactivityBody,
  viewSubmissionPayload,
} from '../support/slack-signing.ts';
import { testDatabases } from '../support/databases.ts';
import { keyResult, ownerByLocation, runResult } from '../storage/fixtures.ts';
import { RULESET, startBot, until } from './harness.ts';

const CHANNEL = 'C0EAST';

function facts(sku: string, variance: number): Facts {
  return {
    ...{ sku, skuClass: 'A', category: '', location: 'WH1', locationType: '3pl_warehouse' },
    ...{ bucket: 'sellable', source: 'erp', sourceRole: 'erp', isSystemOfRecord: false },
    ...{ expectedQuantity: 100, sourceQuantity: 100 + variance, variance },
    ...{ absVariance: Math.abs(variance), variancePct: Math.abs(variance), valueAtRisk: 40 },
    ...{ withinTolerance: false, toleranceAbsolute: -1, tolerancePercent: -1 },
    ...{ pendingInTransit: 0, overdueInTransit: 0, unmatchedInWindow: 0 },
    ...{ unmatchedInWindowQuantity: 0, unmatchedOutsideWindow: 0 },
    ...{ unmatchedOutsideWindowQuantity: 0, lateEvents: 2, duplicateEvents: 0 },
    ...{ duplicateQuantity: 0, netVarianceAcrossBuckets: variance, uomRounding: false },
    ...{ varianceIsUnitMultiple: false, adjustmentsOutsideSystemOfRecord: 0 },
    ...{ adjustmentsOutsideSystemOfRecordQuantity: 0, hoursSinceSourceEvent: 3 },
    ...{ expectedSellable: 100, channelSellable: -1 },
    ...{ unmatchedTypes: '', unmatchedReasonCodes: '', missingSide: '' },
    ...{ unmatchedCountAdjustments: 0, unmatchedCountAdjustmentQuantity: 0 },
    statusMovesInWindowQuantity: 0,
    ...{ adjustmentsBySystemOfRecord: 0, agreesWithSource: '', agreeingSources: 0 },
  };
}

const checkbox = (ticked: boolean) => ({
  type: 'checkboxes',
  selected_options: ticked
    ? [
        {
          text: { type: 'plain_text', text: 'This holds in general — suggest a rule' },
          value: 'suggest_rule',
        },
      ]
    : [],
});

function explainBody(exceptionId: number, code: string, general: boolean): string {
  const payload = viewSubmissionPayload({
    userId: 'URES',
    callbackId: 'tally_explain_modal',
    privateMetadata: String(exceptionId),
    values: {
      reason: {
        code: {
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: code }, value: code },
        },
      },
      note: { text: { type: 'plain_text_input', value: 'the 3PL posts after the cutoff' } },
      general: { holds: checkbox(general) },
    },
  });
  return interactivityBody(payload);
}

type Block = { type: string; text?: { text: string } };
const textOf = (blocks: unknown[] | undefined) =>
  ((blocks ?? []) as Block[]).map((b) => b.text?.text ?? '').join('\n');
/** The YAML in the first code block after `title` in a message's text. */
function codeBlockAfter(text: string, title: RegExp): string {
  const at = text.search(title);
  const match = /```\n([\s\S]*?)\n```/.exec(text.slice(at));
  if (at < 0 || !match) throw new Error(`no code block after ${String(title)} in:\n${text}`);
  return match[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

describe.each(testDatabases())('explain-to-rule in Slack on $name', (engine) => {
  let db: Db;
  let bot: Awaited<ReturnType<typeof startBot>>;
  const ids: Record<string, number> = {};
  const tsOf: Record<string, string> = {};

  beforeAll(async () => {
    db = await engine.open();
    bot = await startBot(db, { perChannelIntervalMs: 0 });
    const results = ['SKU-GEN', 'SKU-ONE', 'SKU-OTHER'].map((sku) =>
      keyResult({ sku, location: 'WH1', variance: -4, severity: 'high', facts: facts(sku, -4) }),
    );
    const asOf = '2026-11-01T00:00:00.000Z';
    const summary = await persistRun(db, runResult({ runId: 'r1', asOf, results }), {
      owners: ownerByLocation,
    });
    await notifyRun(db, RULESET, summary);
    await bot.worker.drain();
    for (const id of summary.opened) {
      const row = await db('exceptions').where({ id }).first();
      ids[row.sku] = id;
      tsOf[row.sku] = row.slack_ts;
    }
  });
  afterAll(async () => {
    await bot?.stop();
    await engine.close();
  });

  const state = async (sku: string) =>
    (await db('exceptions').where({ id: ids[sku] }).first()).state as string;
  const suggestions = (sku: string) =>
    bot.fake
      .threadReplies(CHANNEL, tsOf[sku]!)
      .filter((m) => m.metadata?.event_type === 'tally_rule_suggestion');

  it('offers "holds in general" in the Explain modal, unticked', async () => {
    const payload = blockActionsPayload({
      userId: 'URES',
      channel: CHANNEL,
      messageTs: tsOf['SKU-GEN']!,
      actionId: 'tally_explain',
      value: String(ids['SKU-GEN']),
      responseUrl: bot.fake.responseUrl('open'),
    });
    await bot.post(interactivityBody(payload));
    await until(async () => bot.fake.views.length === 1, 'explain modal');
    const general = (bot.fake.views[0] as { blocks: Record<string, unknown>[] }).blocks.find(
      (b) => b.block_id === 'general',
    );
    expect(general).toMatchObject({
      type: 'input',
      optional: true,
      element: { type: 'checkboxes', action_id: 'holds', options: [{ value: 'suggest_rule' }] },
    });
    expect(general!.element).not.toHaveProperty('initial_options');
  });

  it('posts the suggested rule and its test in the thread when ticked', async () => {
    const res = await bot.post(explainBody(ids['SKU-GEN']!, 'LATE_EVENT', true));
    expect(res.status).toBe(200);
    await until(async () => (await state('SKU-GEN')) === 'explained', 'explanation');
    await until(async () => {
      await bot.worker.drain();
      return suggestions('SKU-GEN').length === 1;
    }, 'suggestion in the thread');
    const [post] = suggestions('SKU-GEN');
    const text = textOf(post!.blocks);
    expect(text).toMatch(/add this rule to rules\/classification\.yaml/);
    const rules = parse(codeBlockAfter(text, /\*Rule\*/)) as { rules: Record<string, unknown>[] };
    expect(rules.rules).toHaveLength(1);
    const [rule] = rules.rules;
    expect(rule!.outcome).toEqual({ type: 'explained', code: 'LATE_EVENT' });
    expect(rule!.conditions).toMatchObject({
      all: expect.arrayContaining([{ fact: 'lateEvents', operator: 'greaterThan', value: 0 }]),
    });
    // the test holds the case's facts and expects the suggested rule to explain it
    const test = parse(codeBlockAfter(text, /\*Test\*/)) as {
      kind: string;
      tests: { facts: Record<string, unknown>; expect: Record<string, unknown> }[];
    };
    expect(test.kind).toBe('RuleTests');
    expect(test.tests[0]!.facts).toMatchObject({ sku: 'SKU-GEN', lateEvents: 2, variance: -4 });
    expect(test.tests[0]!.expect).toEqual({
      outcome: 'explained',
      code: 'LATE_EVENT',
      rule: rule!.name,
    });
    expect(post!.metadata?.event_payload).toMatchObject({ exception_id: String(ids['SKU-GEN']) });
    // the exception's own message is still the only top-level one for it
    expect(bot.fake.channelMessages(CHANNEL)).toHaveLength(3);
  });

  it('posts no suggestion when the box is not ticked', async () => {
    await bot.post(explainBody(ids['SKU-ONE']!, 'LATE_EVENT', false));
    await until(async () => (await state('SKU-ONE')) === 'explained', 'explanation');
    await bot.worker.drain();
    const pending = await db('outbox').where(
      'outbox_key',
      'like',
      `exception:${ids['SKU-ONE']}:rule%`,
    );
    expect(pending).toHaveLength(0);
    expect(suggestions('SKU-ONE')).toHaveLength(0);
  });

  it('refuses to suggest a rule for a one-off reason, in the modal, and changes nothing', async () => {
    const res = await bot.post(explainBody(ids['SKU-OTHER']!, 'OTHER', true));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({
      response_action: 'errors',
      errors: { general: expect.stringMatching(/OTHER names no general reason/) },
    });
    expect(await state('SKU-OTHER')).toBe('open');
  });
});
