/**
 * The database fails right after Slack accepted a message, before the outbox recorded it: on
 * PostgreSQL every connection is terminated (a failover), on SQLite another process holds the
 * write lock past the busy timeout. The row is kept, retried, found in the channel by its key and
 * recorded: delivered once, never given up.
 */
import { spawn } from 'node:child_process';
import knex from 'knex';
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { knexChannelPacer } from '../../bot/outbox/pacer.ts';
import { slackSender } from '../../bot/outbox/senders.ts';
import { knexOutboxStore } from '../../bot/outbox/store.ts';
import type { OutboxStore } from '../../bot/outbox/types.ts';
import { OutboxWorker } from '../../bot/outbox/worker.ts';
import { dialectOf, type Db } from '../../engine/services/store/db.ts';
import { FakeSlack } from '../fakes/slack-api.ts';
import { testDatabases } from '../support/databases.ts';

/**
 * Breaks the database the way it breaks in production, once, from outside the pool, while the
 * outbox records the send: returns the recording's outcome and a wait for the database to be back.
 */
async function failWhileRecording(
  db: Db,
  record: () => Promise<void>,
): Promise<{ recorded: Promise<void>; back: Promise<void> }> {
  if (dialectOf(db) === 'pg') {
    // the write waits on a row lock another session holds; its connection is then terminated
    const admin = knex({ client: 'pg', connection: process.env.TEST_DATABASE_URL });
    const schema = ([db.client.config.searchPath].flat()[0] as string | undefined) ?? 'public';
    const trx = await admin.transaction();
    await trx.raw(`select 1 from ${String(schema)}.outbox for update`);
    const recorded = record();
    recorded.catch(() => undefined); // awaited by the worker once the lock is gone
    let waiting: number[] = [];
    for (let i = 0; i < 100 && waiting.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      const { rows } = (await admin.raw(
        "select pid from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
      )) as { rows: { pid: number }[] };
      waiting = rows.map((r) => r.pid);
    }
    for (const pid of waiting) await admin.raw('select pg_terminate_backend(?)', [pid]);
    await trx.rollback();
    await admin.destroy();
    return { recorded, back: Promise.resolve() };
  }
  // another process holds the write lock a little longer than the busy timeout (5 s)
  const file = (db.client.config.connection as { filename: string }).filename;
  const holder = spawn(
    process.execPath,
    [
      '-e',
      `const d = new (require('better-sqlite3'))(process.argv[1]); d.exec('BEGIN EXCLUSIVE');
       console.log('locked'); setTimeout(() => { d.exec('COMMIT'); process.exit(0); }, 5500);`,
      file,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise((resolve) => holder.stdout.once('data', resolve));
  const back = new Promise<void>((resolve) => holder.once('exit', () => resolve()));
  return { recorded: record(), back };
}

describe.each(testDatabases())('outbox under a database failure on $name', (engine) => {
  let fake: FakeSlack | undefined;

  afterEach(async () => {
    await fake?.stop();
    await engine.close();
  });

  it('keeps a message Slack accepted and records it once the database is back', async () => {
    const db = await engine.open({ poolMax: 1 });
    fake = new FakeSlack();
    await fake.start();
    const store = knexOutboxStore(db);
    let back: Promise<void> | undefined;
    const failing: OutboxStore = {
      ...store,
      async markSent(id, ts, now) {
        if (back) return store.markSent(id, ts, now);
        const broken = await failWhileRecording(db, () => store.markSent(id, ts, now));
        back = broken.back;
        return broken.recorded;
      },
    };
    await store.enqueue(
      'run-1:exception-7',
      {
        kind: 'post',
        channel: 'C1',
        text: 'exception 7',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'exception 7' } }],
        metadata: {
          event_type: 'tally_message',
          event_payload: { outbox_key: 'run-1:exception-7' },
        },
      },
      new Date(),
    );
    const logged: string[] = [];
    const worker = new OutboxWorker({
      store: failing,
      sender: slackSender(
        new WebClient('xoxb-test', { slackApiUrl: fake.url, retryConfig: { retries: 0 } }),
      ),
      pacer: knexChannelPacer(db),
      perChannelIntervalMs: 0,
      leaseMs: 2000,
      log: (l) => logged.push(l),
    });
    await worker.runOnce().catch(() => 0);
    await back;
    // the row is retried after a backoff, or, when even that could not be written, reclaimed
    // once its lease ends: keep the worker going as `tally serve` does until it is sent
    const state = async () =>
      (await db('outbox').where({ outbox_key: 'run-1:exception-7' }).first('state')).state;
    for (let i = 0; i < 150 && (await state()) !== 'sent'; i++) {
      await worker.runOnce().catch(() => 0);
      await new Promise((r) => setTimeout(r, 100));
    }

    expect(fake.channelMessages('C1')).toHaveLength(1);
    const row = await db('outbox').where({ outbox_key: 'run-1:exception-7' }).first();
    expect(row.state).toBe('sent');
    expect(row.external_ts).toBe(fake.channelMessages('C1')[0]!.ts);
    expect(logged.join('\n')).toMatch(/storage error on run-1:exception-7, kept for a retry/);
  }, 60_000);
});
