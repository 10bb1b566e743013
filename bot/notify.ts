/**
 * Turning exception changes into outbox rows: the first message (and its evidence thread) for a
 * new exception, and an in-place update for every later change. Never a second message for the
 * same open exception: the message's outbox key is the exception id.
 */
import type { Knex } from 'knex';
import type { Ruleset } from '../engine/core/rules/types.ts';
import { loadCard, type ExceptionCard } from './card.ts';
import { knexOutboxStore } from './outbox/store.ts';
import type { OutboxRow } from './outbox/types.ts';
import { evidenceBlocks } from './views/evidence.ts';
import { exceptionMessage, messageKey } from './views/exception-message.ts';

export function channelFor(ruleset: Pick<Ruleset, 'receivers'>, owner: string): string | null {
  return ruleset.receivers.get(owner)?.slackChannel ?? null;
}

/** Enqueues the post (once) or an update for this version of the exception. */
export async function enqueueExceptionMessage(
  db: Knex,
  ruleset: Pick<Ruleset, 'receivers'>,
  card: ExceptionCard,
  now = new Date(),
): Promise<void> {
  const store = knexOutboxStore(db);
  const channel = card.slackChannel ?? channelFor(ruleset, card.owner);
  if (!channel) return;
  const rendered = exceptionMessage(card, now);
  const key = messageKey(card.id);
  const posted = await store.enqueue(
    key,
    { kind: 'post', channel, ...rendered, exceptionId: String(card.id) },
    now,
  );
  if (posted) {
    const evidenceKey = `exception:${card.id}:evidence`;
    await store.enqueue(
      evidenceKey,
      {
        kind: 'post',
        channel,
        text: `Evidence for exception ${card.id}`,
        blocks: evidenceBlocks(card),
        metadata: {
          event_type: 'tally_evidence',
          event_payload: { exception_id: String(card.id), outbox_key: evidenceKey },
        },
        threadOfKey: key,
      },
      now,
    );
    return;
  }
  await store.enqueue(
    `exception:${card.id}:update:${card.version}:${now.getTime()}`,
    { kind: 'update', channel, ...rendered, targetKey: key },
    now,
  );
}

export async function notifyException(
  db: Knex,
  ruleset: Pick<Ruleset, 'receivers'>,
  exceptionId: number,
  now = new Date(),
): Promise<void> {
  const card = await loadCard(db, exceptionId);
  if (card) await enqueueExceptionMessage(db, ruleset, card, now);
}

/**
 * After a run: every exception the run touched gets its message posted or updated. The run's
 * history names what it opened, reopened and resolved, so the run id is all that is needed.
 */
export async function notifyRun(
  db: Knex,
  ruleset: Pick<Ruleset, 'receivers'>,
  summary: { runId: string },
  now = new Date(),
): Promise<void> {
  await notifyRunId(db, ruleset, summary.runId, now);
}

/** Records the main message's ts on the exception once the outbox delivered it. */
async function recordMessageTs(
  db: Knex,
  exceptionId: string,
  channel: string,
  ts: string,
): Promise<void> {
  await db('exceptions')
    .where({ id: Number(exceptionId) })
    .update({ slack_channel: channel, slack_ts: ts });
}

/** The outbox worker's onDelivered: an exception's main message records its ts once sent. */
export function recordDelivered(db: Knex) {
  return async (row: OutboxRow, ts: string): Promise<void> => {
    if (row.payload.kind === 'post' && row.payload.exceptionId) {
      await recordMessageTs(db, row.payload.exceptionId, row.channel, ts);
    }
  };
}

/** After a run known only by id (the scheduled reconcile): everything it touched. */
export async function notifyRunId(
  db: Knex,
  ruleset: Pick<Ruleset, 'receivers'>,
  runId: string,
  now = new Date(),
): Promise<number> {
  const touched = (await db('exceptions').where({ last_run_id: runId }).pluck('id')) as number[];
  const moved = (await db('exception_history')
    .where({ run_id: runId })
    .distinct()
    .pluck('exception_id')) as number[];
  const ids = new Set([...touched, ...moved].map(Number));
  for (const id of ids) await notifyException(db, ruleset, id, now);
  return ids.size;
}
