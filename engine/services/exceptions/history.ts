/**
 * Exception history rows share the exception's evidence instead of copying it when a run
 * writes them (`evidence_of_exception` = 1, migration 013): the evidence is stored once while
 * both say the same. Anything that changes an exception's evidence calls `keepHistoryEvidence`
 * first, and readers take a row's evidence from `historyOf`.
 */
import type { Knex } from 'knex';

export type HistoryEntry = {
  id: number;
  exceptionId: number;
  from: string | null;
  to: string;
  actor: string;
  at: string;
  reason: string;
  runId: string | null;
  /** The evidence seen at the transition, as stored (JSON text), or null. */
  evidence: string | null;
};

/** Ids per statement: well under SQLite's and PostgreSQL's limits on bound parameters. */
const CHUNK = 500;

/**
 * Gives every history row sharing these exceptions' evidence its own copy, so the row keeps the
 * evidence it was written with once the exception's changes. Run in the transaction that
 * changes it, before the change.
 */
export async function keepHistoryEvidence(
  trx: Knex.Transaction,
  exceptionIds: readonly number[],
): Promise<void> {
  for (let at = 0; at < exceptionIds.length; at += CHUNK) {
    const chunk = exceptionIds.slice(at, at + CHUNK);
    await trx.raw(
      'UPDATE exception_history SET evidence = (SELECT x.evidence FROM exceptions x ' +
        'WHERE x.id = exception_history.exception_id), evidence_of_exception = 0 ' +
        `WHERE evidence_of_exception = 1 AND exception_id IN (${chunk.map(() => '?').join(', ')})`,
      chunk,
    );
  }
}

/** One exception's history in order, each row with the evidence it was written with. */
export async function historyOf(db: Knex, exceptionId: number): Promise<HistoryEntry[]> {
  const rows = (await db('exception_history as h')
    .join('exceptions as x', 'x.id', 'h.exception_id')
    .where('h.exception_id', exceptionId)
    .orderBy('h.id')
    .select(
      'h.id',
      'h.from_state',
      'h.to_state',
      'h.actor',
      'h.at',
      'h.reason',
      'h.run_id',
      'h.evidence',
      'h.evidence_of_exception',
      { exception_evidence: 'x.evidence' },
    )) as Record<string, unknown>[];
  return rows.map((r) => ({
    id: Number(r.id),
    exceptionId,
    from: (r.from_state as string | null) ?? null,
    to: String(r.to_state),
    actor: String(r.actor),
    at: String(r.at),
    reason: String(r.reason),
    runId: (r.run_id as string | null) ?? null,
    evidence: ((Number(r.evidence_of_exception) === 1 ? r.exception_evidence : r.evidence) ??
      null) as string | null,
  }));
}
