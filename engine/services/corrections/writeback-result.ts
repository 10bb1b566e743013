/**
 * A write-back's result goes back where people look: the correction's execution result, the
 * exception (a stale or failed write-back returns it to a person), the ledger (the adjustment
 * booked at approval is reversed when the system of record did not take it, so a new proposal
 * is not booked twice) and the audit chain. One transaction, guarded by the outbox row: only
 * the worker still holding the claim records, so a result is recorded once.
 */
import type { Knex } from 'knex';
import { appendAudit } from '../audit/log.ts';
import { canTransition } from '../exceptions/states.ts';
import { loadException, transition } from '../exceptions/transition.ts';
import { TALLY_SOURCE } from './apply.ts';
import { REVERSED_WRITEBACK_STATUSES } from './effective.ts';

/** What the system of record answered (the connector's WriteBackResult), and where. */
export type WritebackOutcome = (
  | { status: 'applied'; externalId?: string }
  | { status: 'stale'; currentQuantity: number }
  | { status: 'failed'; reason: string }
  | { status: 'exported'; path: string }
) & {
  source: string;
  /** The quantity the approver saw, when known (stale results compare against it). */
  expectedCurrent?: number;
};

/** The outbox row a worker claimed; `claimedAt` is the stamp its claim wrote. */
export type WritebackClaim = { rowId: number; claimedAt: string };

/** The correction a write-back was for (the outbox payload carries these). */
export type WritebackTarget = { correctionId: number; exceptionId: number; idempotencyKey: string };

/** Records the result unless the claim was lost; returns whether it was recorded. */
export async function recordWritebackResult(
  db: Knex,
  input: {
    claim: WritebackClaim;
    target: WritebackTarget;
    outcome: WritebackOutcome;
    at: string;
  },
): Promise<boolean> {
  const { claim, target: p, outcome, at } = input;
  return db.transaction(async (trx) => {
    const won = await trx('outbox')
      .where({ id: claim.rowId, state: 'sending', updated_at: claim.claimedAt })
      .update({
        state: outcome.status === 'failed' ? 'failed' : 'sent',
        external_ts: externalRef(outcome),
        result: JSON.stringify(outcome),
        updated_at: at,
      });
    if (won !== 1) return false;
    const row = (await trx('corrections')
      .where({ id: p.correctionId })
      .first('execution_result', 'ruleset_version')) as
      { execution_result: string | null; ruleset_version: string } | undefined;
    const previous = row?.execution_result ? (JSON.parse(row.execution_result) as object) : {};
    await trx('corrections')
      .where({ id: p.correctionId })
      .update({
        execution_result: JSON.stringify({ ...previous, writeback: outcome.status, outcome, at }),
        writeback_status: outcome.status,
      });
    if ((REVERSED_WRITEBACK_STATUSES as readonly string[]).includes(outcome.status)) {
      await reverseAdjustment(trx, p, at);
      await backToPeople(trx, p, outcome, at);
    }
    await appendAudit(trx, {
      actor: TALLY_SOURCE,
      action: `correction.writeback.${outcome.status}`,
      entityType: 'correction',
      entityId: String(p.correctionId),
      rulesetVersion: row?.ruleset_version ?? '',
      before: { writeback: 'queued' },
      after: { ...outcome, idempotencyKey: p.idempotencyKey },
      at,
    });
    return true;
  });
}

/** external_ts holds 100 characters; a file path lives in `result` only. */
function externalRef(o: WritebackOutcome): string | null {
  if (o.status === 'applied') return (o.externalId ?? 'applied').slice(0, 100);
  return null;
}

export function describeWriteback(p: { correctionId: number }, o: WritebackOutcome): string {
  switch (o.status) {
    case 'applied':
      return `correction ${p.correctionId} applied in ${o.source}${o.externalId ? ` (${o.externalId})` : ''}`;
    case 'exported':
      return `correction ${p.correctionId} exported for ${o.source}: ${o.path}`;
    case 'stale':
      return (
        `correction ${p.correctionId} not applied: ${o.source} now holds ${o.currentQuantity}` +
        ` (approved against ${o.expectedCurrent ?? 'unknown'}); decide again`
      );
    case 'failed':
      return `correction ${p.correctionId} not applied in ${o.source}: ${o.reason}`;
  }
}

async function backToPeople(
  trx: Knex.Transaction,
  p: WritebackTarget,
  o: WritebackOutcome,
  at: string,
): Promise<void> {
  const exc = await loadException(trx, p.exceptionId);
  if (!canTransition(exc.state, 'assigned')) return;
  await transition(trx, {
    exceptionId: exc.id,
    to: 'assigned',
    actor: TALLY_SOURCE,
    at,
    reason: describeWriteback(p, o),
  });
}

/** The opposite entry of the adjustment booked at approval, under its own idempotent id. */
async function reverseAdjustment(
  trx: Knex.Transaction,
  p: WritebackTarget,
  at: string,
): Promise<void> {
  const original = (await trx('events')
    .where({ source: TALLY_SOURCE, source_event_id: p.idempotencyKey })
    .first()) as Record<string, unknown> | undefined;
  if (!original) return;
  await trx('events')
    .insert({
      source: TALLY_SOURCE,
      source_event_id: `${p.idempotencyKey}:reversal`,
      type: 'adjustment',
      sku: original.sku,
      from_location: original.to_location,
      from_bucket: original.to_bucket,
      from_outside: original.to_outside,
      to_location: original.from_location,
      to_bucket: original.from_bucket,
      to_outside: original.from_outside,
      quantity: original.quantity,
      occurred_at: at,
      recorded_at: at,
      reference: `correction:${p.correctionId}:reversal`,
      reason_code: original.reason_code,
      exception_id: p.exceptionId,
      correction_id: p.correctionId,
    })
    .onConflict(['source', 'source_event_id'])
    .ignore();
}
