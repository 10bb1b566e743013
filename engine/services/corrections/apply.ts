/**
 * Applying an approved correction, exactly once: a conditional UPDATE moves it to `applied`
 * (only one caller can), and in the same transaction the ledger gets the adjustment (source
 * `tally`, source event id = idempotency key, linked to the exception), the audit chain gets
 * the step and the outbox gets the write-back for the source's connector to deliver.
 */
import type { Knex } from 'knex';
import type { Roles } from '../../core/rules/types.ts';
import { insertedId, inTransaction } from '../store/db.ts';
import { nowIso } from '../../core/model/canonical.ts';
import { describeMove, postingTime, type PeriodMove } from '../periods/lock.ts';
import { appendAudit } from '../audit/log.ts';
import { loadException, transition } from '../exceptions/transition.ts';
import { canTransition } from '../exceptions/states.ts';
import { approveCorrection, type Decision, type DecideInput } from './decide.ts';
import { CorrectionError } from './roles.ts';
import { loadCorrection, type Correction } from './model.ts';

export type Applied = {
  applied: boolean;
  correction: Correction;
  eventId?: number;
  /** Dated inside a closed period: refused there and booked in the next open one. */
  moved?: PeriodMove;
  /** What a person is told about that move. */
  notice?: string;
};

export const TALLY_SOURCE = 'tally';

export async function applyCorrection(
  db: Knex,
  input: { correctionId: number; actor: string; at?: string },
): Promise<Applied> {
  return inTransaction(db, async (trx) => {
    const { at, moved } = await postingTime(trx, input.at ?? nowIso());
    const changed = await trx('corrections')
      .where({ id: input.correctionId, state: 'approved' })
      .update({ state: 'applied', applied_at: at, applied_by: input.actor });
    const c = await loadCorrection(trx, input.correctionId);
    if (changed !== 1) {
      if (c.state === 'applied') return { applied: false, correction: c };
      throw new CorrectionError(
        'NOT_APPROVED',
        `correction ${c.id} is ${c.state}; only an approved correction can be applied`,
      );
    }
    const eventId = await bookAdjustment(trx, c, at);
    const notice = moved && describeMove(`correction ${c.id}`, moved);
    const result = {
      eventId,
      ledger: 'booked',
      writeback: 'queued',
      outboxKey: `writeback:${c.idempotencyKey}`,
      ...(moved ? { periodMove: moved } : {}),
    };
    await trx('corrections')
      .where({ id: c.id })
      .update({ execution_result: JSON.stringify(result) });
    await trx('outbox')
      .insert({
        kind: 'writeback',
        channel: c.system,
        payload: JSON.stringify(writebackPayload(c, eventId)),
        outbox_key: result.outboxKey,
        state: 'pending',
        attempts: 0,
        next_attempt_at: at,
        created_at: at,
        updated_at: at,
      })
      .onConflict('outbox_key')
      .ignore();
    const exc = await loadException(trx, c.exceptionId);
    if (canTransition(exc.state, 'applied'))
      await transition(trx, {
        exceptionId: exc.id,
        to: 'applied',
        actor: input.actor,
        at,
        reason: `correction ${c.id} applied: ledger event ${eventId}${notice ? `; ${notice}` : ''}`,
      });
    await appendAudit(trx, {
      actor: input.actor,
      action: 'correction.applied',
      entityType: 'correction',
      entityId: String(c.id),
      rulesetVersion: c.rulesetVersion,
      before: { state: 'approved' },
      after: { state: 'applied', ...result, deltaQuantity: c.deltaQuantity, system: c.system },
      at,
    });
    return {
      applied: true,
      correction: { ...c, executionResult: result },
      eventId,
      ...(moved ? { moved, notice } : {}),
    };
  });
}

/**
 * The click path: approve, and apply when that approval completed the approvals needed — in ONE
 * transaction, so a crash or a failed apply never leaves a correction approved and unapplied
 * (the card shows no button in that state and nothing else would pick it up).
 */
export async function approveAndApply(
  db: Knex,
  roles: Roles,
  input: DecideInput,
): Promise<{ decision: Decision; applied?: Applied }> {
  return inTransaction(db, async (trx) => {
    const decision = await approveCorrection(trx, roles, input);
    if (decision.status !== 'approved') return { decision };
    const applied = await applyCorrection(trx, {
      correctionId: decision.correction.id,
      actor: input.actor.id,
      at: input.at,
    });
    return { decision, applied };
  });
}

/**
 * Finishes every correction left `approved` (approved by an older version in its own
 * transaction, or through `approveCorrection` alone): applied in the last approver's name.
 * The conditional UPDATE in applyCorrection makes each one apply exactly once, even with
 * several replicas sweeping at the same moment. Returns what this call applied.
 */
export async function applyApprovedCorrections(db: Knex, at?: string): Promise<Applied[]> {
  const rows: { id: number | string; approver1: string | null; approver2: string | null }[] =
    await db('corrections')
      .where({ state: 'approved' })
      .orderBy('id')
      .select('id', 'approver1', 'approver2');
  const applied: Applied[] = [];
  for (const r of rows) {
    const actor = r.approver2 ?? r.approver1 ?? 'tally';
    const outcome = await applyCorrection(db, { correctionId: Number(r.id), actor, at }).catch(
      (error: unknown) => {
        if (error instanceof CorrectionError && error.code === 'NOT_APPROVED') return null;
        throw error;
      },
    );
    if (outcome?.applied) applied.push(outcome);
  }
  return applied;
}

async function bookAdjustment(trx: Knex.Transaction, c: Correction, at: string): Promise<number> {
  const stock = { location: c.location, bucket: c.bucket };
  const up = c.deltaQuantity > 0;
  const rows = await trx('events')
    .insert({
      source: TALLY_SOURCE,
      source_event_id: c.idempotencyKey,
      type: 'adjustment',
      sku: c.sku,
      from_location: up ? null : stock.location,
      from_bucket: up ? null : stock.bucket,
      from_outside: up ? 'adjustment' : null,
      to_location: up ? stock.location : null,
      to_bucket: up ? stock.bucket : null,
      to_outside: up ? null : 'adjustment',
      quantity: Math.abs(c.deltaQuantity),
      occurred_at: at,
      recorded_at: at,
      reference: `correction:${c.id}`,
      reason_code: c.reasonCode,
      exception_id: c.exceptionId,
      correction_id: c.id,
    })
    .returning('id');
  return insertedId(rows);
}

function writebackPayload(c: Correction, eventId: number): Record<string, unknown> {
  return {
    correctionId: c.id,
    exceptionId: c.exceptionId,
    system: c.system,
    sku: c.sku,
    location: c.location,
    bucket: c.bucket,
    deltaQuantity: c.deltaQuantity,
    reasonCode: c.reasonCode,
    idempotencyKey: c.idempotencyKey,
    ledgerEventId: eventId,
  };
}
