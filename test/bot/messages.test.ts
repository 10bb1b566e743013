/**
 * The exception message and its evidence thread, as an ops lead reads them: through the real
 * Bolt app against the fake Slack, on SQLite and PostgreSQL. Every payload Slack receives is
 * checked against Block Kit's rules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifyRun } from '../../bot/notify.ts';
import type { MovementEvent } from '../../engine/core/model/types.ts';
import type { KeyResult } from '../../engine/core/recon/types.ts';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { signed } from '../../bot/views/format.ts';
import { formatMoney } from '../../engine/core/model/money.ts';
import { callProblems } from '../support/block-kit.ts';
import { testDatabases } from '../support/databases.ts';
import {
  blockActionsPayload,
  interactivityBody,
  viewSubmissionPayload,
} from '../support/slack-signing.ts';
import { keyResult, ownerByLocation, runResult } from '../storage/fixtures.ts';
import { RULESET, startBot, until } from './harness.ts';

const RULES = {
  ...RULESET,
  classification: {
    ...RULESET.classification,
    rules: RULESET.classification.rules.map((r) => ({
      ...r,
      description: 'A movement the system of record booked has not been posted by this source.',
    })),
  },
};

function move(i: number): MovementEvent {
  return {
    source: 'wms',
    sourceEventId: `SHIP-${i}`,
    type: 'shipment',
    sku: 'SKU-1',
    from: { kind: 'stock', location: 'WH1', bucket: 'sellable' },
    to: { kind: 'outside', account: 'customer' },
    quantity: 45,
    occurredAt: `2026-10-${String(10 + (i % 20)).padStart(2, '0')}T08:15:30.123Z`,
    recordedAt: '2026-10-31T00:00:00.000Z',
    reference: `SO-${i}`,
  };
}

/** A large shortfall with a long movement history, one break and the raw facts of a real run. */
function bigBreak(): KeyResult {
  const k = keyResult({ sku: 'SKU-1', location: 'WH1', variance: -1155, severity: 'critical' });
  k.valueAtRiskMinor = 1_201_250;
  const ev = k.evidence!;
  ev.quantities = { erp: 1000, wms: 2155 };
  ev.expected = 2155;
  ev.history = Array.from({ length: 28 }, (_, i) => move(i));
  ev.unmatched = [
    {
      source: 'wms',
      sourceEventId: 'SHIP-99',
      type: 'shipment',
      reference: 'SO-99',
      quantity: -1155,
      occurredAt: '2026-10-30T22:00:00.000Z',
      missingIn: ['erp'],
      status: 'break',
    },
  ];
  ev.decidedBy = { rule: 'missing-posting', file: 'classification.yaml', line: 12 };
  ev.rules = [
    {
      rule: 'missing-posting',
      line: 12,
      priority: 100,
      fired: true,
      conditions: [
        { fact: 'absVariance', operator: 'greaterThan', value: 0, factValue: 1155, result: true },
      ],
    },
  ] as unknown as typeof ev.rules;
  ev.tolerance = { absolute: 2, from: 'tolerances.yaml:4' };
  ev.facts = { ...ev.facts, tolerancePercent: -1, hoursSinceSourceEvent: -1 };
  return k;
}

