/**
 * A run queues each exception's messages by name (the exception, the part, the receiver); the
 * outbox worker renders them when it sends, from the exception as it stands then, and records
 * in the row what it sent. Through the real Bolt app and the fake Slack, on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifyRun } from '../../bot/notify.ts';
import { knexOutboxStore } from '../../bot/outbox/store.ts';
import type { OutboxPayload } from '../../bot/outbox/types.ts';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { testDatabases } from '../support/databases.ts';
import { keyResult, ownerByLocation, runResult } from '../storage/fixtures.ts';
import { RULESET, startBot } from './harness.ts';

type Stored = { outbox_key: string; state: string; payload: string; result: string | null };

describe.each(testDatabases())('exception messages rendered when sent on $name', (engine) => {
  let db: Db;
  let bot: Awaited<ReturnType<typeof startBot>>;
  beforeAll(async () => {
    db = await engine.open();
    bot = await startBot(db, { perChannelIntervalMs: 0 });
  });
  afterAll(async () => {
    await bot.stop();
    await engine.close();
  });

  const rows = async () =>
    (await db('outbox')
      .orderBy('id')
      .select('outbox_key', 'state', 'payload', 'result')) as Stored[];

  it('queues names, not bodies, and posts the exception as it stands when sent', async () => {
    const summary = await persistRun(
      db,
      runResult({
        runId: 'r1',
        asOf: '2026-11-01T00:00:00.000Z',
        results: [keyResult({ sku: 'SKU-1', location: 'WH1', variance: -4 })],
      }),
      { owners: ownerByLocation },
    );
    await notifyRun(db, RULESET, summary, new Date('2026-11-01T00:00:00.000Z'));
    const id = summary.opened[0]!;
    const queued = (await rows()).map((r) => JSON.parse(r.payload) as OutboxPayload);
    expect(queued).toEqual([
      {
        kind: 'post',
        channel: 'C0EAST',
        render: { exceptionId: id, part: 'message' },
        exceptionId: String(id),
      },
      {
        kind: 'post',
        channel: 'C0EAST',
        render: { exceptionId: id, part: 'evidence' },
        threadOfKey: `exception:${id}:message`,
      },
    ]);

    // assigned after the run queued it, before the worker sent it: the card shows the assignee
    await db('exceptions').where({ id }).update({ assignee: 'UOPS1' });
    await bot.worker.drain();
    const [message] = bot.fake.channelMessages('C0EAST');
    expect(JSON.stringify(message!.blocks)).toContain('ops-east · <@UOPS1>');
    expect(message!.metadata?.event_payload).toMatchObject({
      exception_id: String(id),
      outbox_key: `exception:${id}:message`,
    });
    const [thread] = bot.fake.threadReplies('C0EAST', message!.ts);
    expect(thread!.text).toBe(`Evidence for exception ${id}`);

    // the rows now hold what went out, for whoever reads the outbox later
    const sent = await rows();
    expect(sent.map((r) => r.state)).toEqual(['sent', 'sent']);
    const recorded = JSON.parse(sent[0]!.payload) as Record<string, unknown>;
    expect(recorded).not.toHaveProperty('render');
    expect(recorded).toMatchObject({ kind: 'post', channel: 'C0EAST', exceptionId: String(id) });
    expect(recorded.blocks).toEqual(message!.blocks);
    expect(recorded.text).toBe(message!.text);
  });

  /** A plain message queued behind the row under test, in its channel. */
  const queueNote = (key: string, channel: string, text: string) =>
    knexOutboxStore(db).enqueue(
      key,
      {
        kind: 'post',
        channel,
        text,
        blocks: [],
        metadata: { event_type: 'tally_message', event_payload: { outbox_key: key } },
      },
      new Date(),
    );

  it('fails a row naming an exception that is not there, with the reason, and sends the rest', async () => {
    const store = knexOutboxStore(db);
    const now = new Date();
    await store.enqueue(
      'exception:999999:message',
      { kind: 'post', channel: 'C0EAST', render: { exceptionId: 999_999, part: 'message' } },
      now,
    );
    await queueNote('note:after', 'C0EAST', 'after the missing one');
    const before = bot.fake.channelMessages('C0EAST').length;
    await bot.worker.drain();
    const stored = await rows();
    const missing = stored.find((r) => r.outbox_key === 'exception:999999:message')!;
    expect(missing.state).toBe('failed');
    expect(JSON.parse(missing.result!)).toEqual({
      error: 'exception 999999 is not in the database',
    });
    const posted = bot.fake.channelMessages('C0EAST').slice(before);
    expect(posted.map((m) => m.text)).toEqual(['after the missing one']);
  });

  /** A card queued under `key` for exception 888888's thread, left in `state`. */
  const cardIn = async (key: string, state: 'sending' | 'failed', channel: string) => {
    const now = new Date();
    const store = knexOutboxStore(db);
    const body = {
      text: 'a card',
      blocks: [],
      metadata: { event_type: 'tally_message', event_payload: {} },
    };
    await store.enqueue(key, { kind: 'post', channel, ...body }, now);
    const [id] = (await db('outbox').where({ outbox_key: key }).pluck('id')) as number[];
    if (state === 'failed') await store.markFailed(id!, 'channel_not_found', now);
    // claimed by another worker whose lease runs: not due, and not out
    else
      await db('outbox').where({ id }).update({ state: 'sending', updated_at: now.toISOString() });
    const threadKey = `${key}:thread`;
    await store.enqueue(
      threadKey,
      {
        kind: 'post',
        channel,
        render: { exceptionId: 888_888, part: 'evidence' },
        threadOfKey: key,
      },
      now,
    );
    return async () => (await rows()).find((r) => r.outbox_key === threadKey)!;
  };

  it('renders a thread only once its card is out, and gives it up with a card given up', async () => {
    // rendering would fail the thread at once (exception 888888 is not there): it waits unrendered
    const waiting = await cardIn('card:sending', 'sending', 'C0EAST');
    await bot.worker.runOnce();
    expect((await waiting()).state).toBe('pending');
    expect(JSON.parse((await waiting()).result!)).toEqual({ error: 'waiting for parent' });

    // its card given up, the thread goes too, saying why, rather than waiting for ever (another
    // channel: the waiting thread holds this one's order)
    const orphan = await cardIn('card:failed', 'failed', 'C0WEST');
    await bot.worker.runOnce();
    expect((await orphan()).state).toBe('failed');
    expect(JSON.parse((await orphan()).result!)).toEqual({
      error: 'the message it follows (card:failed) was given up: channel_not_found',
    });
  });

  it('gives up a row whose message to follow was never queued, and sends the channel on', async () => {
    // a thread under a card whose row is not there (deleted by hand, a restore without it):
    // waiting for it would hold the channel's later messages for ever
    const store = knexOutboxStore(db);
    const now = new Date();
    await store.enqueue(
      'card:nowhere:thread',
      {
        kind: 'post',
        channel: 'C0WEST',
        render: { exceptionId: 888_888, part: 'evidence' },
        threadOfKey: 'card:nowhere',
      },
      now,
    );
    await queueNote('note:behind', 'C0WEST', 'behind the orphan');
    const before = bot.fake.channelMessages('C0WEST').length;
    // not drain(): the thread of the card another worker holds (above) waits, rightly
    for (let pass = 0; pass < 3; pass++) await bot.worker.runOnce();
    const orphan = (await rows()).find((r) => r.outbox_key === 'card:nowhere:thread')!;
    expect(orphan.state).toBe('failed');
    expect(JSON.parse(orphan.result!)).toEqual({
      error: 'the message it follows (card:nowhere) was never queued',
    });
    const posted = bot.fake.channelMessages('C0WEST').slice(before);
    expect(posted.map((m) => m.text)).toEqual(['behind the orphan']);
  });
});
