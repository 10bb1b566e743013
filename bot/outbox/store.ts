/** The outbox on the persistence layer's `outbox` table (unique outbox_key), via knex. */
import type { Knex } from 'knex';
import { dialectOf } from '../../engine/services/store/db.ts';
import {
  pgInsertNew,
  sqliteInsertNew,
  type Cell,
  type Column,
} from '../../engine/services/store/bulk.ts';
import type { OutboxPayload, OutboxRow, OutboxStore, Queued } from './types.ts';

type Row = {
  id: number;
  kind: string;
  channel: string;
  payload: string;
  outbox_key: string;
  state: string;
  attempts: number;
  next_attempt_at: string;
  external_ts: string | null;
  updated_at: string;
};

function toRow(r: Row): OutboxRow {
  return {
    id: Number(r.id),
    key: r.outbox_key,
    channel: r.channel,
    payload: JSON.parse(r.payload) as OutboxPayload,
    state: r.state as OutboxRow['state'],
    attempts: Number(r.attempts),
    nextAttemptAt: r.next_attempt_at,
    externalTs: r.external_ts,
    updatedAt: r.updated_at,
  };
}

/** Rows per statement: 9 bound values each, well under SQLite's and PostgreSQL's limits. */
const CHUNK = 500;

/** A new pending row: due now, never tried. */
function rowOf(key: string, payload: OutboxPayload, iso: string) {
  return {
    kind: payload.kind,
    channel: payload.channel,
    payload: JSON.stringify(payload),
    outbox_key: key,
    state: 'pending',
    attempts: 0,
    next_attempt_at: iso,
    created_at: iso,
    updated_at: iso,
  };
}

const text = (name: string): Column => ({ name, pgType: 'text' });

/** rowOf's columns, in the order `fillRow` writes them. */
const COLUMNS: Column[] = [
  text('kind'),
  text('channel'),
  text('payload'),
  text('outbox_key'),
  text('state'),
  { name: 'attempts', pgType: 'int' },
  text('next_attempt_at'),
  text('created_at'),
  text('updated_at'),
];

function fillRow(r: Queued, iso: string, params: Cell[], at: number): void {
  params[at] = r.payload.kind;
  params[at + 1] = r.payload.channel;
  params[at + 2] = JSON.stringify(r.payload);
  params[at + 3] = r.key;
  params[at + 4] = 'pending';
  params[at + 5] = 0;
  params[at + 6] = iso;
  params[at + 7] = iso;
  params[at + 8] = iso;
}

