/**
 * An incremental run (the real-time endpoint's) reconciles only the keys an event touched: on
 * those keys a live exception the run did not raise again has gone and is resolved with the
 * run; every other key is left as it was, since the run did not look at it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../engine/services/audit/verify.ts';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import { assign } from '../../engine/services/exceptions/transition.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { testDatabases } from '../support/databases.ts';
import { keyResult, ownerByLocation, runResult } from './fixtures.ts';

describe.each(testDatabases())('incremental run over touched keys on $name', (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await engine.open();
  });
  afterAll(() => engine.close());

  const a = keyResult({ sku: 'SKU-A', location: 'WH1', variance: -4 });
  const b = keyResult({ sku: 'SKU-B', location: 'WH1', variance: 3 });
  const c = keyResult({ sku: 'SKU-C', location: 'WH2', variance: 6 });
  const row = (sku: string) => db('exceptions').where({ sku }).first();

  it('resolves the exception whose difference vanished and leaves untouched keys alone', async () => {
    await persistRun(
      db,
      runResult({ runId: 'full-1', asOf: '2026-11-01T00:00:00.000Z', results: [a, b, c] }),
      { owners: ownerByLocation },
    );
    const idA = Number((await row('SKU-A')).id);
    await assign(db, idA, { actor: 'U1', assignee: 'U1' });

    // events touched A and B: A now matches, B still differs; C was not looked at
    const touched = await persistRun(
      db,
      runResult({
        runId: 'live-1',
        asOf: '2026-11-01T01:00:00.000Z',
        mode: 'incremental',
        results: [b],
      }),
      {
        owners: ownerByLocation,
        touchedKeys: [
          { sku: 'SKU-A', location: 'WH1', bucket: 'sellable' },
          { sku: 'SKU-B', location: 'WH1', bucket: 'sellable' },
        ],
      },
    );
    expect(touched).toMatchObject({ resolved: [idA], continued: 1, opened: [] });
    expect(await row('SKU-A')).toMatchObject({
      state: 'resolved',
      resolved_at: '2026-11-01T01:00:00.000Z',
    });
    expect((await row('SKU-B')).state).toBe('open');
    expect((await row('SKU-C')).state).toBe('open');
    const history = await db('exception_history')
      .where({ exception_id: idA, to_state: 'resolved' })
      .first();
    expect(history).toMatchObject({ from_state: 'assigned', run_id: 'live-1' });

    // without touched keys an incremental run resolves nothing by absence
    const blind = await persistRun(
      db,
      runResult({
        runId: 'live-2',
        asOf: '2026-11-01T02:00:00.000Z',
        mode: 'incremental',
        results: [],
      }),
      { owners: ownerByLocation },
    );
    expect(blind.resolved).toEqual([]);
    expect((await row('SKU-B')).state).toBe('open');
    expect((await row('SKU-C')).state).toBe('open');
    expect((await verifyAudit(db)).ok).toBe(true);
  });
});
