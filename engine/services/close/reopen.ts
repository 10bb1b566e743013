/**
 * Reopening a closed period: only an approver for every location the close covers, never the
 * person who closed it (separation of duties), with a reason. Every attempt is audited, a refused
 * one too. The close's rows stay for the record until the period is closed again.
 */
import type { Knex } from 'knex';
import type { Roles } from '../../core/rules/types.ts';
import { nowIso } from '../../core/model/canonical.ts';
import { appendAudit } from '../audit/log.ts';
import { hasRole, type Actor } from '../corrections/roles.ts';
import { inTransaction } from '../store/db.ts';
import { CloseError } from './errors.ts';
import { loadRecord, type CloseRecord } from './store.ts';

export type ReopenInput = {
  period: string;
  actor: Actor;
  reason: string;
  rulesetVersion: string;
  at?: string;
};

export async function reopenPeriod(
  db: Knex,
  roles: Roles,
  input: ReopenInput,
): Promise<CloseRecord> {
  const at = input.at ?? nowIso();
  const record = await loadRecord(db, input.period);
  if (!record || record.state !== 'closed')
    throw new CloseError(
      'PERIOD_NOT_CLOSED',
      `period ${input.period} is not closed${record ? ` (reopened by ${record.reopenedBy} at ${record.reopenedAt})` : ''}; nothing to reopen`,
    );
  const refusal = await refusalOf(db, roles, input, record);
  if (refusal) {
    await inTransaction(db, (trx) =>
      appendAudit(trx, {
        actor: input.actor.id,
        action: 'period.reopen_denied',
        entityType: 'period',
        entityId: input.period,
        rulesetVersion: input.rulesetVersion,
        after: { code: refusal.code, reason: refusal.message },
        at,
      }),
    );
    throw refusal;
  }
  return inTransaction(db, async (trx) => {
    const changed = await trx('close_periods')
      .where({ period: input.period, state: 'closed' })
      .update({
        state: 'reopened',
        reopened_by: input.actor.id,
        reopened_at: at,
        reopen_reason: input.reason,
      });
    if (changed !== 1)
      throw new CloseError('PERIOD_NOT_CLOSED', `period ${input.period} was reopened meanwhile`);
    await appendAudit(trx, {
      actor: input.actor.id,
      action: 'period.reopened',
      entityType: 'period',
      entityId: input.period,
      rulesetVersion: input.rulesetVersion,
      before: {
        state: 'closed',
        closedBy: record.closedBy,
        closedAt: record.closedAt,
        auditHead: `${record.auditHead.seq}-${record.auditHead.hash}`,
        contentHash: record.contentHash,
      },
      after: { state: 'reopened', reason: input.reason },
      at,
    });
    return (await loadRecord(trx, input.period))!;
  });
}

async function refusalOf(
  db: Knex,
  roles: Roles,
  input: ReopenInput,
  record: CloseRecord,
): Promise<CloseError | undefined> {
  if (input.reason.trim() === '')
    return new CloseError('REASON_REQUIRED', 'say why the period is reopened (--reason)');
  if (input.actor.id === record.closedBy)
    return new CloseError(
      'SELF_REOPEN',
      `${input.actor.id} closed ${input.period} and cannot reopen it: another approver must`,
    );
  const locations = await locationsOf(db, input.period);
  const lacking = locations.filter((l) => !hasRole(roles, input.actor, l, 'approver'));
  if (locations.length === 0 && !hasRole(roles, input.actor, '', 'approver'))
    lacking.push('every location');
  if (lacking.length === 0) return undefined;
  return new CloseError(
    'NOT_APPROVER',
    `${input.actor.id} has no approver role for ${lacking.slice(0, 5).join(', ')}${lacking.length > 5 ? ` and ${lacking.length - 5} more` : ''}; reopening ${input.period} needs an approver for every location it covers`,
  );
}

/** Every location the period's close has a row for. */
async function locationsOf(db: Knex, period: string): Promise<string[]> {
  const seen = new Set<string>();
  for (const table of ['close_positions', 'close_exceptions', 'close_corrections'])
    for (const r of (await db(table).where({ period }).distinct('location')) as {
      location: string;
    }[])
      seen.add(r.location);
  return [...seen].sort();
}
