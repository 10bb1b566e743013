/**
 * Warnings (not errors: the rules still load) where the routes and the roles disagree:
 *
 * - ROUTE_ROLE: a route sends exceptions at a location to a receiver whose team (its
 *   `ownerGroup`) holds no resolver or approver grant there — the owners are told but cannot
 *   assign, explain or propose a correction from Slack.
 * - ROUTE_SOURCE_ROLE: a route that names both a source and a cause sends that cause from
 *   that source at a location where the source's role there rules the cause out: the
 *   classification rules raise it only for the location's system of record
 *   (`isSystemOfRecord = true`) or only for the other sources (`false`).
 *
 * The analysis is per route over the compare-level locations, the sources covering each and
 * the exception causes the classification rules can raise; a route's scope is what its own
 * matchers and its ancestors' allow on the labels location, source and cause.
 */
import type { TopLevelCondition } from 'json-rules-engine';
import type { Problem } from './problems.ts';
import { matches } from './matchers.ts';
import type { Matcher, RouteNode, Ruleset } from './types.ts';

type Side = 'book' | 'other';
/** What a route can be reached with: each label's values its matchers (and its ancestors') allow. */
type Reach = { locations: string[]; sources: Set<string>; causes: string[] };
type World = {
  locations: string[];
  sources: string[];
  causes: string[];
  coveredBy: Map<string, Set<string>>;
  /** Per cause, the source roles every rule raising it requires (`sourceRole`); absent: any. */
  roles: Map<string, Set<string>>;
};

const RANK = { viewer: 1, resolver: 2, approver: 3 } as const;

export function routeWarnings(ruleset: Ruleset): Problem[] {
  const world = worldOf(ruleset);
  const sides = causeSides(ruleset);
  const out: Problem[] = [];
  const visit = (node: RouteNode, inherited: Matcher[]) => {
    const matchers = [...inherited, ...node.matchers];
    const allow = (label: string, value: string) =>
      matchers.every((m) => m.label !== label || matches(m, { [label]: value }));
    const sources = new Set(world.sources.filter((s) => allow('source', s)));
    const causes = world.causes.filter((c) => allow('cause', c));
    // a location sends nothing where no allowed source that can raise an allowed cause reports
    const raises = (source: string) =>
      causes.some((c) => world.roles.get(c)?.has(ruleset.sources.get(source)!.role) ?? true);
    const reach: Reach = {
      locations: world.locations.filter(
        (l) =>
          allow('location', l) &&
          [...(world.coveredBy.get(l) ?? [])].some((s) => sources.has(s) && raises(s)),
      ),
      sources,
      causes,
    };
    if (reach.causes.length > 0) {
      out.push(...roleWarnings(ruleset, node, reach));
      out.push(...sourceWarnings(ruleset, node, matchers, reach, world, sides));
    }
    for (const child of node.routes) visit(child, matchers);
  };
  visit(ruleset.routes, []);
  return out;
}

function worldOf(ruleset: Ruleset): World {
  const level = ruleset.mappings.compareLevel;
  const locations = [...ruleset.mappings.locations.values()]
    .filter((l) => l.level === level)
    .map((l) => l.id);
  const coveredBy = new Map<string, Set<string>>();
  for (const location of locations) {
    const covering = [...ruleset.sources.values()].filter((s) =>
      s.locations.some((l) => covers(ruleset, l, location)),
    );
    coveredBy.set(location, new Set(covering.map((s) => s.id)));
  }
  return {
    locations,
    sources: [...ruleset.sources.keys()],
    causes: exceptionCauses(ruleset),
    coveredBy,
    roles: causeRoles(ruleset),
  };
}

/** A source listing `listed` reports at compare location `location`: the same, above or below. */
function covers(ruleset: Ruleset, listed: string, location: string): boolean {
  return (
    ancestry(ruleset, listed).includes(location) || ancestry(ruleset, location).includes(listed)
  );
}

/** A location and its parents, up to the root. */
function ancestry(ruleset: Ruleset, id: string): string[] {
  const out: string[] = [];
  for (let at: string | undefined = id; at !== undefined && !out.includes(at);) {
    out.push(at);
    at = ruleset.mappings.locations.get(at)?.parent;
  }
  return out;
}

function exceptionCauses(ruleset: Ruleset): string[] {
  const out = new Set<string>();
  const { rules, fallback } = ruleset.classification;
  for (const r of rules) if (r.outcome.type === 'exception') out.add(r.outcome.rootCause);
  if (fallback.type === 'exception') out.add(fallback.rootCause);
  return [...out];
}

/**
 * Per cause, the one side of the book every rule raising it requires (a top-level
 * `isSystemOfRecord` condition); a cause some rule raises without one has no entry.
 */
function causeSides(ruleset: Ruleset): Map<string, { side: Side; rules: string[] }> {
  const seen = new Map<string, { sides: Set<Side | 'any'>; rules: string[] }>();
  for (const r of ruleset.classification.rules) {
    if (r.outcome.type !== 'exception') continue;
    const entry = seen.get(r.outcome.rootCause) ?? { sides: new Set(), rules: [] };
    entry.sides.add(sideOf(r.conditions));
    entry.rules.push(`${r.name} (${r.file}:${r.line})`);
    seen.set(r.outcome.rootCause, entry);
  }
  const out = new Map<string, { side: Side; rules: string[] }>();
  for (const [cause, { sides, rules }] of seen) {
    const [only] = sides;
    if (sides.size === 1 && only !== 'any' && only !== undefined)
      out.set(cause, { side: only, rules });
  }
  return out;
}

