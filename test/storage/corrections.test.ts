import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.ts';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import {
  approveAndApply,
  approveCorrection,
  proposeCorrection,
  rejectCorrection,
} from '../../engine/services/corrections/index.ts';
import { verifyAudit } from '../../engine/services/audit/verify.ts';
import type { Roles, RoleGrant } from '../../engine/core/rules/types.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { keyResult, ownerByLocation, runResult } from './fixtures.ts';

const grant = (
  subject: string,
  role: RoleGrant['role'],
  approvalLimitValue?: number,
  locations: string[] = [],
): RoleGrant => ({
  file: 'roles.yaml',
  line: 1,
  subject,
  subjectKind: 'user',
  role,
  locations,
  approvalLimitValue,
});

const APPROVERS = Array.from({ length: 10 }, (_, i) => `UA${i}`);
const roles: Roles = {
  twoApproverThresholdValue: 1000,
  grants: [
    grant('UR1', 'resolver'),
    grant('UR2', 'resolver'),
    grant('UAP', 'approver', 5000),
    grant('USMALL', 'approver', 100),
    grant('UWH2', 'approver', undefined, ['WH2']),
    { ...grant('S-OPS', 'approver', 5000), subjectKind: 'group' },
    ...APPROVERS.map((a) => grant(a, 'approver', 5000)),
  ],
};

