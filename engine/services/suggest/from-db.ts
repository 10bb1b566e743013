/** The suggest input of a stored exception: its evidence facts and its explanation code. */
import type { Knex } from 'knex';
import { InputError } from '../../core/errors.ts';
import { readEvidence } from '../../core/recon/stored-evidence.ts';
import type { Evidence } from '../../core/recon/types.ts';
import type { SuggestInput } from './suggest.ts';

export async function suggestInputFromException(
  db: Knex,
  id: number,
  code?: string,
): Promise<SuggestInput> {
  const row = (await db('exceptions').where({ id }).first()) as Record<string, unknown> | undefined;
  if (!row) throw new InputError('EXCEPTION_NOT_FOUND', `no exception with id ${id}`);
  const explanation = code ?? (row.explanation as string | null) ?? undefined;
  if (!explanation) {
    throw new InputError(
      'NOT_EXPLAINED',
      `exception ${id} has no explanation code yet; explain it first or pass --code`,
    );
  }
  if (!/^[A-Z][A-Z0-9_]*$/.test(explanation)) {
    throw new InputError(
      'BAD_CODE',
      `explanation code "${explanation}" must look like KNOWN_COUNT_LOSS`,
    );
  }
  const evidence = readEvidence<Partial<Evidence>>(String(row.evidence));
  if (!evidence.facts)
    throw new InputError('NO_FACTS', `exception ${id} has no facts in its evidence`);
  const reason = await lastReason(db, id);
  return {
    facts: evidence.facts,
    code: explanation,
    decidedBy: evidence.decidedBy?.rule ?? null,
    reason,
    exceptionId: id,
  };
}

async function lastReason(db: Knex, id: number): Promise<string | undefined> {
  const h = (await db('exception_history')
    .where({ exception_id: id, to_state: 'explained' })
    .orderBy('id', 'desc')
    .first('reason')) as { reason?: string } | undefined;
  return h?.reason || undefined;
}
