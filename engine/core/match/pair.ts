/**
 * Pairing events across systems whose references differ. Two ways, tried after the exact
 * (reference, quantity) pairing: a per-source-pair crosswalk that rewrites one system's
 * reference into the other's (patterns, amendment suffixes such as ERPNext's "…-1"), and, where
 * nothing links two events, proximity — same sku, location, type and quantity, occurred within
 * the posting lag of each other.
 *
 * `pairByProximity` is one-to-one and deterministic whatever the input order: every admissible
 * pair is ranked by time gap, then by the events' own (source, id), and taken greedily while
 * both ends are free. It is exported for any check that needs "the same movement under another
 * reference" (e.g. duplicates inside one source).
 */

import type { Crosswalk } from '../rules/types.ts';

/** One event as the pairing sees it. `id` must be unique within `source`. */
export type Candidate = {
  source: number;
  id: string;
  /** Anything that must be equal for two events to pair (sku, location, type, quantity). */
  group: string;
  occurredMs: number;
};

export type PairMethod = 'reference' | 'crosswalk' | 'amendment' | 'counterpart' | 'proximity';

export type Pair<T extends Candidate> = { a: T; b: T; gapMs: number };

const byIdentity = (x: Candidate, y: Candidate) =>
  x.source - y.source || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);

/**
 * Pairs events of `as` with events of `bs` of the same group whose times differ by at most
 * `maxGapMs(a, b)`; each event is used at most once. Smallest gap first; ties by (source, id)
 * of `a`, then of `b`, so the result depends only on the events, never on their order.
 */
export function pairByProximity<T extends Candidate>(
  as: readonly T[],
  bs: readonly T[],
  maxGapMs: (a: T, b: T) => number,
): Pair<T>[] {
  const byGroup = new Map<string, T[]>();
  for (const b of bs) byGroup.set(b.group, [...(byGroup.get(b.group) ?? []), b]);
  const admissible: Pair<T>[] = [];
  for (const a of as) {
    for (const b of byGroup.get(a.group) ?? []) {
      if (a === b) continue;
      const gapMs = Math.abs(a.occurredMs - b.occurredMs);
      if (gapMs <= maxGapMs(a, b)) admissible.push({ a, b, gapMs });
    }
  }
  admissible.sort((x, y) => x.gapMs - y.gapMs || byIdentity(x.a, y.a) || byIdentity(x.b, y.b));
  const used = new Set<T>();
  const out: Pair<T>[] = [];
  for (const p of admissible) {
    if (used.has(p.a) || used.has(p.b)) continue;
    used.add(p.a);
    used.add(p.b);
    out.push(p);
  }
  return out;
}

const AMENDMENT = /-\d+$/;

/**
 * How two references of `sourceA` and `sourceB` are linked under `crosswalk`, or null.
 * Patterns rewrite the crosswalk's first source's reference; an amendment suffix on either side
 * is dropped.
 */
export function linkOf(
  crosswalk: Crosswalk,
  sourceA: string,
  refA: string,
  refB: string,
): 'crosswalk' | 'amendment' | null {
  const [first, second] = sourceA === crosswalk.sources[0] ? [refA, refB] : [refB, refA];
  for (const p of crosswalk.patterns) {
    if (p.from.test(first) && p.from.replace(first, p.to) === second) return 'crosswalk';
  }
  if (crosswalk.amendments) {
    const a = first.replace(AMENDMENT, '');
    const b = second.replace(AMENDMENT, '');
    if ((a === second || b === first || a === b) && first !== second) return 'amendment';
  }
  return null;
}

/**
 * Whether `counterpart` (one event's record of the other system's reference) names
 * `reference`: the whole text, or one of its words (a remark "Against CC-17, recount").
 */
export function namesReference(counterpart: string, reference: string): boolean {
  if (counterpart === '' || reference === '') return false;
  if (counterpart === reference) return true;
  return counterpart.split(/[\s,;:()[\]]+/).includes(reference);
}
