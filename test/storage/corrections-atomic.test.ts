/**
 * Approve and apply are one step: when the apply fails (here: its ledger insert collides), the
 * approval is rolled back with it, so the card still offers the button and nothing is left
 * approved-but-unapplied. Corrections left approved by older versions are finished by the sweep.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.ts';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import {
  applyApprovedCorrections,
  approveAndApply,
  approveCorrection,
  proposeCorrection,
} from '../../engine/services/corrections/index.ts';
import { verifyAudit } from '../../engine/services/audit/verify.ts';
import type { Roles } from '../../engine/core/rules/types.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { keyResult, ownerByLocation, runResult } from './fixtures.ts';

const roles: Roles = {
  twoApproverThresholdValue: 1_000_000,
  grants: [
    {
      file: 'roles.yaml',
      line: 1,
      subject: 'UR',
      subjectKind: 'user',
      role: 'resolver',
      locations: [],
    },
    {
      file: 'roles.yaml',
      line: 2,
      subject: 'UA',
      subjectKind: 'user',
      role: 'approver',
      locations: [],
    },
    {
      file: 'roles.yaml',
      line: 3,
      subject: 'UB',
      subjectKind: 'user',
      role: 'approver',
      locations: [],
    },
  ],
};

describe.each(testDatabases())('approve and apply on $name', (engine) => {
  let db: Db;
  let ids: number[] = [];
  beforeAll(async () => {
    db = await engine.open();
    const results = Array.from({ length: 6 }, (_, i) =>
      keyResult({ sku: `SKU-${i}`, location: 'WH1', variance: i + 1 }),
    );
    await persistRun(db, runResult({ runId: 'a1', asOf: '2026-11-01T00:00:00.000Z', results }), {
      owners: ownerByLocation,
    });
    ids = (await db('exceptions').orderBy('id').select('id')).map((r) => Number(r.id));
  });
  afterAll(() => engine.close());

  const propose = (i: number) =>
    proposeCorrection(db, roles, {
      exceptionId: ids[i]!,
      actor: { id: 'UR' },
      system: 'erp',
      deltaQuantity: -1,
      reasonCode: 'PHYSICAL_COUNT',
    });

  it('rolls the approval back when the apply fails, and a retry applies once', async () => {
    const { correction } = await propose(0);
    const blocker = {
      source: 'tally',
      source_event_id: correction.idempotencyKey,
      type: 'adjustment',
      sku: 'X',
      quantity: 1,
      occurred_at: '2026-11-01T00:00:00.000Z',
      recorded_at: '2026-11-01T00:00:00.000Z',
    };
    await db('events').insert(blocker);
    await expect(
      approveAndApply(db, roles, { correctionId: correction.id, actor: { id: 'UA' } }),
    ).rejects.toThrow();
    const row = await db('corrections').where({ id: correction.id }).first();
    expect(row.state).toBe('proposed');
    expect(row.approval_count).toBe(0);
    await db('events').where({ source_event_id: correction.idempotencyKey }).delete();
    const retry = await approveAndApply(db, roles, {
      correctionId: correction.id,
      actor: { id: 'UA' },
    });
    expect(retry.applied?.applied).toBe(true);
    expect(await db('events').where({ correction_id: correction.id })).toHaveLength(1);
  });

  it('sweeps corrections left approved and applies each exactly once', async () => {
    const left = [];
    for (const i of [1, 2, 3]) {
      const { correction } = await propose(i);
      await approveCorrection(db, roles, { correctionId: correction.id, actor: { id: 'UB' } });
      left.push(correction.id);
    }
    const counts = await Promise.all([
      applyApprovedCorrections(db),
      applyApprovedCorrections(db),
      applyApprovedCorrections(db),
    ]);
    expect(
      counts
        .flat()
        .map((a) => a.correction.id)
        .sort(),
    ).toEqual([...left].sort());
    for (const id of left) {
      const row = await db('corrections').where({ id }).first();
      expect(row).toMatchObject({ state: 'applied', applied_by: 'UB' });
      expect(await db('events').where({ correction_id: id })).toHaveLength(1);
    }
    expect(await applyApprovedCorrections(db)).toEqual([]);
    expect((await verifyAudit(db)).ok).toBe(true);
  });
});
