/** Compiles Owners (receivers, route tree) and Roles documents. */
import type { Matcher, Receiver, Role, RoleGrant, Roles, RouteNode } from './types.ts';
import type { Loaded, RouteDoc } from './docs.ts';
import { parseMatcher } from './matchers.ts';
import { declaredAt } from './declared-at.ts';
import { descendantsOf } from './locations.ts';

export function compileReceivers(at: Loaded<'Owners'>): Map<string, Receiver> {
  return new Map(
    at.doc.receivers.map((r, i) => [
      r.name,
      {
        ...declaredAt(at, ['receivers', i]),
        name: r.name,
        slackChannel: r.slackChannel,
        ...(r.ownerGroup !== undefined ? { ownerGroup: r.ownerGroup } : {}),
        ...(r.digestChannel !== undefined ? { digestChannel: r.digestChannel } : {}),
      },
    ]),
  );
}

/** Children without a receiver inherit their parent's, resolved here once. */
export function compileRoutes(at: Loaded<'Owners'>): RouteNode {
  const build = (
    r: RouteDoc,
    segments: (string | number)[],
    id: string,
    inherited: string,
  ): RouteNode => {
    const receiver = r.receiver ?? inherited;
    return {
      ...declaredAt(at, segments),
      id,
      receiver,
      matchers: (r.matchers ?? []).map((text) => parseMatcher(text) as Matcher),
      continue: r.continue ?? false,
      routes: (r.routes ?? []).map((child, i) =>
        build(child, [...segments, 'routes', i], `${id}/${i}`, receiver),
      ),
    };
  };
  return build(at.doc.route, ['route'], 'root', at.doc.route.receiver ?? '');
}

/** Grants on a location cover everything below it; expanded here so lookups are a set test. */
export function compileRoles(
  at: Loaded<'Roles'>,
  childrenOf: ReadonlyMap<string, readonly string[]>,
): Roles {
  const grants: RoleGrant[] = at.doc.grants.map((g, i) => ({
    ...declaredAt(at, ['grants', i]),
    subject: g.subject,
    subjectKind: g.subject.startsWith('S') ? 'group' : 'user',
    role: g.role as Role,
    locations: [...new Set((g.locations ?? []).flatMap((l) => descendantsOf(l, childrenOf)))],
    ...(g.approvalLimitValue !== undefined ? { approvalLimitValue: g.approvalLimitValue } : {}),
  }));
  return { grants, twoApproverThresholdValue: at.doc.twoApproverThresholdValue };
}
