/**
 * The exception message: a header (severity, or the closing state), one line that says what is
 * wrong, the per-source quantities, value at risk, state and owner, the correction with its value,
 * what to do next, and the buttons (none once closed). Buttons carry ids only. Clamped before it leaves.
 */
import type { ExceptionCard } from '../card.ts';
import { formatMoney } from '../../engine/core/model/money.ts';
import type { MessageMetadata } from '../outbox/types.ts';
import { clampFallbackText, clampMessage, type Block } from './clamp.ts';
import {
  SEVERITY_ICON,
  capital,
  groupMention,
  humanCause,
  mention,
  qty,
  signed,
  sinceToken,
} from './format.ts';
import { nextStep } from './next-step.ts';

export const ACTION = {
  assign: 'tally_assign',
  explain: 'tally_explain',
  propose: 'tally_propose',
  approve: 'tally_approve',
  reject: 'tally_reject',
} as const;

/** The actions block id carries the exception id, so a users_select knows its exception. */
export const actionsBlockId = (exceptionId: number) => `tally_actions:${exceptionId}`;
export const exceptionIdFromBlock = (blockId: string) =>
  Number(blockId.startsWith('tally_actions:') ? blockId.slice('tally_actions:'.length) : NaN);

/** An exception's message in the outbox: `exception:<id>:message` (notify.ts matches it in SQL). */
export const MESSAGE_KEY = { before: 'exception:', after: ':message' } as const;
export const messageKey = (exceptionId: number) =>
  `${MESSAGE_KEY.before}${exceptionId}${MESSAGE_KEY.after}`;

export type RenderedMessage = { text: string; blocks: Block[]; metadata: MessageMetadata };

/** States a person has finished with: the message looks closed and has no buttons. */
export const CLOSED_STATES: readonly string[] = ['resolved', 'explained', 'applied'];
const isClosed = (c: ExceptionCard) => CLOSED_STATES.includes(c.state);

const CLOSED_TITLE: Record<string, string> = {
  resolved: ':white_check_mark: Resolved',
  explained: ':speech_balloon: Explained',
  applied: ':white_check_mark: Correction applied',
};

/** The one line that says what is wrong (the header carries the severity). */
export function headline(c: ExceptionCard): string {
  const unit = c.evidence?.unit ?? 'units';
  const cause = c.causes[0] ?? c.cause;
  const off = isClosed(c) ? 'was off by' : 'is off by';
  return (
    `*${c.sku}* at *${c.location}* (${c.bucket}): ` +
    `${c.source} ${off} *${signed(c.variance)} ${unit}* · likely ${humanCause(cause)}`
  );
}

/** The header: severity while a person must act, the closing state once nobody must. */
function title(c: ExceptionCard): string {
  const where = `${c.sku} at ${c.location}`;
  if (isClosed(c)) return `${CLOSED_TITLE[c.state]} · ${where}`;
  return `${SEVERITY_ICON[c.severity] ?? ''} ${capital(c.severity)} · ${where}`.trim();
}

function quantities(c: ExceptionCard): string {
  const ev = c.evidence;
  if (!ev) return `${c.source}: variance ${signed(c.variance)}`;
  const parts = Object.entries(ev.quantities).map(([source, q]) => `${source}: *${qty(q)}*`);
  parts.push(`expected (ledger): *${qty(ev.expected)}*`);
  return parts.join(' · ');
}

function fields(c: ExceptionCard, now: Date): Block {
  const recurrence = c.recurrence > 1 ? ` · recurred ${c.recurrence}×` : '';
  const field = (label: string, value: string) => ({
    type: 'mrkdwn',
    text: `*${label}*\n${value}`,
  });
  return {
    type: 'section',
    fields: [
      field('Value at risk', formatMoney(c.valueAtRiskMinor, c.currency)),
      field('Severity', capital(c.severity)),
      field(
        'State',
        `${c.state.replace(/_/g, ' ')} · raised ${sinceToken(c.openedAt, now)}${recurrence}`,
      ),
      field('Owner', `${c.owner} · ${c.assignee ? mention(c.assignee) : 'unassigned'}`),
    ],
  };
}

function statusLine(c: ExceptionCard): string | null {
  const parts: string[] = [];
  if (c.processFailure) parts.push(':warning: repeating: process failure');
  if (c.explanation) parts.push(`explained: ${c.explanation}`);
  return parts.length ? parts.join(' · ') : null;
}

