/**
 * The default idempotency key of a proposal: a double click on an open proposal returns it,
 * while proposing the same delta again after the first was rejected is a new correction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  approveAndApply,
  proposeCorrection,
  rejectCorrection,
} from '../../engine/services/corrections/index.ts';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { ROLES } from '../bot/harness.ts';
import { testDatabases } from '../support/databases.ts';
import { keyResult, runResult } from './fixtures.ts';

describe.each(testDatabases())('re-proposal on $name', (engine) => {
  let db: Db;
  let exceptionId: number;
  beforeAll(async () => {
    db = await engine.open();
    const summary = await persistRun(
      db,
      runResult({
        runId: 'r1',
        asOf: '2026-11-01T00:00:00.000Z',
        results: [keyResult({ sku: 'A', location: 'WH1', variance: 4 })],
      }),
      { owners: () => 'ops' },
    );
    exceptionId = summary.opened[0]!;
  });
  afterAll(() => engine.close());

  const propose = () =>
    proposeCorrection(db, ROLES, {
      exceptionId,
      actor: { id: 'URES' },
      system: 'erp',
      deltaQuantity: -4,
      reasonCode: 'PHYSICAL_COUNT',
    });

  it('returns the open proposal to a double click, and makes a new one after a rejection', async () => {
    const clicks = await Promise.all([propose(), propose()]);
    const first = clicks[0].correction;
    expect(clicks[1].correction.id).toBe(first.id);
    expect(clicks.filter((c) => c.created)).toHaveLength(1);
    expect((await propose()).created).toBe(false);

    await rejectCorrection(db, ROLES, {
      correctionId: first.id,
      actor: { id: 'UAPP1' },
      reason: 'count again',
    });
    const again = await Promise.all([propose(), propose()]);
    const second = again[0].correction;
    expect(second.id).not.toBe(first.id);
    expect(second.idempotencyKey).not.toBe(first.idempotencyKey);
    expect(second.state).toBe('proposed');
    expect(again[1].correction.id).toBe(second.id);
    expect(again.filter((c) => c.created)).toHaveLength(1);

    const { applied } = await approveAndApply(db, ROLES, {
      correctionId: second.id,
      actor: { id: 'UAPP1' },
    });
    expect(applied?.applied).toBe(true);
    // applied (not closed without effect): proposing the same again is the same correction
    expect((await propose()).correction.id).toBe(second.id);
    expect(await db('corrections').where({ exception_id: exceptionId })).toHaveLength(2);
  });
});
