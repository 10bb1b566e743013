/**
 * Role checks for corrections over the rules package's role lookups (engine/core/rules/roles.ts), so
 * there is one meaning of a grant: it covers the locations it lists and every location below
 * them (site → warehouse → zone → bin, expanded when the ruleset is loaded), or every location
 * when it lists none; roles rise viewer < resolver < approver. Separation of duties (never the
 * proposer) is a corrections rule, checked here and again in the database update.
 */
import { TallyError } from '../../core/errors.ts';
import {
  approvalLimitMinor,
  currencyOfRoles,
  hasRole as rulesHasRole,
} from '../../core/rules/roles.ts';
import { formatMoney, withinLimit } from '../../core/model/money.ts';
import type { Role, Roles } from '../../core/rules/types.ts';

export type Actor = { id: string; groups?: string[] };

export type CorrectionCode =
  | 'NOT_RESOLVER'
  | 'NOT_APPROVER'
  | 'SELF_APPROVAL'
  | 'OVER_LIMIT'
  | 'NOT_APPROVED'
  | 'IDEMPOTENCY_CONFLICT'
  | 'UNKNOWN_REASON_CODE'
  | 'CORRECTION_NOT_FOUND'
  | 'INVALID_DELTA'
  | 'INVALID_UNIT_COST'
  | 'INVALID_UNIT_COST'
  | 'EXCEPTION_CLOSED';

export class CorrectionError extends TallyError {
  constructor(code: CorrectionCode, message: string) {
    super(code, message);
  }
}

/** The rules package's hasRole for an actor (a Slack user and the user groups they are in). */
export function hasRole(roles: Roles, actor: Actor, location: string, role: Role): boolean {
  return rulesHasRole(roles, actor.id, actor.groups ?? [], location, role);
}

export function assertCanPropose(roles: Roles, actor: Actor, location: string): void {
  if (hasRole(roles, actor, location, 'resolver')) return;
  throw new CorrectionError('NOT_RESOLVER', `${actor.id} has no resolver role for ${location}`);
}

/** Separation of duties: whoever proposed a correction never decides on it. */
export function assertNotProposer(actor: Actor, c: { id: number; proposer: string }): void {
  if (actor.id !== c.proposer) return;
  throw new CorrectionError(
    'SELF_APPROVAL',
    `${actor.id} proposed correction ${c.id} and cannot decide on it`,
  );
}

/** The approver's limit must cover the correction's value (both in minor units, exact). */
export function assertCanApprove(
  roles: Roles,
  actor: Actor,
  location: string,
  valueMinor: number,
): void {
  const limit = approvalLimitMinor(roles, actor.id, actor.groups ?? [], location);
  if (limit === null)
    throw new CorrectionError('NOT_APPROVER', `${actor.id} has no approver role for ${location}`);
  if (!withinLimit(valueMinor, limit)) {
    const currency = currencyOfRoles(roles);
    throw new CorrectionError(
      'OVER_LIMIT',
      `correction value ${formatMoney(valueMinor, currency)} exceeds ${actor.id}'s approval limit ${formatMoney(limit, currency)} for ${location}`,
    );
  }
}
