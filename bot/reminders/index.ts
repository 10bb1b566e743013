/**
 * Reminders: an exception that stays open gets a nudge in its thread every `intervalHours`.
 * The outbox key names the interval number, so a reminder is posted once however often the
 * job runs and however many replicas run it.
 */
import type { Knex } from 'knex';
import { LIVE_STATES } from '../../engine/services/exceptions/states.ts';
import { knexOutboxStore } from '../outbox/store.ts';
import { mention } from '../views/format.ts';
import { messageKey } from '../views/exception-message.ts';

export async function enqueueReminders(
  db: Knex,
  intervalHours: number,
  now = new Date(),
): Promise<number> {
  const intervalMs = intervalHours * 3_600_000;
  const rows = (await db('exceptions')
    .whereIn('state', LIVE_STATES as string[])
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
    const text = `:alarm_clock: Still ${r.state!.replace(/_/g, ' ')} after ${n * intervalHours}h · owner ${r.owner} · assignee ${mention(r.assignee ?? null)}`;
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
