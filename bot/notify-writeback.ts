/**
 * A write-back's result in Slack: the exception's message is updated in place (its state and
 * the correction line show the result), and a reply in its thread says what happened. A stale
 * or failed write-back names the approvers, since the decision is theirs again.
 */
import type { Knex } from 'knex';
import type { Ruleset } from '../engine/core/rules/types.ts';
import { loadCard } from './card.ts';
import { channelFor, enqueueExceptionMessage } from './notify.ts';
import { knexOutboxStore } from './outbox/store.ts';
import { mention } from './views/format.ts';
import { messageKey } from './views/exception-message.ts';

export type WritebackNotice = {
  exceptionId: number;
  idempotencyKey: string;
  status: 'applied' | 'stale' | 'failed' | 'exported';
  /** One line: what happened, with the new quantity when stale. */
  text: string;
};

const ICON = {
  applied: ':white_check_mark:',
  exported: ':outbox_tray:',
  stale: ':warning:',
  failed: ':x:',
} as const;

export async function notifyWriteback(
  db: Knex,
  ruleset: Pick<Ruleset, 'receivers'>,
  notice: WritebackNotice,
  now = new Date(),
): Promise<void> {
  const card = await loadCard(db, notice.exceptionId);
  if (!card) return;
  await enqueueExceptionMessage(db, ruleset, card, now);
  const channel = card.slackChannel ?? channelFor(ruleset, card.owner);
  if (!channel) return;
  const back = notice.status === 'stale' || notice.status === 'failed';
  const who = back && card.correction ? card.correction.approvers.map(mention).join(' ') : '';
  const text = `${ICON[notice.status]} Write-back ${notice.status}: ${notice.text}${who ? ` · ${who}` : ''}`;
  const key = `writeback:${notice.idempotencyKey}:${notice.status}`;
  await knexOutboxStore(db).enqueue(
    key,
    {
      kind: 'post',
      channel,
      text,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
      metadata: {
        event_type: 'tally_writeback',
        event_payload: { exception_id: String(card.id), outbox_key: key },
      },
      threadOfKey: messageKey(card.id),
    },
    now,
  );
}
