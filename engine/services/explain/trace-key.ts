/**
 * Traces the decision for one sku × location (optionally one bucket and source) as a run makes
 * it, keeping what a run drops: rules deciding `match` and every rule's trace (not only the
 * fired ones). Only public engine entry points are used (createIntake, reconcile,
 * createClassifier): the ruleset is cloned with every `match` outcome replaced by a sentinel
 * explanation, so the run lists those comparisons with their facts; the sentinel is turned
 * back into `match` here. Comparisons that are equal with nothing pending never reach the
 * rules in a run, and are reported as such.
 */
import { createIntake, type Intake } from '../../core/normalize/intake.ts';
import { reconcile } from '../../core/recon/reconcile.ts';
import { createClassifier } from '../../core/classify/classifier.ts';
import { BUCKETS, type Bucket } from '../../core/model/types.ts';
import { rollUp } from '../../core/normalize/locations.ts';
import type { ClassificationRule, Outcome, Ruleset } from '../../core/rules/types.ts';
import type { Facts } from '../../core/facts.ts';
import type { Evidence, KeyResult, RuleTrace } from '../../core/recon/types.ts';
import type { RouteResult } from '../../core/rules/routing.ts';
import { routeOf } from '../impact/labels.ts';

const MATCH_SENTINEL = '__TALLY_TRACE_MATCH__';

export type TraceQuery = {
  asOf: string;
  sku: string;
  location: string;
  bucket?: Bucket;
  source?: string;
};

export type KeyTrace = {
  sku: string;
  location: string;
  bucket: Bucket;
  source: string;
  /** false: equal with nothing pending, so the run matched it without the rules. */
  classified: boolean;
  outcome: Outcome;
  causes: string[];
  decidedBy: ClassificationRule | null;
  /** Absent when the comparison was not classified. */
  facts?: Facts;
  /** Every rule, highest priority first, with each condition's fact value and result. */
  rules: RuleTrace[];
  route: RouteResult | null;
  evidence?: Evidence;
  rulesetVersion: string;
};

export type TraceResult = {
  /** The location at the compare level the query resolved to (a bin rolls up). */
  location: string;
  traces: KeyTrace[];
};

/** A copy of the ruleset whose `match` rules decide a sentinel explanation instead. */
export function tracingRuleset(ruleset: Ruleset): Ruleset {
  const sentinel: Outcome = { type: 'explained', code: MATCH_SENTINEL };
  const swap = (o: Outcome): Outcome => (o.type === 'match' ? sentinel : o);
  const rules = ruleset.classification.rules.map((r) => ({ ...r, outcome: swap(r.outcome) }));
  const fallback = swap(ruleset.classification.fallback);
  return { ...ruleset, classification: { rules, fallback } };
}

/** An intake to feed rows into before calling traceKey (its ruleset is the tracing copy). */
export function createTracingIntake(ruleset: Ruleset): Intake {
  return createIntake(tracingRuleset(ruleset));
}

export async function traceKey(
  ruleset: Ruleset,
  intake: Intake,
  q: TraceQuery,
): Promise<TraceResult> {
  const location = rollUp(ruleset.mappings, q.location) ?? q.location;
  const buckets = q.bucket ? [q.bucket] : [...BUCKETS];
  const keys = buckets.map((bucket) => ({ sku: q.sku, location, bucket }));
  const run = await reconcile(intake, { asOf: q.asOf, keys });
  const classifier = createClassifier(ruleset.classification);
  const traces: KeyTrace[] = [];
  for (const bucket of buckets) {
    for (const source of coveringSources(ruleset, location, bucket)) {
      if (q.source !== undefined && source !== q.source) continue;
      const listed = run.results.find(
        (r) =>
          r.sku === q.sku && r.location === location && r.bucket === bucket && r.source === source,
      );
      const base = { sku: q.sku, location, bucket, source, rulesetVersion: ruleset.version.label };
      if (!listed?.evidence) {
        traces.push({ ...base, classified: false, ...unclassified() });
        continue;
      }
      traces.push({ ...base, classified: true, ...fromResult(ruleset, classifier, listed) });
    }
  }
  return { location, traces };
}

function unclassified() {
  return {
    outcome: { type: 'match' } as Outcome,
    causes: [],
    decidedBy: null,
    rules: [],
    route: null,
  };
}

function fromResult(
  ruleset: Ruleset,
  classifier: ReturnType<typeof createClassifier>,
  r: KeyResult,
) {
  const evidence = r.evidence!;
  const outcome: Outcome =
    r.outcome.type === 'explained' && r.outcome.code === MATCH_SENTINEL
      ? { type: 'match' }
      : r.outcome;
  const d = evidence.decidedBy;
  const decidedBy = d
    ? (ruleset.classification.rules.find((x) => x.name === d.rule && x.line === d.line) ?? null)
    : null;
  const facts = evidence.facts as unknown as Record<string, unknown>;
  const rules = classifier.explain(facts, ruleset.classification.rules);
  const decided = { ...r, outcome, facts: evidence.facts };
  return {
    outcome,
    causes: r.causes,
    decidedBy,
    facts: evidence.facts,
    rules,
    route: routeOf(ruleset, decided),
    evidence: { ...evidence, rules: rules.filter((t) => t.fired) },
  };
}

/** Sources that report this location and can hold this bucket (from their status maps). */
export function coveringSources(ruleset: Ruleset, location: string, bucket: Bucket): string[] {
  const out: string[] = [];
  for (const s of ruleset.sources.values()) {
    if (!s.locations.includes(location)) continue;
    const words = ruleset.statusMaps.get(s.id);
    if (words && [...words.values()].includes(bucket)) out.push(s.id);
  }
  return out;
}
