/**
 * Reminders: an exception that stays open gets a nudge in its thread every `intervalHours`.
 * The outbox key names the interval number, so a reminder is posted once however often the
 * job runs and however many replicas run it.
 */
import type { Knex } from 'knex';
import type { Receiver } from '../../engine/core/rules/types.ts';
import type { ExceptionState } from '../../engine/services/exceptions/states.ts';
import { knexOutboxStore } from '../outbox/store.ts';
import { groupMention, mention } from '../views/format.ts';
import { messageKey } from '../views/exception-message.ts';

/**
 * States that wait on a person. Explained and applied ones wait on the next run (or the
 * write-back), so nudging anyone about them is noise.
 */
export const REMINDED_STATES: readonly ExceptionState[] = [
  'open',
  'reopened',
  'assigned',
  'correction_proposed',
  'approved',
];

export async function enqueueReminders(
  db: Knex,
  intervalHours: number,
  now = new Date(),
  receivers: ReadonlyMap<string, Receiver> = new Map(),
): Promise<number> {
  const intervalMs = intervalHours * 3_600_000;
  const rows = (await db('exceptions')
    .whereIn('state', REMINDED_STATES as string[])
    .whereNotNull('slack_channel')
    .select('id', 'opened_at', 'slack_channel', 'assignee', 'owner', 'state')) as Record<
    string,
    string
  >[];
  const store = knexOutboxStore(db);
  let queued = 0;
  for (const r of rows) {
    const n = Math.floor((now.getTime() - Date.parse(r.opened_at!)) / intervalMs);
    if (n < 1) continue;
    const key = `exception:${r.id}:reminder:${n}`;
    const text =
      `:alarm_clock: ${who(r, receivers)}: still ${r.state!.replace(/_/g, ' ')} after ` +
      `${hoursInWords(n * intervalHours)}`;
    const inserted = await store.enqueue(
      key,
      {
        kind: 'post',
        channel: r.slack_channel!,
        text,
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
        metadata: {
          event_type: 'tally_reminder',
          event_payload: { exception_id: String(r.id), outbox_key: key },
        },
        threadOfKey: messageKey(Number(r.id)),
      },
      now,
    );
    if (inserted) queued += 1;
  }
  return queued;
}

/** Whoever must act: the assignee, else the owning team's group, else the owner's name. */
function who(r: Record<string, string>, receivers: ReadonlyMap<string, Receiver>): string {
  if (r.assignee) return mention(r.assignee);
  const group = receivers.get(r.owner ?? '')?.ownerGroup;
  return group ? groupMention(group) : `owner ${r.owner}`;
}

/** 36 hours, 14 days: people do not count weeks in hours. */
export function hoursInWords(hours: number): string {
  if (hours < 48) return `${hours} hours`;
  const days = Math.floor(hours / 24);
  return `${days} days`;
}
