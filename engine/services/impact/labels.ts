/** Routing labels of a decision, the same set the Owners tree matches on. */
import type { Outcome, Ruleset } from '../../core/rules/types.ts';
import { routeFor, type RouteResult } from '../../core/rules/routing.ts';

export type Decided = {
  sku: string;
  location: string;
  bucket: string;
  source: string;
  outcome: Outcome;
  /** Ranked causes (exceptions); the first one routes. */
  causes?: string[];
  facts?: { skuClass?: string; category?: string };
};

/** The cause or explanation code a decision carries ('MATCH' for a match). */
export function codeOf(d: Pick<Decided, 'outcome' | 'causes'>): string {
  if (d.outcome.type === 'exception') return d.causes?.[0] ?? d.outcome.rootCause;
  if (d.outcome.type === 'explained') return d.outcome.code;
  return 'MATCH';
}

export function routeLabels(d: Decided): Record<string, string> {
  return labelsOf(d, d.facts);
}

function labelsOf(
  d: Omit<Decided, 'facts'>,
  facts: Decided['facts'] | undefined,
): Record<string, string> {
  return {
    sku: d.sku,
    location: d.location,
    bucket: d.bucket,
    source: d.source,
    skuClass: facts?.skuClass ?? '',
    category: facts?.category ?? '',
    cause: codeOf(d),
    severity: d.outcome.type === 'exception' ? d.outcome.severity : '',
  };
}

/** The route an exception takes; null for matches and explained differences (nobody is told). */
export function routeOf(
  ruleset: Pick<Ruleset, 'routes' | 'receivers'>,
  d: Decided,
): RouteResult | null {
  if (d.outcome.type !== 'exception') return null;
  return routeFor(ruleset, routeLabels(d));
}

export function receiversOf(ruleset: Pick<Ruleset, 'routes' | 'receivers'>, d: Decided): string[] {
  return routeOf(ruleset, d)?.receivers.map((r) => r.name) ?? [];
}

/**
 * The receiver that owns a result: the first receiver the Owners tree picks from the same
 * labels explain, diff and the rule tests use. Explained differences are owned too (they are
 * stored with an owner), even though nobody is told about them.
 */
export function ownerOf(
  ruleset: Pick<Ruleset, 'routes' | 'receivers'>,
  k: Pick<Decided, 'sku' | 'location' | 'bucket' | 'source' | 'outcome' | 'causes'> & {
    evidence?: { facts: { skuClass: string; category: string } };
  },
): string {
  return routeFor(ruleset, labelsOf(k, k.evidence?.facts)).receivers[0]?.name ?? '';
}
