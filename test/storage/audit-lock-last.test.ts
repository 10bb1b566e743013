/**
 * Saving a run serializes every writer of the audit log (a click's decision too) from its audit
 * append to its commit, so the append is the save's last step: results, exceptions, history and
 * the queued messages are written before the lock is taken, not while clicks wait on it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { knexOutboxStore } from '../../bot/outbox/store.ts';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import { keyResult, ownerByLocation, runResult } from './fixtures.ts';
import { testDatabases } from '../support/databases.ts';

describe.each(testDatabases())('run save and the audit lock on $name', (engine) => {
  afterAll(() => engine.close());

  it('appends to the audit log last, after everything else the save writes', async () => {
    const db = await engine.open();
    const results = Array.from({ length: 30 }, (_, i) =>
      keyResult({ sku: `SKU-${i}`, location: i % 2 ? 'WH1' : 'WH2' }),
    );
    const statements: string[] = [];
    const record = (q: { sql: string }) => statements.push(q.sql);
    db.on('query', record);
    try {
      await persistRun(
        db,
        runResult({ runId: 'lock-1', asOf: '2026-11-30T00:00:00.000Z', results }),
        {
          owners: ownerByLocation,
          onPersisted: async (trx, summary) => {
            const outbox = knexOutboxStore(trx);
            for (const id of summary.opened)
              await outbox.enqueue(
                `exception:${id}`,
                {
                  kind: 'post',
                  channel: 'C1',
                  text: `exception ${id}`,
                  blocks: [],
                  metadata: { event_type: 'tally_message', event_payload: {} },
                },
                new Date(),
              );
          },
        },
      );
    } finally {
      db.off('query', record);
    }
    const first = statements.findIndex((s) => /audit_log|pg_advisory_xact_lock/.test(s));
    expect(first).toBeGreaterThan(0);
    const after = statements.slice(first).filter((s) => !/^(commit|COMMIT|release)/i.test(s));
    expect(
      after.every((s) => /audit_log|pg_advisory_xact_lock/.test(s)),
      after.join('\n'),
    ).toBe(true);
    expect(statements.slice(0, first).some((s) => /outbox/.test(s))).toBe(true);
    expect(Number((await db('audit_log').count({ n: '*' }))[0]!.n)).toBeGreaterThan(0);
  });
});
