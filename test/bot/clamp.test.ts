import { describe, expect, it } from 'vitest';
import type { ExceptionCard } from '../../bot/card.ts';
import { LIMITS, clampModal, type Block } from '../../bot/views/clamp.ts';
import { evidenceBlocks } from '../../bot/views/evidence.ts';
import { exceptionMessage } from '../../bot/views/exception-message.ts';
import { proposeModal } from '../../bot/views/modals.ts';
import type { MovementEvent } from '../../engine/core/model/types.ts';
import { keyResult } from '../storage/fixtures.ts';

function card(historyCount: number, sku = 'SKU-1'): ExceptionCard {
  const evidence = keyResult({ sku, location: 'WH1', variance: -12 }).evidence!;
  const move = (i: number): MovementEvent => ({
    source: 'wms',
    sourceEventId: `e${i}`,
    type: 'shipment',
    sku,
    from: { kind: 'stock', location: 'WH1', bucket: 'sellable' },
    to: { kind: 'outside', account: 'customer' },
    quantity: 1,
    occurredAt: '2026-11-01T00:00:00.000Z',
    recordedAt: '2026-11-01T00:00:00.000Z',
    reference: `ORDER-${'X'.repeat(200)}-${i}`,
  });
  evidence.history = Array.from({ length: historyCount }, (_, i) => move(i));
  return {
    id: 7,
    state: 'open',
    sku,
    location: 'WH1',
    bucket: 'sellable',
    source: 'erp',
    cause: 'MISSING_POSTING',
    causes: ['MISSING_POSTING'],
    severity: 'high',
    owner: 'ops-east',
    assignee: null,
    explanation: null,
    variance: -12,
    valueAtRiskMinor: 12000,
    currency: 'USD',
    firstSeenAt: '2026-11-01T00:00:00.000Z',
    openedAt: '2026-11-01T00:00:00.000Z',
    recurrence: 1,
    processFailure: false,
    rulesetVersion: 'abc123',
    version: 1,
    slackChannel: null,
    slackTs: null,
    evidence,
    correction: null,
  };
}

function texts(blocks: Block[]): string[] {
  return blocks.flatMap((b) => {
    const out: string[] = [];
    if (b.text) out.push((b.text as { text: string }).text);
    for (const e of (b.elements as { text?: unknown }[] | undefined) ?? []) {
      if (typeof e.text === 'string') out.push(e.text);
    }
    return out;
  });
}

describe('Block Kit limits', () => {
  it('cuts long evidence to 50 blocks and 3000 characters with a pointer to the CLI', () => {
    const blocks = evidenceBlocks(card(5000));
    expect(blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
    for (const t of texts(blocks)) expect(t.length).toBeLessThanOrEqual(LIMITS.sectionTextChars);
    expect(JSON.stringify(blocks)).toContain('tally exceptions show 7');
  });

  it('keeps short evidence whole, without a pointer', () => {
    const blocks = evidenceBlocks(card(2));
    expect(JSON.stringify(blocks)).not.toContain('Cut to fit');
    expect(JSON.stringify(blocks).match(/ref ORDER-/g)).toHaveLength(2);
  });

  it('cuts a huge headline and keeps button texts, values and ids within limits', () => {
    const m = exceptionMessage(card(0, 'S'.repeat(5000)));
    for (const t of texts(m.blocks)) expect(t.length).toBeLessThanOrEqual(LIMITS.sectionTextChars);
    const actions = m.blocks.find((b) => b.type === 'actions')!;
    for (const e of actions.elements as {
      type: string;
      value?: string;
      text?: { text: string };
    }[]) {
      if (e.type !== 'button') continue;
      expect(e.text!.text.length).toBeLessThanOrEqual(LIMITS.buttonTextChars);
      expect(e.value).toBe('7');
    }
    expect(m.metadata.event_payload).toMatchObject({
      exception_id: '7',
      ruleset_version: 'abc123',
    });
  });

  it('cuts modal titles to 24 characters', () => {
    expect(proposeModal(card(0)).title.text.length).toBeLessThanOrEqual(LIMITS.modalTitleChars);
    const long = clampModal(
      { type: 'modal', title: { type: 'plain_text', text: 'T'.repeat(80) }, blocks: [] },
      '7',
    );
    expect(long.title.text).toHaveLength(LIMITS.modalTitleChars);
  });
});
