/**
 * A run as of an earlier time than a saved one (last week re-run) is history: it is saved, but
 * it neither reopens, updates nor resolves what the later run decided, and it opens nothing,
 * since the later full run says how things stand now. Before, a re-run of an older day reopened
 * what the later run had resolved (recurrence 2, on the way to a process failure) and resolved
 * what it had raised.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import { verifyAudit } from '../../engine/services/audit/verify.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { testDatabases } from '../support/databases.ts';
import { keyResult, ownerByLocation, runResult } from './fixtures.ts';

const DAY1 = '2026-11-21T23:00:00.000Z';
const DAY2 = '2026-11-22T23:00:00.000Z';
const DAY3 = '2026-11-23T23:00:00.000Z';

describe.each(testDatabases())('a run as of an earlier time, on $name', (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await engine.open();
  });
  afterAll(() => engine.close());

  const a = keyResult({ sku: 'SKU-A', location: 'WH1', variance: -4 });
  const b = keyResult({ sku: 'SKU-B', location: 'WH2', variance: 7 });
  const c = keyResult({ sku: 'SKU-C', location: 'WH1', variance: 2 });
  const save = (runId: string, asOf: string, results: ReturnType<typeof keyResult>[]) =>
    persistRun(db, runResult({ runId, asOf, results }), { owners: ownerByLocation });
  const row = (sku: string) => db('exceptions').where({ sku }).first();

  it('leaves what a later run decided and opens nothing', async () => {
    await save('d1', DAY1, [a]);
    await save('d2', DAY2, [b]);
    const [ra, rb] = [await row('SKU-A'), await row('SKU-B')];
    expect([ra.state, rb.state]).toEqual(['resolved', 'open']);

    // day 1 again: A is there, B is not, C is new
    const again = await save('d1-again', DAY1, [a, c]);
    expect(again).toMatchObject({
      opened: [],
      reopened: [],
      resolved: [],
      continued: 0,
      notOpened: 1,
      laterFullRunAsOf: DAY2,
    });
    expect([...again.decidedLater].sort()).toEqual([ra.id, rb.id].sort());
    expect(await row('SKU-A')).toMatchObject({ state: 'resolved', recurrence_count: 1 });
    expect(await row('SKU-B')).toMatchObject({ state: 'open', last_seen_at: DAY2 });
    expect(await row('SKU-C')).toBeUndefined();
    // the run itself is saved, with what it found, and its audit entry says what it left
    expect(await db('runs').where({ id: 'd1-again' }).first()).toBeDefined();
    const audit = await db('audit_log')
      .where({ action: 'run.persisted', entity_id: 'd1-again' })
      .first();
    expect(JSON.parse(audit.after)).toMatchObject({ decidedLater: 2, notOpened: 1 });

    // a later day decides again as usual
    const day3 = await save('d3', DAY3, [a]);
    expect(day3.reopened).toEqual([ra.id]);
    expect(day3.resolved).toEqual([rb.id]);
    expect(day3.opened).toEqual([]);
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('still decides what no later run touched when only live runs came after', async () => {
    // an incremental run as of later does not make a full run history: it saw a few keys only
    const live = runResult({
      runId: 'live',
      asOf: '2026-11-24T10:00:00.000Z',
      results: [],
      mode: 'incremental',
    });
    await persistRun(db, live, { owners: ownerByLocation, touchedKeys: [] });
    const d4 = await save('d4', '2026-11-24T09:00:00.000Z', [a, c]);
    expect(d4.laterFullRunAsOf).toBeUndefined();
    expect(d4.opened).toHaveLength(1);
    expect(d4.continued).toBe(1);
  });
});
