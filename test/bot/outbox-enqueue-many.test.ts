/**
 * A run's messages queued in bulk (enqueueMany), inside its transaction and outside one: a key
 * already queued is skipped and not reported as inserted, a key repeated in one call is queued
 * once, every payload comes back as it was written, and a call larger than one statement loses
 * nothing. On SQLite and PostgreSQL (there by one `unnest` statement per 5,000 rows).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knexOutboxStore } from '../../bot/outbox/store.ts';
import type { OutboxPayload, Queued } from '../../bot/outbox/types.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { testDatabases } from '../support/databases.ts';

const post = (key: string, text = `message ${key}`): Queued => ({
  key,
  payload: {
    kind: 'post',
    channel: 'C0EAST',
    text,
    blocks: [],
    metadata: { event_type: 'tally_message', event_payload: { outbox_key: key } },
  },
});

describe.each(testDatabases())('queueing many messages on $name', (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await engine.open();
  });
  afterAll(() => engine.close());

  const payloadsOf = async (keys: string[]) =>
    new Map(
      (
        (await db('outbox').whereIn('outbox_key', keys).select('outbox_key', 'payload')) as {
          outbox_key: string;
          payload: string | OutboxPayload;
        }[]
      ).map((r) => [
        r.outbox_key,
        typeof r.payload === 'string' ? (JSON.parse(r.payload) as OutboxPayload) : r.payload,
      ]),
    );

  it('skips keys already queued and repeats, and keeps each payload exactly', async () => {
    const now = new Date('2026-11-21T23:00:00.000Z');
    await knexOutboxStore(db).enqueue('a-1', post('a-1').payload, now);
    const awkward = 'tab\there, line\nbreak, back\\slash, "quotes", {braces}, naïve — 数量';
    const rows = [post('a-1'), post('a-2', awkward), post('a-3'), post('a-2', 'a repeat')];
    const inserted = await db.transaction((trx) => knexOutboxStore(trx).enqueueMany(rows, now));
    expect([...inserted].sort()).toEqual(['a-2', 'a-3']);
    const stored = await payloadsOf(['a-1', 'a-2', 'a-3']);
    expect(stored.get('a-1')).toEqual(post('a-1').payload);
    expect(stored.get('a-2')).toEqual(post('a-2', awkward).payload);
    expect(stored.size).toBe(3);
    const due = (await db('outbox').where('outbox_key', 'a-2').first()) as Record<string, unknown>;
    expect([due.state, Number(due.attempts), due.next_attempt_at]).toEqual([
      'pending',
      0,
      now.toISOString(),
    ]);
  });

  it('queues every row of a call larger than one statement, in or out of a transaction', async () => {
    const now = new Date();
    const keys = Array.from({ length: 5_003 }, (_, i) => `b-${i}`);
    const inserted = await db.transaction((trx) =>
      knexOutboxStore(trx).enqueueMany(
        keys.slice(0, 5_001).map((k) => post(k)),
        now,
      ),
    );
    expect(inserted.size).toBe(5_001);
    const outside = await knexOutboxStore(db).enqueueMany(
      keys.slice(4_999).map((k) => post(k)),
      now,
    );
    expect([...outside].sort()).toEqual(['b-5001', 'b-5002']);
    const count = (await db('outbox').where('outbox_key', 'like', 'b-%').count({ n: '*' })) as {
      n: number | string;
    }[];
    expect(Number(count[0]!.n)).toBe(5_003);
  });
});