export function knexOutboxStore(db: Knex): OutboxStore {
  return {
    async enqueue(key, payload, now) {
      const inserted = await db('outbox')
        .insert(rowOf(key, payload, now.toISOString()))
        .onConflict('outbox_key')
        .ignore()
        .returning('id');
      return inserted.length > 0;
    },

    async enqueueMany(rows, now) {
      const iso = now.toISOString();
      // a run's messages, queued in its transaction: the bulk path (SQLite's single connection
      // may be taken only from inside a transaction)
      if (db.isTransaction && dialectOf(db) === 'sqlite')
        return sqliteInsertNew(
          db as Knex.Transaction,
          'outbox',
          COLUMNS,
          rows.length,
          (i, params, at) => fillRow(rows[i]!, iso, params, at),
          'outbox_key',
        );
      if (dialectOf(db) === 'pg') {
        const cells = rows.map((r) => {
          const row: Cell[] = new Array<Cell>(COLUMNS.length);
          fillRow(r, iso, row, 0);
          return row;
        });
        return pgInsertNew(db, 'outbox', COLUMNS, cells, 'outbox_key');
      }
      const inserted = new Set<string>();
      for (let at = 0; at < rows.length; at += CHUNK) {
        const chunk = rows.slice(at, at + CHUNK).map((r) => rowOf(r.key, r.payload, iso));
        const keys = (await db('outbox')
          .insert(chunk)
          .onConflict('outbox_key')
          .ignore()
          .returning('outbox_key')) as { outbox_key: string }[];
        for (const k of keys) inserted.add(k.outbox_key);
      }
      return inserted;
    },

    async existing(keys) {
      const found = new Set<string>();
      for (let at = 0; at < keys.length; at += CHUNK) {
        const rows = (await db('outbox')
          .whereIn('outbox_key', keys.slice(at, at + CHUNK))
          .pluck('outbox_key')) as string[];
        for (const k of rows) found.add(k);
      }
      return found;
    },

    async due(now, leaseMs, limit, perChannel = limit) {
      const leaseExpired = new Date(now.getTime() - leaseMs).toISOString();
      // each channel's rows numbered in order (ids and channels only: the payloads are read for
      // the rows taken): a channel with thousands queued (a large run's cards) gives `perChannel`
      // of them, and the other channels' rows come in the same call
      const ranked = db('outbox')
        .select('id', db.raw('row_number() over (partition by channel order by id) as lane_rank'))
        // the table also carries connector write-backs; Slack rows are posts and updates
        .whereIn('kind', ['post', 'update'])
        .andWhere((q) =>
          q
            // not-yet-due rows come back too: the worker keeps a channel's order behind them
            .where('state', 'pending')
            .orWhere((s) => s.where('state', 'sending').andWhere('updated_at', '<=', leaseExpired)),
        );
      const taken = db
        .from(ranked.as('ranked'))
        .where('lane_rank', '<=', perChannel)
        .orderBy('id')
        .limit(limit)
        .select('id');
      const rows = (await db('outbox').whereIn('id', taken).orderBy('id')) as Row[];
      return rows.map(toRow);
    },

    async claim(row, workerId, now) {
      const changed = await db('outbox')
        .where({ id: row.id, state: row.state, updated_at: row.updatedAt })
        .update({
          state: 'sending',
          attempts: row.attempts + 1,
          updated_at: now.toISOString(),
          result: JSON.stringify({ claimedBy: workerId }),
        });
      return changed === 1;
    },

    async markSent(id, ts, now, sent) {
      await db('outbox')
        .where({ id })
        .update({
          state: 'sent',
          external_ts: ts,
          updated_at: now.toISOString(),
          result: null,
          ...(sent ? { payload: JSON.stringify(sent) } : {}),
        });
    },

    async retryLater(id, nextAttemptAt, error, now) {
      await db('outbox')
        .where({ id })
        .update({
          state: 'pending',
          next_attempt_at: nextAttemptAt.toISOString(),
          updated_at: now.toISOString(),
          result: JSON.stringify({ error }),
        });
    },

    async markFailed(id, error, now) {
      await db('outbox')
        .where({ id })
        .update({
          state: 'failed',
          updated_at: now.toISOString(),
          result: JSON.stringify({ error }),
        });
    },

    async moveDelivered(key, ts, now) {
      await db('outbox')
        .where({ outbox_key: key, state: 'sent' })
        .update({ external_ts: ts, updated_at: now.toISOString() });
    },

    async standing(key) {
      const row = (await db('outbox')
        .where({ outbox_key: key })
        .first('state', 'channel', 'external_ts', 'result')) as
        | { state: string; channel: string; external_ts: string | null; result: string | null }
        | undefined;
      if (!row) return null;
      if (row.state === 'sent' && row.external_ts)
        return { state: 'sent', channel: row.channel, ts: row.external_ts };
      if (row.state === 'failed') {
        const result = row.result ? (JSON.parse(row.result) as { error?: string }) : {};
        return { state: 'failed', reason: result.error ?? 'given up' };
      }
      return { state: 'waiting' };
    },

    async deliveredTs(key) {
      const row = (await db('outbox')
        .where({ outbox_key: key, state: 'sent' })
        .first('channel', 'external_ts')) as { channel: string; external_ts: string } | undefined;
      return row?.external_ts ? { channel: row.channel, ts: row.external_ts } : null;
    },
  };
}
