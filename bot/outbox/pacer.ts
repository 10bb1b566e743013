/**
 * Per-channel pacing shared by every worker through the database (`outbox_channels`): a worker
 * takes a channel's lease before sending to it, so only one replica sends to a channel at a
 * time and its messages keep their order; each send first moves `next_send_at` forward with a
 * conditional UPDATE, so one message per interval holds even across a lease hand-over.
 */
import type { Knex } from 'knex';

export type ChannelPacer = {
  /** True when this holder has the channel's lease (taken or renewed). */
  acquire(channel: string, holder: string, leaseMs: number): Promise<boolean>;
  /** Waits for the channel's next slot and books it for this holder. */
  reserve(channel: string, holder: string, intervalMs: number, leaseMs: number): Promise<void>;
  /** Nothing goes to the channel before `untilMs` (Slack's Retry-After). */
  pushBack(channel: string, untilMs: number): Promise<void>;
  release(channel: string, holder: string): Promise<void>;
};

const EPOCH = new Date(0).toISOString();
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const iso = (ms: number) => new Date(ms).toISOString();

export function knexChannelPacer(db: Knex): ChannelPacer {
  return {
    async acquire(channel, holder, leaseMs) {
      await db('outbox_channels')
        .insert({ channel, holder: null, lease_until: EPOCH, next_send_at: EPOCH })
        .onConflict('channel')
        .ignore();
      const now = Date.now();
      const changed = await db('outbox_channels')
        .where({ channel })
        .andWhere((q) =>
          q.whereNull('holder').orWhere({ holder }).orWhere('lease_until', '<=', iso(now)),
        )
        .update({ holder, lease_until: iso(now + leaseMs) });
      return changed === 1;
    },

    async reserve(channel, holder, intervalMs, leaseMs) {
      for (;;) {
        const now = Date.now();
        const changed = await db('outbox_channels')
          .where({ channel, holder })
          .andWhere('next_send_at', '<=', iso(now))
          .update({ next_send_at: iso(now + intervalMs), lease_until: iso(now + leaseMs) });
        if (changed === 1) return;
        const row = (await db('outbox_channels').where({ channel }).first('next_send_at')) as
          { next_send_at: string } | undefined;
        const waitMs = row ? Date.parse(row.next_send_at) - now : 0;
        await sleep(Math.max(10, Math.min(waitMs, intervalMs)));
      }
    },

    async pushBack(channel, untilMs) {
      await db('outbox_channels')
        .where({ channel })
        .andWhere('next_send_at', '<', iso(untilMs))
        .update({ next_send_at: iso(untilMs) });
    },

    async release(channel, holder) {
      await db('outbox_channels').where({ channel, holder }).update({ holder: null });
    },
  };
}
