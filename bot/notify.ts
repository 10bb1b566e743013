/**
 * Turning exception changes into outbox rows: the first message (and its evidence thread) for a
 * new exception, and an in-place update for every later change. Never a second message for the
 * same open exception: the message's outbox key is the exception id.
 */
import type { Knex } from 'knex';
import type { Ruleset, Severity } from '../engine/core/rules/types.ts';
import type { PersistSummary } from '../engine/services/exceptions/persist-run.ts';
import { inPilot } from '../engine/core/rules/pilot.ts';
import { receiversOf } from '../engine/services/impact/labels.ts';
import { loadCard, loadCards, type ExceptionCard } from './card.ts';
import { knexOutboxStore } from './outbox/store.ts';
import type { OutboxRow, Queued } from './outbox/types.ts';
import type { RuleText } from './views/evidence.ts';
import { MESSAGE_KEY, messageKey } from './views/exception-message.ts';

/**
 * The receivers table, the routing tree where the caller has it (continue: true), the
 * classification rules whose descriptions the evidence thread quotes, and pilot mode with the
 * sources (an exception in pilot is stored, never posted to its owners).
 */
export type Routing = Pick<Ruleset, 'receivers'> &
  Partial<Pick<Ruleset, 'routes' | 'pilot' | 'sources'>> & {
    classification?: { rules: readonly RuleText[] };
  };

export function channelFor(ruleset: Pick<Ruleset, 'receivers'>, owner: string): string | null {
  return ruleset.receivers.get(owner)?.slackChannel ?? null;
}

/**
 * Every receiver told about the exception, its owner first: the Owners tree goes on past a
 * route with `continue: true`, so the later receivers get their own copy of the message.
 */
export function receiversOfCard(ruleset: Routing, card: ExceptionCard): string[] {
  if (!ruleset.routes) return [card.owner];
  const facts = card.evidence?.facts as { skuClass?: string; category?: string } | undefined;
  const routed = receiversOf(ruleset as Pick<Ruleset, 'routes' | 'receivers'>, {
    sku: card.sku,
    location: card.location,
    bucket: card.bucket,
    source: card.source,
    outcome: {
      type: 'exception',
      severity: card.severity as Severity,
      rootCause: card.cause,
    },
    causes: card.causes.length ? card.causes : [card.cause],
    facts: { skuClass: facts?.skuClass ?? '', category: facts?.category ?? '' },
  });
  return [card.owner, ...routed.filter((name) => name !== card.owner)];
}

/** Enqueues the post (once) or an update for this version of the exception. */
export async function enqueueExceptionMessage(
  db: Knex,
  ruleset: Routing,
  card: ExceptionCard,
  now = new Date(),
): Promise<void> {
  await enqueueCards(db, ruleset, [card], now);
}

/**
 * The messages of many exceptions in a few statements (a run touches thousands): each message
 * is posted once (with the owner's evidence thread) and updated in place afterwards. A post that
 * another process queued meanwhile becomes an update, as one at a time would. The messages of
 * exceptions in `opened` (inserted by the run that queues them: their ids are new) are not
 * looked for first: none can be queued yet, and one that were would become an update all the
 * same.
 */
async function enqueueCards(
  db: Knex,
  ruleset: Routing,
  cards: readonly ExceptionCard[],
  now: Date,
  opened?: ReadonlyMap<number, unknown>,
): Promise<void> {
  const store = knexOutboxStore(db);
  const plans = cards.map((card) => messagesOf(ruleset, card, now));
  const existing = await store.existing(
    plans.flatMap((p, i) => (opened?.has(cards[i]!.id) ? [] : p.map((m) => m.key))),
  );
  const rows = plans.flatMap((p) => p.flatMap((m) => (existing.has(m.key) ? m.update : m.post)));
  const inserted = await store.enqueueMany(rows, now);
  const raced = plans.flatMap((p) =>
    p.filter((m) => !existing.has(m.key) && !inserted.has(m.key)).flatMap((m) => m.update),
  );
  if (raced.length) await store.enqueueMany(raced, now);
}

/** One message of an exception: its key, the rows if it is new, the row if it exists. */
type Planned = { key: string; post: Queued[]; update: Queued[] };

function messagesOf(ruleset: Routing, card: ExceptionCard, now: Date): Planned[] {
  if (inPilot(ruleset, card)) return [];
  const out: Planned[] = [];
  const channel = card.slackChannel ?? channelFor(ruleset, card.owner);
  if (channel) out.push(ownerMessage(card, channel, now));
  for (const name of receiversOfCard(ruleset, card).slice(1)) {
    const receiver = ruleset.receivers.get(name);
    if (!receiver || receiver.slackChannel === channel) continue;
    out.push(copyMessage(card, name, receiver.slackChannel, now));
  }
  return out;
}

