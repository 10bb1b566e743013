/**
 * The exception message: one line that says what is wrong, the per-source quantities, age and
 * recurrence, the owner, and the buttons. Buttons carry ids only. Clamped before it leaves.
 */
import type { ExceptionCard } from '../card.ts';
import type { MessageMetadata } from '../outbox/types.ts';
import { clampFallbackText, clampMessage, type Block } from './clamp.ts';
import { SEVERITY_ICON, age, groupMention, humanCause, mention, signed } from './format.ts';

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

export const messageKey = (exceptionId: number) => `exception:${exceptionId}:message`;

export type RenderedMessage = { text: string; blocks: Block[]; metadata: MessageMetadata };

export function headline(c: ExceptionCard): string {
  const unit = c.evidence?.unit ?? 'units';
  const cause = c.causes[0] ?? c.cause;
  return (
    `${SEVERITY_ICON[c.severity] ?? ''} *${c.sku}* at *${c.location}* (${c.bucket}): ` +
    `${c.source} is off by *${signed(c.variance)} ${unit}* · ${c.severity} · likely ${humanCause(cause)}`
  ).trim();
}

function quantities(c: ExceptionCard): string {
  const ev = c.evidence;
  if (!ev) return `${c.source}: variance ${signed(c.variance)}`;
  const parts = Object.entries(ev.quantities).map(([source, q]) => `${source}: *${q}*`);
  parts.push(`expected (ledger): *${ev.expected}*`);
  return parts.join(' · ');
}

function statusLine(c: ExceptionCard, now: Date): string {
  const recurrence = c.recurrence > 1 ? ` · recurred ${c.recurrence}×` : '';
  const failure = c.processFailure ? ' · :warning: repeating: process failure' : '';
  const explained = c.explanation ? ` · explained: ${c.explanation}` : '';
  return (
    `*${c.state.replace(/_/g, ' ')}* · open ${age(c.openedAt, now)}${recurrence}${failure} · ` +
    `owner ${c.owner} · assignee ${mention(c.assignee)}${explained}`
  );
}

function correctionLine(c: ExceptionCard): string | null {
  const k = c.correction;
  if (!k) return null;
  const approvers = k.approvers.length
    ? ` · approved by ${k.approvers.map(mention).join(', ')}`
    : '';
  return (
    `Correction #${k.id} (${k.state}): ${k.system} ${signed(k.deltaQuantity)} · ${k.reasonCode}` +
    ` · proposed by ${mention(k.proposer)}${approvers} · needs ${k.approvalsNeeded} approval(s)` +
    writebackNote(k.executionResult)
  );
}

/** The write-back's result as recorded on the correction (connectors/writeback). */
function writebackNote(result: unknown): string {
  const r = result as { writeback?: string; outcome?: { currentQuantity?: number } } | null;
  if (!r?.writeback) return '';
  const now = r.outcome?.currentQuantity;
  return ` · write-back ${r.writeback}${r.writeback === 'stale' && now !== undefined ? ` (source now ${now})` : ''}`;
}

function buttons(c: ExceptionCard): Block | null {
  if (c.state === 'resolved') return null;
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
  const team = options.group && c.state !== 'resolved' ? ` · ${groupMention(options.group)}` : '';
  const line = headline(c);
  const blocks: Block[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `${line}${team}` } },
    { type: 'section', text: { type: 'mrkdwn', text: quantities(c) } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: statusLine(c, now) }] },
  ];
  const correction = correctionLine(c);
  if (correction) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: correction } });
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
  return {
    text: clampFallbackText(`${line.replace(/\*/g, '')}${team}`),
    blocks: clampMessage(blocks, String(c.id)),
    metadata: metadataFor(c, options.outboxKey),
  };
}
