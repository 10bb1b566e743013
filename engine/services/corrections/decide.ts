/**
 * Approving and rejecting. Separation of duties is checked twice: the roles (config) before,
 * and the database state in ONE conditional UPDATE — not the proposer, not an approver who
 * already approved, still proposed, approvals still needed — so concurrent clicks on either
 * engine cannot approve twice, approve one's own proposal or reuse one approver for two.
 */
import { currencyOf, DEFAULT_CURRENCY, minorText } from '../../core/model/money.ts';
import type { Knex } from 'knex';
import type { Roles } from '../../core/rules/types.ts';
import { inTransaction } from '../store/db.ts';
import { nowIso } from '../../core/model/canonical.ts';
import { postingTime } from '../periods/lock.ts';
import { appendAudit } from '../audit/log.ts';
import { loadException, transition } from '../exceptions/transition.ts';
import {
  assertCanApprove,
  assertNotProposer,
  CorrectionError,
  hasRole,
  type Actor,
} from './roles.ts';
import { loadCorrection, type Correction } from './model.ts';

export type Decision =
  /** This approval completed the approvals needed. */
  | { status: 'approved'; correction: Correction }
  /** First of two approvals recorded. */
  | { status: 'recorded'; correction: Correction }
  /** The actor had already approved (double click). */
  | { status: 'already_approved'; correction: Correction }
  /** Someone else decided first (approved, rejected or applied). */
  | { status: 'already_decided'; correction: Correction }
  | { status: 'rejected'; correction: Correction };

export type DecideInput = { correctionId: number; actor: Actor; at?: string; reason?: string };

export async function approveCorrection(
  db: Knex,
  roles: Roles,
  input: DecideInput,
): Promise<Decision> {
  return inTransaction(db, async (trx) => {
    const before = await loadCorrection(trx, input.correctionId);
    assertNotProposer(input.actor, before);
    // the role first: someone who may not approve here learns nothing of the correction's state
    if (!hasRole(roles, input.actor, before.location, 'approver'))
      throw new CorrectionError(
        'NOT_APPROVER',
        `${input.actor.id} has no approver role for ${before.location}`,
      );
    const late = lateOutcome(before, input.actor.id);
    if (late) return late;
    assertCanApprove(roles, input.actor, before.location, before.valueMinor);
    // a decision dated in a closed period is dated in the next open one, like the posting
    const { at } = await postingTime(trx, input.at ?? nowIso());
    const a = input.actor.id;
    const changed = await trx('corrections')
      .where({ id: before.id, state: 'proposed' })
      .whereNot('proposer', a)
      .where((q) => q.whereNull('approver1').orWhereNot('approver1', a))
      .whereRaw('approval_count < approvals_needed')
      .update({
        approver1: trx.raw('CASE WHEN approval_count = 0 THEN ? ELSE approver1 END', [a]),
        approver2: trx.raw('CASE WHEN approval_count = 1 THEN ? ELSE approver2 END', [a]),
        state: trx.raw(
          "CASE WHEN approval_count + 1 >= approvals_needed THEN 'approved' ELSE 'proposed' END",
        ),
        decided_at: trx.raw(
          'CASE WHEN approval_count + 1 >= approvals_needed THEN ? ELSE decided_at END',
          [at],
        ),
        approval_count: trx.raw('approval_count + 1'),
      });
    const after = await loadCorrection(trx, before.id);
    if (changed !== 1)
      return lateOutcome(after, a) ?? { status: 'already_decided', correction: after };
    await trx('correction_approvals').insert({
      correction_id: after.id,
      approver: a,
      decision: 'approve',
      at,
    });
    const complete = after.state === 'approved';
    if (complete)
      await transition(trx, {
        exceptionId: after.exceptionId,
        to: 'approved',
        actor: a,
        at,
        reason: `correction ${after.id} approved by ${after.approvers.join(' and ')}`,
      });
    await appendAudit(trx, {
      actor: a,
      action: complete ? 'correction.approved' : 'correction.approval_recorded',
      entityType: 'correction',
      entityId: String(after.id),
      rulesetVersion: after.rulesetVersion,
      before: { state: before.state, approvers: before.approvers },
      after: {
        state: after.state,
        approvers: after.approvers,
        value: minorText(after.valueMinor, currencyOf(after.currency) ?? DEFAULT_CURRENCY),
        currency: after.currency,
      },
      at,
    });
    return { status: complete ? 'approved' : 'recorded', correction: after };
  });
}

export async function rejectCorrection(
  db: Knex,
  roles: Roles,
  input: DecideInput,
): Promise<Decision> {
  return inTransaction(db, async (trx) => {
    const before = await loadCorrection(trx, input.correctionId);
    const a = input.actor.id;
    assertNotProposer(input.actor, before);
    if (!hasRole(roles, input.actor, before.location, 'approver'))
      throw new CorrectionError('NOT_APPROVER', `${a} has no approver role for ${before.location}`);
    const { at } = await postingTime(trx, input.at ?? nowIso());
    const reason = input.reason ?? 'rejected';
    const changed = await trx('corrections')
      .where({ id: before.id, state: 'proposed' })
      .update({ state: 'rejected', rejected_by: a, rejection_reason: reason, decided_at: at });
    const after = await loadCorrection(trx, before.id);
    if (changed !== 1) return { status: 'already_decided', correction: after };
    await trx('correction_approvals')
      .insert({ correction_id: after.id, approver: a, decision: 'reject', at })
      .onConflict(['correction_id', 'approver'])
      .merge();
    const exc = await loadException(trx, after.exceptionId);
    if (exc.state === 'correction_proposed')
      await transition(trx, {
        exceptionId: exc.id,
        to: 'assigned',
        actor: a,
        at,
        reason: `correction ${after.id} rejected: ${reason}`,
      });
    await appendAudit(trx, {
      actor: a,
      action: 'correction.rejected',
      entityType: 'correction',
      entityId: String(after.id),
      rulesetVersion: after.rulesetVersion,
      before: { state: before.state },
      after: { state: 'rejected', reason },
      at,
    });
    return { status: 'rejected', correction: after };
  });
}

function lateOutcome(c: Correction, actor: string): Decision | null {
  if (c.approvers.includes(actor)) return { status: 'already_approved', correction: c };
  if (c.state !== 'proposed') return { status: 'already_decided', correction: c };
  return null;
}