/**
 * The owner's message and its evidence thread, named for the worker to render when it sends
 * them (bot/rendering.ts): what goes out shows the exception as it stands then.
 */
function ownerMessage(card: ExceptionCard, channel: string, now: Date): Planned {
  const key = messageKey(card.id);
  const message = { exceptionId: card.id, part: 'message' } as const;
  return {
    key,
    post: [
      { key, payload: { kind: 'post', channel, render: message, exceptionId: String(card.id) } },
      {
        key: evidenceKey(card.id),
        payload: {
          kind: 'post',
          channel,
          render: { exceptionId: card.id, part: 'evidence' },
          threadOfKey: key,
        },
      },
    ],
    update: [
      {
        key: `exception:${card.id}:update:${card.version}:${now.getTime()}`,
        payload: { kind: 'update', channel, render: message, targetKey: key },
      },
    ],
  };
}

/** A further receiver's copy: its own message (its team mentioned), updated like the owner's. */
function copyMessage(card: ExceptionCard, receiver: string, channel: string, now: Date): Planned {
  const key = copyKey(card.id, receiver);
  const render = { exceptionId: card.id, part: 'message', receiver } as const;
  return {
    key,
    post: [{ key, payload: { kind: 'post', channel, render } }],
    update: [
      {
        key: `${key}:update:${card.version}:${now.getTime()}`,
        payload: { kind: 'update', channel, render, targetKey: key },
      },
    ],
  };
}

export const copyKey = (exceptionId: number, receiver: string) =>
  `exception:${exceptionId}:copy:${receiver}`;

/** The evidence posted in the thread of an exception's message. */
export const evidenceKey = (exceptionId: number) => `exception:${exceptionId}:evidence`;

export async function notifyException(
  db: Knex,
  ruleset: Routing,
  exceptionId: number,
  now = new Date(),
): Promise<void> {
  const card = await loadCard(db, exceptionId);
  if (card) await enqueueExceptionMessage(db, ruleset, card, now);
}

/**
 * After a run: every exception the run touched gets its message posted or updated. The run's
 * history names what it opened, reopened and resolved, so the run id is all that is needed.
 * Returns how many exceptions had their message queued.
 */
export async function notifyRun(
  db: Knex,
  ruleset: Routing,
  summary: Pick<PersistSummary, 'runId'> & Written,
  now = new Date(),
): Promise<number> {
  return notifyRunId(db, ruleset, summary.runId, now, summary);
}

/** What the run's save wrote and keeps in memory, so queueing its messages need not read it. */
type Written = Partial<Pick<PersistSummary, 'writtenEvidence' | 'openedRows'>>;

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
    // an update that had to post the message again (deleted in Slack) moved it to a new ts
    const moved =
      row.payload.kind === 'update'
        ? /^exception:(\d+):message$/.exec(row.payload.targetKey)
        : null;
    if (moved) {
      const exc = (await db('exceptions')
        .where({ id: Number(moved[1]) })
        .first('slack_ts')) as { slack_ts: string | null } | undefined;
      if (exc && exc.slack_ts !== ts) await recordMessageTs(db, moved[1]!, row.channel, ts);
    }
  };
}

/**
 * Exceptions read and queued together: bounded memory, few statements, and a batch's cards and
 * rendered messages die young (see persist-run.ts SAVE_SLICE).
 */
const BATCH = 200;

/**
 * After a run known only by id (the scheduled reconcile): every exception whose message the
 * run changed (what the message shows, migration 014) or that it moved, and any it touched
 * whose message was never queued; one it continued as it was is left as it stands in Slack.
 */
export async function notifyRunId(
  db: Knex,
  ruleset: Routing,
  runId: string,
  now = new Date(),
  written: Written = {},
): Promise<number> {
  const { writtenEvidence: known, openedRows: opened } = written;
  const touched = (await db('exceptions as x')
    .where('x.last_run_id', runId)
    .where((changed) =>
      changed
        .where('x.card_run_id', runId)
        .orWhereNotExists(
          db('outbox as o')
            .select(db.raw('1'))
            .whereRaw('o.outbox_key = ? || x.id || ?', [MESSAGE_KEY.before, MESSAGE_KEY.after]),
        ),
    )
    .pluck('x.id')) as number[];
  const moved = (await db('exception_history')
    .where({ run_id: runId })
    .distinct()
    .pluck('exception_id')) as number[];
  const ids = [...new Set([...touched, ...moved].map(Number))].sort((a, b) => a - b);
  for (let at = 0; at < ids.length; at += BATCH)
    await enqueueCards(
      db,
      ruleset,
      await loadCards(db, ids.slice(at, at + BATCH), known, opened),
      now,
      opened,
    );
  return ids.length;
}
