/**
 * Role lookups. A user holds the grants made to their user id and to any user group they are
 * in. A grant covers the locations it lists and everything below them (expanded at load), or
 * every location when it lists none. Roles rank viewer < resolver < approver: a higher role
 * includes the lower ones. Separation of duties (an approver may not approve their own
 * proposal) is the caller's rule, not a role.
 */
import type { Role, RoleGrant, Roles } from './types.ts';

const RANK: Record<Role, number> = { viewer: 1, resolver: 2, approver: 3 };

export function grantsFor(
  roles: Roles,
  userId: string,
  groupIds: readonly string[],
  location: string,
): RoleGrant[] {
  return roles.grants.filter(
    (g) =>
      (g.subjectKind === 'user' ? g.subject === userId : groupIds.includes(g.subject)) &&
      (g.locations.length === 0 || g.locations.includes(location)),
  );
}

export function hasRole(
  roles: Roles,
  userId: string,
  groupIds: readonly string[],
  location: string,
  role: Role,
): boolean {
  return grantsFor(roles, userId, groupIds, location).some((g) => RANK[g.role] >= RANK[role]);
}

/**
 * The largest correction value the user may approve at the location: the highest limit among
 * their approver grants there (Infinity when one has no limit); null when they are no approver.
 */
export function approvalLimit(
  roles: Roles,
  userId: string,
  groupIds: readonly string[],
  location: string,
): number | null {
  let limit: number | null = null;
  for (const g of grantsFor(roles, userId, groupIds, location)) {
    if (g.role !== 'approver') continue;
    const value = g.approvalLimitValue ?? Infinity;
    if (limit === null || value > limit) limit = value;
  }
  return limit;
}

/** Corrections above the threshold need two distinct approvers. */
export function approversNeeded(roles: Roles, valueAtRisk: number): 1 | 2 {
  return valueAtRisk > roles.twoApproverThresholdValue ? 2 : 1;
}
