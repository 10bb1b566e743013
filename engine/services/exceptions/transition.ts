/**
 * A person's (or the system's) move of one exception to another state: checked against the
 * state machine, applied with a conditional update on the row version (so two clicks cannot
 * both win), and recorded in the history and the audit chain with the evidence seen.
 */
import type { Knex } from 'knex';
import { inTransaction } from '../store/db.ts';
import { nowIso } from '../../core/model/canonical.ts';
import { appendAudit } from '../audit/log.ts';
import {
  assertTransition,
  isExceptionState,
  LifecycleError,
  type ExceptionState,
} from './states.ts';

export type TransitionInput = {
  exceptionId: number;
  to: ExceptionState;
  actor: string;
  reason: string;
  at?: string;
  /** Fields that change with the state (assignee on assign, explanation code on explain). */
  assignee?: string;
  explanation?: string;
};

export type ExceptionRow = Record<string, unknown> & {
  id: number;
  state: ExceptionState;
  version: number;
  evidence: string;
  ruleset_version: string;
};

export async function loadException(db: Knex, id: number): Promise<ExceptionRow> {
  const row = (await db('exceptions').where({ id }).first()) as ExceptionRow | undefined;
  if (!row) throw new LifecycleError('EXCEPTION_NOT_FOUND', `no exception with id ${id}`);
  if (!isExceptionState(row.state))
    throw new LifecycleError(
      'UNKNOWN_STATE',
      `exception ${id} has unknown state ${String(row.state)}`,
    );
  return row;
}

export async function transition(db: Knex, input: TransitionInput): Promise<ExceptionRow> {
  return inTransaction(db, async (trx) => {
    const row = await loadException(trx, input.exceptionId);
    assertTransition(row.id, row.state, input.to);
    const at = input.at ?? nowIso();
    const patch: Record<string, unknown> = {
      state: input.to,
      version: row.version + 1,
      updated_at: at,
    };
    if (input.assignee !== undefined) patch.assignee = input.assignee;
    if (input.explanation !== undefined) patch.explanation = input.explanation;
    if (input.to === 'resolved') patch.resolved_at = at;
    const changed = await trx('exceptions')
      .where({ id: row.id, version: row.version })
      .update(patch);
    if (changed !== 1)
      throw new LifecycleError(
        'STATE_CHANGED',
        `exception ${row.id} changed while this was being done; look again and retry`,
      );
    await recordTransition(trx, {
      row,
      to: input.to,
      actor: input.actor,
      at,
      reason: input.reason,
      extra: { assignee: input.assignee, explanation: input.explanation },
    });
    return { ...row, ...patch } as ExceptionRow;
  });
}

type Recorded = {
  row: ExceptionRow;
  to: ExceptionState;
  actor: string;
  at: string;
  reason: string;
  extra?: Record<string, unknown>;
};

/** History row + audit entry for a transition already applied to the row. */
export async function recordTransition(trx: Knex.Transaction, r: Recorded): Promise<void> {
  await trx('exception_history').insert({
    exception_id: r.row.id,
    from_state: r.row.state,
    to_state: r.to,
    actor: r.actor,
    at: r.at,
    reason: r.reason,
    evidence: r.row.evidence,
  });
  await appendAudit(trx, {
    actor: r.actor,
    action: 'exception.transition',
    entityType: 'exception',
    entityId: String(r.row.id),
    rulesetVersion: r.row.ruleset_version,
    before: { state: r.row.state },
    after: { state: r.to, reason: r.reason, ...r.extra },
    at: r.at,
  });
}

export function assign(
  db: Knex,
  id: number,
  a: { actor: string; assignee: string; reason?: string },
): Promise<ExceptionRow> {
  return transition(db, {
    exceptionId: id,
    to: 'assigned',
    actor: a.actor,
    assignee: a.assignee,
    reason: a.reason ?? `assigned to ${a.assignee}`,
  });
}

export function explain(
  db: Knex,
  id: number,
  e: { actor: string; code: string; reason: string },
): Promise<ExceptionRow> {
  return transition(db, {
    exceptionId: id,
    to: 'explained',
    actor: e.actor,
    explanation: e.code,
    reason: e.reason,
  });
}
