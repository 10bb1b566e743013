/**
 * An exception's cause is part of its identity (its fingerprint), so when the same difference at
 * the same comparison is named by another cause the next day, the exception raised under the old
 * cause resolves and a new one opens. Said as it is: the old one's history names the new one
 * ("cause changed … continues as exception #N", not "difference gone"), the new one's history
 * names the old one, and the person working it keeps it (assigned to them from the start).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import { assign } from '../../engine/services/exceptions/transition.ts';
import { historyOf } from '../../engine/services/exceptions/history.ts';
import { verifyAudit } from '../../engine/services/audit/verify.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { testDatabases } from '../support/databases.ts';
import { keyResult, ownerByLocation, runResult } from './fixtures.ts';

describe.each(testDatabases())('an exception whose cause changes, on $name', (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await engine.open();
  });
  afterAll(() => engine.close());

  const save = (runId: string, day: number, results: ReturnType<typeof keyResult>[]) =>
    persistRun(db, runResult({ runId, asOf: `2026-11-2${day}T23:00:00.000Z`, results }), {
      owners: ownerByLocation,
    });
  const lines = async (id: number) =>
    (await historyOf(db, id)).map((h) => `${h.from ?? '-'} → ${h.to}: ${h.reason}`);

  it('links the two and keeps it with the person working it', async () => {
    const shortBy = (cause: string) =>
      keyResult({ sku: 'SKU-A', location: 'WH1', variance: -4, cause });
    const other = keyResult({ sku: 'SKU-B', location: 'WH1', variance: 2, cause: 'PHANTOM_STOCK' });
    const first = await save('c1', 1, [shortBy('MISSING_POSTING'), other]);
    const [oldId, otherId] = first.opened;
    await assign(db, oldId!, { actor: 'U0LEAD', assignee: 'U0JANE' });

    const second = await save('c2', 2, [shortBy('UNRECORDED_SHRINKAGE')]);
    expect(second.resolved.sort()).toEqual([oldId, otherId].sort());
    expect(second.opened).toHaveLength(1);
    const newId = second.opened[0]!;
    expect(await db('exceptions').where({ id: newId }).first()).toMatchObject({
      cause: 'UNRECORDED_SHRINKAGE',
      state: 'assigned',
      assignee: 'U0JANE',
    });
    expect((await lines(oldId!)).at(-1)).toBe(
      `assigned → resolved: cause changed in run c2: the difference continues as exception #${newId}`,
    );
    expect(await lines(newId)).toEqual([
      `- → open: raised by run c2: continues exception #${oldId} (its cause was MISSING_POSTING)`,
      `open → assigned: assigned to U0JANE (carried over from #${oldId})`,
    ]);
    // the other difference is gone indeed
    expect((await lines(otherId!)).at(-1)).toBe('open → resolved: difference gone in run c2');

    // the first cause names it again: the old exception under it comes back, continuing the other
    const third = await save('c3', 3, [shortBy('MISSING_POSTING')]);
    expect(third.reopened).toEqual([oldId]);
    expect(third.resolved).toEqual([newId]);
    expect((await lines(newId)).at(-1)).toBe(
      `assigned → resolved: cause changed in run c3: the difference continues as exception #${oldId}`,
    );
    expect((await lines(oldId!)).at(-1)).toBe(
      `resolved → reopened: difference back in run c3 (occurrence 2); continues exception #${newId} (its cause was UNRECORDED_SHRINKAGE)`,
    );
    expect((await verifyAudit(db)).ok).toBe(true);
  });
});
