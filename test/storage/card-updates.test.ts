/**
 * A run's Slack messages: a message is queued for an exception whose card the run changed, not
 * for one it continued as it was (a daily run over 30,000 unchanged exceptions queued 30,000
 * `chat.update`s, paced at one a second per channel, ahead of every later message there). On
 * SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifyRun, type Routing } from '../../bot/notify.ts';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import type { Db } from '../../engine/services/store/db.ts';
import type { KeyResult } from '../../engine/core/recon/types.ts';
import { testDatabases } from '../support/databases.ts';
import { keyResult, ownerByLocation, runResult } from './fixtures.ts';

const ROUTING: Routing = {
  receivers: new Map([
    ['ops-east', { name: 'ops-east', slackChannel: 'C0EAST', file: 'owners.yaml', line: 1 }],
    ['ops-west', { name: 'ops-west', slackChannel: 'C0WEST', file: 'owners.yaml', line: 2 }],
  ]),
};

const day = (d: number) => `2026-11-${String(10 + d).padStart(2, '0')}T23:00:00.000Z`;

describe.each(testDatabases())('messages of a run on $name', (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await engine.open();
  });
  afterAll(() => engine.close());

  const save = async (runId: string, d: number, results: KeyResult[], notify = true) => {
    const run = runResult({ runId, asOf: day(d), results });
    const summary = await persistRun(db, run, { owners: ownerByLocation });
    if (notify) await notifyRun(db, ROUTING, summary);
  };
  /** The outbox rows queued since `after` (an id), as `kind exception-id`. */
  const queuedAfter = async (after: number) =>
    (
      (await db('outbox').where('id', '>', after).orderBy('id').select('payload')) as {
        payload: string | Record<string, unknown>;
      }[]
    ).map((r) => {
      const p = (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as {
        kind: string;
        render?: { exceptionId: number; part: string };
      };
      return `${p.kind} ${p.render?.part} ${p.render?.exceptionId}`;
    });
  const lastId = async () =>
    Number(((await db('outbox').max({ id: 'id' })) as { id: number | null }[])[0]!.id ?? 0);
  const idOf = async (sku: string) =>
    Number(((await db('exceptions').where({ sku }).first('id')) as { id: number }).id);

  it('updates the message of an exception whose card changed, and of no other', async () => {
    const a = () => keyResult({ sku: 'A', location: 'WH1', variance: -5 });
    const b = (variance: number) => keyResult({ sku: 'B', location: 'WH1', variance });
    await save('r1', 1, [a(), b(-3)]);
    const [idA, idB] = [await idOf('A'), await idOf('B')];
    expect(await queuedAfter(0)).toEqual([
      `post message ${idA}`,
      `post evidence ${idA}`,
      `post message ${idB}`,
      `post evidence ${idB}`,
    ]);

    // the next day: A as it was, B's quantities and variance moved
    let mark = await lastId();
    await save('r2', 2, [a(), b(-4)]);
    expect(await queuedAfter(mark)).toEqual([`update message ${idB}`]);

    // a day when nothing moved: nothing to tell
    mark = await lastId();
    await save('r3', 3, [a(), b(-4)]);
    expect(await queuedAfter(mark)).toEqual([]);

    // a quantity moved with the variance unchanged: the card shows quantities
    mark = await lastId();
    const moved = a();
    moved.evidence!.quantities = { erp: 200, wms: 205 };
    moved.evidence!.expected = 205;
    await save('r4', 4, [moved, b(-4)]);
    expect(await queuedAfter(mark)).toEqual([`update message ${idA}`]);

    // resolved by absence: the history names it, its message says so
    mark = await lastId();
    await save('r5', 5, [moved]);
    expect(await queuedAfter(mark)).toEqual([`update message ${idB}`]);
  });

  it('posts the message of an exception never posted, though the run did not change it', async () => {
    const c = () => keyResult({ sku: 'C', location: 'WH2', variance: 7 });
    // saved by a run whose messages were not queued (Slack set up later, a run without notify)
    // (days after the test before: a run as of an earlier day than a saved one is history)
    await save('s1', 6, [c()], false);
    const idC = await idOf('C');
    const mark = await lastId();
    await save('s2', 7, [c()]);
    expect(await queuedAfter(mark)).toEqual([`post message ${idC}`, `post evidence ${idC}`]);
  });

  it('updates once an exception saved before cards were digested, then only on change', async () => {
    const d = () => keyResult({ sku: 'D', location: 'WH2', variance: 9 });
    await save('t1', 8, [d()]);
    const idD = await idOf('D');
    // as a row stored before migration 014
    await db('exceptions').where({ id: idD }).update({ card_digest: null, card_run_id: null });
    let mark = await lastId();
    await save('t2', 9, [d()]);
    expect(await queuedAfter(mark)).toEqual([`update message ${idD}`]);
    mark = await lastId();
    await save('t3', 10, [d()]);
    expect(await queuedAfter(mark)).toEqual([]);
  });
});