function causeRoles(ruleset: Ruleset): Map<string, Set<string>> {
  const seen = new Map<string, (Set<string> | undefined)[]>();
  for (const r of ruleset.classification.rules) {
    if (r.outcome.type !== 'exception') continue;
    seen.set(r.outcome.rootCause, [
      ...(seen.get(r.outcome.rootCause) ?? []),
      rolesOf(r.conditions),
    ]);
  }
  const out = new Map<string, Set<string>>();
  for (const [cause, sets] of seen) {
    if (sets.some((x) => x === undefined)) continue;
    out.set(cause, new Set(sets.flatMap((x) => [...x!])));
  }
  return out;
}

/** The source roles a rule's top-level `all` requires (`sourceRole` equal or in), if any. */
function rolesOf(conditions: TopLevelCondition): Set<string> | undefined {
  if (!('all' in conditions)) return undefined;
  for (const c of conditions.all) {
    if (!('fact' in c) || c.fact !== 'sourceRole') continue;
    if (c.operator === 'equal' && typeof c.value === 'string') return new Set([c.value]);
    if (c.operator === 'in' && Array.isArray(c.value)) return new Set(c.value.map(String));
  }
  return undefined;
}

function sideOf(conditions: TopLevelCondition): Side | 'any' {
  if (!('all' in conditions)) return 'any';
  for (const c of conditions.all) {
    if (!('fact' in c) || c.fact !== 'isSystemOfRecord' || c.operator !== 'equal') continue;
    if (c.value === true) return 'book';
    if (c.value === false) return 'other';
  }
  return 'any';
}

function roleWarnings(ruleset: Ruleset, node: RouteNode, reach: Reach): Problem[] {
  const receiver = ruleset.receivers.get(node.receiver);
  if (!receiver?.ownerGroup) return [];
  const group = receiver.ownerGroup;
  const locations = reach.locations;
  const rankAt = (location: string) =>
    Math.max(
      0,
      ...ruleset.roles.grants
        .filter((g) => g.subject === group)
        .filter((g) => g.locations.length === 0 || g.locations.includes(location))
        .map((g) => RANK[g.role]),
    );
  const short = locations.filter((l) => rankAt(l) < RANK.resolver);
  if (short.length === 0) return [];
  const held = short.some((l) => rankAt(l) === RANK.viewer) ? 'only viewer' : 'no role';
  return [
    warning(
      node,
      'ROUTE_ROLE',
      `sends exceptions at ${list(short)} to ${receiver.name}, whose team ${group} holds ${held} there: grant it resolver (or approver) in the Roles rules for those locations, or route them elsewhere`,
    ),
  ];
}

function sourceWarnings(
  ruleset: Ruleset,
  node: RouteNode,
  matchers: Matcher[],
  reach: Reach,
  world: World,
  sides: Map<string, { side: Side; rules: string[] }>,
): Problem[] {
  const pins = (label: string) =>
    matchers.some((m) => m.label === label && m.op !== '!=' && m.op !== '!~');
  if (!pins('source') || !pins('cause')) return [];
  const books = ruleset.books?.get('physical_movements');
  const out: Problem[] = [];
  for (const cause of reach.causes) {
    const rule = sides.get(cause);
    if (!rule) continue;
    for (const source of reach.sources) {
      const locations = reach.locations.filter(
        (l) =>
          world.coveredBy.get(l)?.has(source) === true &&
          (books?.get(l) === source) !== (rule.side === 'book'),
      );
      if (locations.length === 0) continue;
      const role =
        rule.side === 'book'
          ? `is not the system of record for physical_movements (${locations.map((l) => `${l}: ${books?.get(l) ?? 'none'}`).join(', ')})`
          : 'is the system of record for physical_movements';
      out.push(
        warning(
          node,
          'ROUTE_SOURCE_ROLE',
          `routes ${cause} from ${source} at ${list(locations)}, where ${source} ${role}; the classification rules raise ${cause} only for ${rule.side === 'book' ? "a location's system of record" : 'sources other than the system of record'} (${rule.rules.join(', ')})`,
        ),
      );
    }
  }
  return out;
}

function list(values: string[], max = 8): string {
  const shown = values.slice(0, max).join(', ');
  return values.length > max ? `${shown} … (${values.length} locations)` : shown;
}

/** The route's YAML position; its id root/0/1 is the path route.routes[0].routes[1]. */
function warning(node: RouteNode, code: Problem['code'], reason: string): Problem {
  const steps = node.id.split('/').slice(1);
  const path = ['/route', ...steps.map((s) => `/routes/${s}`)].join('');
  const readable = ['route', ...steps.map((s) => `routes[${s}]`)].join('.');
  return {
    file: node.file,
    line: node.line,
    column: node.column ?? 1,
    path,
    message: `Owners ${readable}: ${reason}`,
    code,
  };
}