function correctionLine(c: ExceptionCard): string | null {
  const k = c.correction;
  if (!k) return null;
  const unit = c.evidence?.unit ?? 'units';
  const approvers = k.approvers.length
    ? ` · approved by ${k.approvers.map(mention).join(', ')}`
    : '';
  return (
    `*Correction #${k.id}* (${k.state.replace(/_/g, ' ')}): ${k.system} ${signed(k.deltaQuantity)} ${unit}` +
    ` · *worth ${formatMoney(k.valueMinor, k.currency)}* · ${k.reasonCode}` +
    ` · proposed by ${mention(k.proposer)}${approvers} · needs ${k.approvalsNeeded} approval(s)` +
    writebackNote(k.executionResult)
  );
}

/** The write-back's result as recorded on the correction (connectors/writeback). */
function writebackNote(result: unknown): string {
  const r = result as { writeback?: string; outcome?: { currentQuantity?: number } } | null;
  if (!r?.writeback) return '';
  const now = r.outcome?.currentQuantity;
  return ` · write-back ${r.writeback}${r.writeback === 'stale' && now !== undefined ? ` (source now ${qty(now)})` : ''}`;
}

function buttons(c: ExceptionCard): Block | null {
  if (isClosed(c)) return null;
  const id = String(c.id);
  const elements: Record<string, unknown>[] = [
    {
      type: 'users_select',
      action_id: ACTION.assign,
      placeholder: { type: 'plain_text', text: 'Assign' },
      ...(c.assignee && /^[UW]/.test(c.assignee) ? { initial_user: c.assignee } : {}),
    },
    {
      type: 'button',
      action_id: ACTION.explain,
      text: { type: 'plain_text', text: 'Explain' },
      value: id,
    },
  ];
  const k = c.correction;
  if (k && k.state === 'proposed') {
    elements.push(
      {
        type: 'button',
        action_id: ACTION.approve,
        style: 'primary',
        text: { type: 'plain_text', text: 'Approve' },
        value: String(k.id),
      },
      {
        type: 'button',
        action_id: ACTION.reject,
        style: 'danger',
        text: { type: 'plain_text', text: 'Reject' },
        value: String(k.id),
      },
    );
  } else if (!k || k.state === 'rejected' || k.state === 'applied') {
    elements.push({
      type: 'button',
      action_id: ACTION.propose,
      text: { type: 'plain_text', text: 'Propose correction' },
      value: id,
    });
  }
  return { type: 'actions', block_id: actionsBlockId(c.id), elements };
}

export function metadataFor(c: ExceptionCard, outboxKey = messageKey(c.id)): MessageMetadata {
  return {
    event_type: 'tally_exception',
    event_payload: {
      exception_id: String(c.id),
      ruleset_version: c.rulesetVersion,
      outbox_key: outboxKey,
    },
  };
}

export type MessageOptions = {
  /** The receiving team's Slack user group (S…), mentioned so the team is notified. */
  group?: string;
  /** The outbox key this message is delivered under (a further receiver's copy has its own). */
  outboxKey?: string;
};

export function exceptionMessage(
  c: ExceptionCard,
  now = new Date(),
  options: MessageOptions = {},
): RenderedMessage {
  const closed = isClosed(c);
  const team = options.group && !closed ? ` · ${groupMention(options.group)}` : '';
  const line = headline(c);
  const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text } });
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: title(c), emoji: true } },
    section(`${closed ? `~${line.replace(/\*/g, '')}~` : line}${team}`),
    section(quantities(c)),
    fields(c, now),
  ];
  const status = statusLine(c);
  if (status) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: status }] });
  const correction = correctionLine(c);
  if (correction) blocks.push(section(correction));
  blocks.push(section(`*Next:* ${nextStep(c)}`));
  const actions = buttons(c);
  if (actions) blocks.push(actions);
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `Exception ${c.id} · ruleset ${c.rulesetVersion} · evidence in thread · \`tally exceptions show ${c.id}\``,
      },
    ],
  });
  const state = closed ? `[${c.state}] ` : '';
  const plain = line.replace(/\*/g, '').replace(' · likely ', ` · ${c.severity} · likely `);
  const fallback = `${state}${plain} · value at risk ${formatMoney(c.valueAtRiskMinor, c.currency)}`;
  return {
    text: clampFallbackText(`${fallback}${team}`),
    blocks: clampMessage(blocks, String(c.id)),
    metadata: metadataFor(c, options.outboxKey),
  };
}