describe.each(testDatabases())('controlled corrections on $name', (engine) => {
  let db: Db;
  const ids: number[] = [];
  beforeAll(async () => {
    db = await engine.open();
    // 110 exceptions at WH1, value 10 per unit; exception i has variance i+1.
    const results = Array.from({ length: 110 }, (_, i) =>
      keyResult({ sku: `SKU-${i}`, location: 'WH1', variance: i + 1, valueAtRisk: (i + 1) * 10 }),
    );
    await persistRun(db, runResult({ runId: 'c1', asOf: '2026-11-01T00:00:00.000Z', results }), {
      owners: ownerByLocation,
    });
    const rows = await db('exceptions').orderBy('id').select('id');
    ids.push(...rows.map((r) => Number(r.id)));
  });
  afterAll(() => engine.close());

  const propose = (
    i: number,
    delta: number,
    actor = 'UR1',
    extra: Partial<Parameters<typeof proposeCorrection>[2]> = {},
  ) =>
    proposeCorrection(db, roles, {
      exceptionId: ids[i]!,
      actor: { id: actor },
      system: 'erp',
      deltaQuantity: delta,
      reasonCode: 'PHYSICAL_COUNT',
      ...extra,
    });

  it('refuses self-approval, non-approvers, over-limit approvals and unknown reasons', async () => {
    await expect(propose(0, -1, 'UNOBODY')).rejects.toMatchObject({ code: 'NOT_RESOLVER' });
    await expect(propose(0, -1, 'UR1', { reasonCode: 'XX' })).rejects.toMatchObject({
      code: 'UNKNOWN_REASON_CODE',
    });
    const { correction } = await propose(0, -20, 'UAP'); // value 200
    await expect(
      approveCorrection(db, roles, { correctionId: correction.id, actor: { id: 'UAP' } }),
    ).rejects.toMatchObject({ code: 'SELF_APPROVAL' });
    await expect(
      approveCorrection(db, roles, { correctionId: correction.id, actor: { id: 'UR2' } }),
    ).rejects.toMatchObject({ code: 'NOT_APPROVER' });
    await expect(
      approveCorrection(db, roles, { correctionId: correction.id, actor: { id: 'USMALL' } }),
    ).rejects.toMatchObject({ code: 'OVER_LIMIT' });
    await expect(
      approveCorrection(db, roles, { correctionId: correction.id, actor: { id: 'UWH2' } }),
    ).rejects.toMatchObject({ code: 'NOT_APPROVER' });
    const ok = await approveCorrection(db, roles, {
      correctionId: correction.id,
      actor: { id: 'U-member', groups: ['S-OPS'] },
    });
    expect(ok.status).toBe('approved');
  });

  it('needs two distinct approvers above the threshold', async () => {
    const { correction } = await propose(1, -150); // 150 × 10 = 1500 > 1000
    expect(correction.approvalsNeeded).toBe(2);
    const first = await approveAndApply(db, roles, {
      correctionId: correction.id,
      actor: { id: 'UA1' },
    });
    expect(first.decision.status).toBe('recorded');
    expect(first.applied).toBeUndefined();
    const again = await approveAndApply(db, roles, {
      correctionId: correction.id,
      actor: { id: 'UA1' },
    });
    expect(again.decision.status).toBe('already_approved');
    const second = await approveAndApply(db, roles, {
      correctionId: correction.id,
      actor: { id: 'UA2' },
    });
    expect(second.decision.status).toBe('approved');
    expect(second.applied?.applied).toBe(true);
    expect(second.decision.correction.approvers).toEqual(['UA1', 'UA2']);
    // a late click from someone without the approver role is refused, not told the outcome
    for (const actor of [{ id: 'UR2' }, { id: 'UWH2' }])
      await expect(
        approveAndApply(db, roles, { correctionId: correction.id, actor }),
      ).rejects.toMatchObject({ code: 'NOT_APPROVER' });
  });

  it('rejects reuse of an idempotency key with changed parameters and returns the first for the same ones', async () => {
    const first = await propose(2, -3, 'UR1', { idempotencyKey: 'click-42' });
    const same = await propose(2, -3, 'UR1', { idempotencyKey: 'click-42' });
    expect(same).toMatchObject({ created: false, correction: { id: first.correction.id } });
    await expect(propose(2, -4, 'UR1', { idempotencyKey: 'click-42' })).rejects.toMatchObject({
      code: 'IDEMPOTENCY_CONFLICT',
    });
    await expect(
      propose(2, -3, 'UR1', { idempotencyKey: 'click-42', reasonCode: 'MISPLACED' }),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
    // the code of rows written before the catalogue had one scheme is the same reason
    const legacy = await propose(2, -3, 'UR1', {
      idempotencyKey: 'click-42',
      reasonCode: 'edi947:AA',
    });
    expect(legacy).toMatchObject({ created: false, correction: { reasonCode: 'PHYSICAL_COUNT' } });
    const rejected = await rejectCorrection(db, roles, {
      correctionId: first.correction.id,
      actor: { id: 'UA3' },
      reason: 'count again',
    });
    expect(rejected.status).toBe('rejected');
    expect((await db('exceptions').where({ id: ids[2] }).first()).state).toBe('assigned');
  });

  it('applies exactly once under 50 concurrent approvals', async () => {
    const { correction } = await propose(3, -4);
    const clicks = Array.from({ length: 50 }, (_, i) =>
      approveAndApply(db, roles, {
        correctionId: correction.id,
        actor: { id: APPROVERS[i % 10]! },
      }),
    );
    const outcomes = await Promise.all(clicks);
    expect(outcomes.filter((o) => o.applied?.applied)).toHaveLength(1);
    expect(outcomes.filter((o) => o.decision.status === 'approved')).toHaveLength(1);
    await expectAppliedOnce(correction.id);
  });

  it('applies each of 100 corrections once under mixed concurrent clicks', async () => {
    const created = [];
    for (let i = 10; i < 110; i++)
      created.push((await propose(i, i % 2 === 0 ? -(i + 1) : i + 1)).correction);
    const clicks = created.flatMap((c, n) => {
      const people = [APPROVERS[n % 10]!, APPROVERS[(n + 1) % 10]!, APPROVERS[n % 10]!, 'UR1'];
      return people.map((id) =>
        approveAndApply(db, roles, { correctionId: c.id, actor: { id } }).catch(
          (e: { code?: string }) => e.code,
        ),
      );
    });
    const outcomes = await Promise.all(shuffle(clicks));
    const codes = outcomes.filter((o) => typeof o === 'string' || o === undefined);
    expect(codes.filter((o) => o !== 'SELF_APPROVAL')).toEqual([]);
    expect(outcomes.filter((o) => o === 'SELF_APPROVAL')).toHaveLength(100);
    for (const c of created) await expectAppliedOnce(c.id);
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  async function expectAppliedOnce(correctionId: number): Promise<void> {
    const row = await db('corrections').where({ id: correctionId }).first();
    expect(row.state).toBe('applied');
    const events = await db('events').where({ correction_id: correctionId });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      source: 'tally',
      source_event_id: row.idempotency_key,
      exception_id: row.exception_id,
      type: 'adjustment',
    });
    expect(
      await db('outbox').where({
        outbox_key: `writeback:${row.idempotency_key}`,
        kind: 'writeback',
      }),
    ).toHaveLength(1);
    expect(
      await db('audit_log').where({
        action: 'correction.applied',
        entity_id: String(correctionId),
      }),
    ).toHaveLength(1);
    expect((await db('exceptions').where({ id: row.exception_id }).first()).state).toBe('applied');
  }
});

function shuffle<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
