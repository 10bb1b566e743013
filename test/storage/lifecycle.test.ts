import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.ts';
import { readEvidence } from '../../engine/core/recon/stored-evidence.ts';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import { assign, transition } from '../../engine/services/exceptions/transition.ts';
import { verifyAudit } from '../../engine/services/audit/verify.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { keyResult, ownerByLocation, runResult } from './fixtures.ts';

describe.each(testDatabases())('exception lifecycle on $name', (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await engine.open();
  });
  afterAll(() => engine.close());

  const a = keyResult({ sku: 'SKU-A', location: 'WH1', variance: -4 });
  const b = keyResult({ sku: 'SKU-B', location: 'WH2', variance: 7 });
  const explainedC = keyResult({ sku: 'SKU-C', location: 'WH1', explained: 'IN_TRANSIT_WINDOW' });
  const byFp = async (sku: string) => db('exceptions').where({ sku }).first();

  it('raises, keeps unchanged, auto-resolves, then reopens with recurrence 2', async () => {
    const s1 = await persistRun(
      db,
      runResult({ runId: 'r1', asOf: '2026-11-01T00:00:00.000Z', results: [a, b, explainedC] }),
      { owners: ownerByLocation },
    );
    expect(s1.opened).toHaveLength(2);
    expect((await byFp('SKU-A')).state).toBe('open');
    expect((await byFp('SKU-A')).owner).toBe('ops-east');

    const s2 = await persistRun(
      db,
      runResult({ runId: 'r2', asOf: '2026-11-02T00:00:00.000Z', results: [a, b] }),
      { owners: ownerByLocation },
    );
    expect(s2).toMatchObject({ opened: [], continued: 2, reopened: [], resolved: [] });
    expect(await db('exceptions').count('* as n').first()).toMatchObject({ n: expect.anything() });
    expect(Number((await db('exceptions').count('* as n').first())!.n)).toBe(2);

    const s3 = await persistRun(
      db,
      runResult({ runId: 'r3', asOf: '2026-11-03T00:00:00.000Z', results: [b] }),
      { owners: ownerByLocation },
    );
    const rowA = await byFp('SKU-A');
    expect(s3.resolved).toEqual([rowA.id]);
    expect(rowA.state).toBe('resolved');
    expect(rowA.resolved_at).toBe('2026-11-03T00:00:00.000Z');

    const s4 = await persistRun(
      db,
      runResult({ runId: 'r4', asOf: '2026-11-04T00:00:00.000Z', results: [a, b] }),
      { owners: ownerByLocation },
    );
    const back = await byFp('SKU-A');
    expect(s4.reopened).toEqual([back.id]);
    expect(back.state).toBe('reopened');
    expect(back.recurrence_count).toBe(2);
    expect(Number(back.process_failure)).toBe(0);
    expect(readEvidence(back.evidence).lastMatchedRunId).toBe('r3');
    expect(Number((await db('exceptions').count('* as n').first())!.n)).toBe(2);

    const history = await db('exception_history').where({ exception_id: back.id }).orderBy('id');
    expect(history.map((h) => h.to_state)).toEqual(['open', 'resolved', 'reopened']);
    expect(
      Number((await db('run_results').where({ run_id: 'r1' }).count('* as n').first())!.n),
    ).toBe(3);
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('flags a third occurrence within 30 days as a process failure', async () => {
    await persistRun(
      db,
      runResult({ runId: 'r5', asOf: '2026-11-05T00:00:00.000Z', results: [b] }),
      { owners: ownerByLocation },
    );
    const s6 = await persistRun(
      db,
      runResult({ runId: 'r6', asOf: '2026-11-06T00:00:00.000Z', results: [a, b] }),
      { owners: ownerByLocation },
    );
    const rowA = await byFp('SKU-A');
    expect(rowA.recurrence_count).toBe(3);
    expect(Number(rowA.process_failure)).toBe(1);
    expect(s6.processFailures).toEqual([rowA.id]);
  });

  it('rolls back the whole run when any part fails', async () => {
    const before = Number((await db('run_results').count('* as n').first())!.n);
    const dup = runResult({ runId: 'r6', asOf: '2026-11-07T00:00:00.000Z', results: [a] });
    await expect(persistRun(db, dup, { owners: ownerByLocation })).rejects.toThrow();
    expect(Number((await db('run_results').count('* as n').first())!.n)).toBe(before);
  });

  it('records every human transition and rejects illegal ones with a code', async () => {
    const rowB = await byFp('SKU-B');
    await assign(db, rowB.id, { actor: 'U1', assignee: 'U2' });
    await expect(
      transition(db, { exceptionId: rowB.id, to: 'applied', actor: 'U1', reason: 'skip ahead' }),
    ).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    await expect(
      transition(db, { exceptionId: 999999, to: 'assigned', actor: 'U1', reason: 'x' }),
    ).rejects.toMatchObject({ code: 'EXCEPTION_NOT_FOUND' });
    const last = await db('exception_history')
      .where({ exception_id: rowB.id })
      .orderBy('id', 'desc')
      .first();
    expect(last).toMatchObject({ from_state: 'open', to_state: 'assigned', actor: 'U1' });
    expect(readEvidence(last.evidence).variance).toBe(7);
    expect((await byFp('SKU-B')).assignee).toBe('U2');
    expect((await verifyAudit(db)).ok).toBe(true);
  });
});

describe.each(testDatabases())('ruleset changes on $name', (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await engine.open();
  });
  afterAll(() => engine.close());

  it('records a ruleset version change in the audit chain, once', async () => {
    const run = (runId: string, asOf: string, label: string) =>
      persistRun(
        db,
        { ...runResult({ runId, asOf, results: [] }), rulesetVersion: { hash: label, label } },
        { owners: ownerByLocation },
      );
    await run('v1', '2026-11-01T00:00:00.000Z', 'aaa');
    await run('v2', '2026-11-02T00:00:00.000Z', 'aaa');
    await run('v3', '2026-11-03T00:00:00.000Z', 'bbb');
    await run('v4', '2026-11-04T00:00:00.000Z', 'bbb');
    const changes = await db('audit_log').where({ action: 'ruleset.changed' });
    expect(changes).toHaveLength(1);
    expect(JSON.parse(changes[0].before)).toMatchObject({ version: 'aaa', lastRunId: 'v2' });
    expect(JSON.parse(changes[0].after)).toMatchObject({ version: 'bbb', firstRunId: 'v3' });
  });
});
