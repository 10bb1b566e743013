/**
 * Role checks for corrections, read from the compiled Roles. Kept private to corrections until
 * engine/rules offers shared helpers. A grant covers a location when it lists it or lists none;
 * an approver may also propose (roles rise viewer < resolver < approver).
 */
import { TallyError } from '../errors.ts';
import type { Role, RoleGrant, Roles } from '../rules/types.ts';

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
  | 'EXCEPTION_CLOSED';

export class CorrectionError extends TallyError {
  constructor(code: CorrectionCode, message: string) {
    super(code, message);
  }
}

const RANK: Record<Role, number> = { viewer: 0, resolver: 1, approver: 2 };

export function grantsFor(roles: Roles, actor: Actor, location: string): RoleGrant[] {
  const groups = new Set(actor.groups ?? []);
  return roles.grants.filter((g) => {
    const subject = g.subjectKind === 'user' ? g.subject === actor.id : groups.has(g.subject);
    return subject && (g.locations.length === 0 || g.locations.includes(location));
  });
}

export function hasRole(roles: Roles, actor: Actor, location: string, role: Role): boolean {
  return grantsFor(roles, actor, location).some((g) => RANK[g.role] >= RANK[role]);
}

/** Highest limit among the actor's approver grants for the location; undefined = unlimited. */
export function approvalLimit(
  roles: Roles,
  actor: Actor,
  location: string,
): number | undefined | null {
  const grants = grantsFor(roles, actor, location).filter((g) => g.role === 'approver');
  if (grants.length === 0) return null;
  if (grants.some((g) => g.approvalLimitValue === undefined)) return undefined;
  return Math.max(...grants.map((g) => g.approvalLimitValue ?? 0));
}

export function assertCanPropose(roles: Roles, actor: Actor, location: string): void {
  if (hasRole(roles, actor, location, 'resolver')) return;
  throw new CorrectionError('NOT_RESOLVER', `${actor.id} has no resolver role for ${location}`);
}

export function assertCanApprove(
  roles: Roles,
  actor: Actor,
  location: string,
  value: number,
  proposer: string,
): void {
  if (actor.id === proposer)
    throw new CorrectionError(
      'SELF_APPROVAL',
      `${actor.id} proposed this correction and cannot approve it`,
    );
  const limit = approvalLimit(roles, actor, location);
  if (limit === null)
    throw new CorrectionError('NOT_APPROVER', `${actor.id} has no approver role for ${location}`);
  if (limit !== undefined && value > limit) {
    throw new CorrectionError(
      'OVER_LIMIT',
      `correction value ${value} exceeds ${actor.id}'s approval limit ${limit} for ${location}`,
    );
  }
}