describe.each(testDatabases())('exception message and evidence thread on $name', (engine) => {
  let db: Db;
  let bot: Awaited<ReturnType<typeof startBot>>;
  let id = 0;
  let ts = '';
  beforeAll(async () => {
    db = await engine.open();
    bot = await startBot(db, { perChannelIntervalMs: 0, ruleset: RULES });
  });
  afterAll(async () => {
    await bot.stop();
    await engine.close();
  });

  const run = async (runId: string, asOf: string, results: KeyResult[]) => {
    const summary = await persistRun(db, runResult({ runId, asOf, results }), {
      owners: ownerByLocation,
    });
    await notifyRun(db, RULES, summary, new Date(asOf));
    await bot.worker.drain();
    return summary;
  };
  const message = () => bot.fake.channelMessages('C0EAST')[0]!;
  const blocksText = () => JSON.stringify(message().blocks);

  it('says severity, value at risk, what to do next, with grouped quantities', async () => {
    const summary = await run('r1', '2026-11-01T00:00:00.000Z', [bigBreak()]);
    id = summary.opened[0]!;
    ts = message().ts;
    const blocks = message().blocks as { type: string; text?: { text: string } }[];
    expect(blocks[0]).toMatchObject({ type: 'header' });
    expect(blocks[0]!.text!.text).toBe(':red_circle: Critical · SKU-1 at WH1');
    const text = blocksText();
    expect(text).toContain('*-1,155 each*');
    expect(text).toContain('erp: *1,000* · wms: *2,155* · expected (ledger): *2,155*');
    expect(text).toContain('*Value at risk*\\n$12,012.50');
    expect(text).toContain('*Severity*\\nCritical');
    expect(text).toMatch(/\*Next:\* \*Assign\* someone to find the movement erp has not posted/);
    expect(message().text).toContain('value at risk $12,012.50');
    expect(text).toContain('tally_actions:');
  });

  it('leads the thread with the break and the reason, a few movements, then the command', async () => {
    const [thread] = bot.fake.threadReplies('C0EAST', ts);
    const blocks = thread!.blocks as { type: string; text?: { text: string } }[];
    const all = JSON.stringify(blocks);
    expect(blocks[0]!.text!.text).toBe(
      '*What broke:* at WH1 (sellable), erp shows *1,000 each* of SKU-1 where the books expect ' +
        '*2,155*: *1,155 fewer*.',
    );
    expect(blocks[1]!.text!.text).toMatch(
      /^\*Why:\* A movement the system of record booked has not been posted by this source\./,
    );
    expect(all).toContain('Oct 30 22:00 UTC: wms shipment of -1,155 (ref SO-99), not in erp');
    const bullets = all.match(/• /g) ?? [];
    expect(bullets.length).toBeLessThanOrEqual(5);
    expect(all).toContain('and 25 more (command below)');
    for (const raw of ['tolerancePercent', '=-1', 'greaterThan', '→ true', '.123Z', 'T08:15'])
      expect(all).not.toContain(raw);
    expect(all).toContain('tolerance ±2 each');
    const last = JSON.stringify(blocks.at(-1));
    expect(last).toContain(`\`tally exceptions show ${id}\``);
  });

  it('shows a proposed correction with its value, and closes visibly when resolved', async () => {
    const click = (userId: string, actionId: string, value: string) =>
      bot.post(
        interactivityBody(
          blockActionsPayload({
            userId,
            actionId,
            value,
            channel: 'C0EAST',
            messageTs: ts,
            responseUrl: bot.fake.responseUrl(`${userId}-${actionId}`),
          }),
        ),
      );
    const submission = viewSubmissionPayload({
      userId: 'URES',
      callbackId: 'tally_propose_modal',
      privateMetadata: String(id),
      values: {
        system: {
          value: {
            type: 'static_select',
            selected_option: { text: { type: 'plain_text', text: 'erp' }, value: 'erp' },
          },
        },
        delta: { value: { type: 'plain_text_input', value: '1155' } },
        reason: {
          value: {
            type: 'static_select',
            selected_option: {
              text: { type: 'plain_text', text: 'count' },
              value: 'PHYSICAL_COUNT',
            },
          },
        },
        note: { text: { type: 'plain_text_input', value: 'posting lost' } },
      },
    });
    await bot.post(interactivityBody(submission));
    const correction = await until(
      async () => db('corrections').where({ exception_id: id }).first(),
      'proposal',
    );
    // the handler queues the update after it stores the correction: wait for the message
    const shows = (text: string) => async () => {
      await bot.worker.drain();
      return blocksText().includes(text);
    };
    await until(shows('(proposed)'), 'the message to show the proposal');
    const proposed = blocksText();
    expect(proposed).toMatch(
      /\*Correction #\d+\* \(proposed\): erp \+1,155 each · \*worth \$12,012\.50\*/,
    );
    expect(proposed).toMatch(/\*Next:\* An approver other than <@URES> approves or rejects/);
    expect(proposed).toContain('tally_approve');

    await click('UAPP1', 'tally_approve', String(correction.id));
    await until(
      async () => (await db('exceptions').where({ id }).first()).state === 'applied',
      'applied',
    );
    await until(shows('Correction applied'), 'the message to show the correction applied');
    const applied = message().blocks as { type: string; text?: { text: string } }[];
    expect(applied[0]!.text!.text).toBe(':white_check_mark: Correction applied · SKU-1 at WH1');
    expect(applied.some((b) => b.type === 'actions')).toBe(false);

    await run('r2', '2026-11-02T00:00:00.000Z', []);
    const closed = message().blocks as { type: string; text?: { text: string } }[];
    expect(closed[0]!.text!.text).toBe(':white_check_mark: Resolved · SKU-1 at WH1');
    expect(closed.some((b) => b.type === 'actions')).toBe(false);
    expect(JSON.stringify(closed)).toContain('~');
    expect(message().text).toMatch(/^\[resolved\] /);
    expect(bot.fake.channelMessages('C0EAST')).toHaveLength(1);
  });

  it('sent nothing Block Kit would refuse', () => {
    expect(callProblems(bot.fake.calls)).toEqual([]);
  });
});

describe('money in messages', () => {
  it('writes stored minor units grouped, with the currency', () => {
    expect(formatMoney(23960)).toBe('$239.60');
    expect(formatMoney(64218)).toBe('$642.18');
    expect(formatMoney(123456789)).toBe('$1,234,567.89');
    expect(formatMoney(-1250)).toBe('-$12.50');
    expect(signed(-1155)).toBe('-1,155');
    expect(signed(1155)).toBe('+1,155');
  });
});
