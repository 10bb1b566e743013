/**
 * Who is clicking: the Slack user id plus the user groups (from the Roles grants) they belong
 * to, looked up with usergroups.users.list and cached, so role checks see groups too.
 */
import type { WebClient } from '@slack/web-api';
import type { Roles } from '../engine/core/rules/types.ts';
import type { Actor } from '../engine/services/corrections/index.ts';

export type ActorResolver = { resolve(userId: string): Promise<Actor>; clear(): void };

export function actorResolver(client: WebClient, roles: Roles, ttlMs = 5 * 60_000): ActorResolver {
  const cache = new Map<string, { users: Set<string>; atMs: number }>();
  const groupIds = [
    ...new Set(roles.grants.filter((g) => g.subjectKind === 'group').map((g) => g.subject)),
  ];

  async function members(group: string): Promise<Set<string>> {
    const hit = cache.get(group);
    if (hit && Date.now() - hit.atMs < ttlMs) return hit.users;
    try {
      const res = await client.usergroups.users.list({ usergroup: group });
      const users = new Set(res.users ?? []);
      cache.set(group, { users, atMs: Date.now() });
      return users;
    } catch {
      // a group Slack cannot list grants nothing; a stale answer is better than none
      return hit?.users ?? new Set();
    }
  }

  return {
    async resolve(userId) {
      const groups: string[] = [];
      for (const group of groupIds) if ((await members(group)).has(userId)) groups.push(group);
      return { id: userId, groups };
    },
    clear() {
      cache.clear();
    },
  };
}
