/**
 * Role lookups. A user holds the grants made to their user id and to any user group they are
 * in. A grant covers the locations it lists and everything below them (expanded at load), or
 * every location when it lists none. Roles rank viewer < resolver < approver: a higher role
 * includes the lower ones. Separation of duties (an approver may not approve their own
 * proposal) is the caller's rule, not a role.
 */
import type { Role, RoleGrant, Roles } from './types.ts';
import { type Currency, DEFAULT_CURRENCY, minorOfNumber } from '../model/money.ts';

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
 * Whether the user holds the role (or a higher one) at some location: a grant that names
 * locations counts as much as one that names none. For what is not about one location, such as
 * starting a run.
 */
export function hasRoleSomewhere(
  roles: Roles,
  userId: string,
  groupIds: readonly string[],
  role: Role,
): boolean {
  return roles.grants.some(
    (g) =>
      (g.subjectKind === 'user' ? g.subject === userId : groupIds.includes(g.subject)) &&
      RANK[g.role] >= RANK[role],
  );
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

/** The currency limits and values are in: units.yaml `currency`, or USD. */
export function currencyOfRoles(roles: Roles): Currency {
  return roles.currency ?? DEFAULT_CURRENCY;
}

/** approvalLimit in the currency's minor units, exact (Infinity when unlimited). */
export function approvalLimitMinor(
  roles: Roles,
  userId: string,
  groupIds: readonly string[],
  location: string,
): number | null {
  const limit = approvalLimit(roles, userId, groupIds, location);
  return limit === null ? null : minorOfNumber(limit, currencyOfRoles(roles));
}

/** Corrections above the threshold need two distinct approvers; the value in minor units. */
export function approversNeeded(roles: Roles, valueMinor: number): 1 | 2 {
  const threshold = minorOfNumber(roles.twoApproverThresholdValue, currencyOfRoles(roles));
  return valueMinor > threshold ? 2 : 1;
}
