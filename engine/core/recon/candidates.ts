/**
 * Ranked causes: every exception rule is a candidate cause, with the facts for it (its
 * conditions that hold) and against it (those that do not). Rules that fired come first, in
 * the order they decide (priority); the others follow by the share of their conditions that
 * hold, so a reader sees what nearly applied and which fact kept it out.
 */
import type { ClassificationRule, Outcome } from '../rules/types.ts';
import type { ConditionTrace, RuleTrace } from '../classify/trace.ts';

export type CandidateCause = {
  cause: string;
  rule: string;
  fired: boolean;
  /** Conditions that hold, as `fact=value`. */
  for: string[];
  /** Conditions that do not hold, as `fact=value (wanted operator value)`. */
  against: string[];
};

/** Shown per exception: the primary and the closest alternatives. */
export const CANDIDATES_SHOWN = 4;

const show = (v: unknown) =>
  typeof v === 'object' && v !== null && 'fact' in v
    ? String((v as { fact: unknown }).fact)
    : JSON.stringify(v);
const held = (c: ConditionTrace) => `${c.fact}=${JSON.stringify(c.factValue)}`;
const missed = (c: ConditionTrace) => `${held(c)} (wanted ${c.operator} ${show(c.value)})`;

/** Per rule list (the run's, the same for every exception), outcome by `name:line`. */
const outcomeTables = new WeakMap<readonly ClassificationRule[], Map<string, Outcome>>();

function outcomesOf(rules: readonly ClassificationRule[]): Map<string, Outcome> {
  let table = outcomeTables.get(rules);
  if (!table) {
    table = new Map(rules.map((r) => [`${r.name}:${r.line}`, r.outcome]));
    outcomeTables.set(rules, table);
  }
  return table;
}

export function rankCandidates(
  rules: readonly ClassificationRule[],
  traces: readonly RuleTrace[],
  limit = CANDIDATES_SHOWN,
): CandidateCause[] {
  const outcomeOf = outcomesOf(rules);
  const scored: { t: RuleTrace; cause: string; share: number }[] = [];
  for (const t of traces) {
    const outcome = outcomeOf.get(`${t.rule}:${t.line}`);
    if (outcome?.type !== 'exception') continue;
    let yes = 0;
    for (const c of t.conditions) if (c.result) yes++;
    if (!t.fired && yes === 0) continue;
    scored.push({ t, cause: outcome.rootCause, share: yes / Math.max(1, t.conditions.length) });
  }
  scored.sort(
    (a, b) =>
      Number(b.t.fired) - Number(a.t.fired) ||
      (a.t.fired ? b.t.priority - a.t.priority : b.share - a.share || b.t.priority - a.t.priority),
  );
  // the texts only for the candidates shown (each is a JSON text per condition)
  const seen = new Set<string>();
  const out: CandidateCause[] = [];
  for (const { t, cause } of scored) {
    if (out.length >= limit) break;
    if (seen.has(cause)) continue;
    seen.add(cause);
    const pros = t.conditions.filter((c) => c.result).map(held);
    const cons = t.conditions.filter((c) => !c.result).map(missed);
    out.push(sharedCandidate(cause, t.rule, t.fired, pros, cons));
  }
  return out;
}

/**
 * Candidates already made, each kept once (frozen, its lists too): at 1M keys the exceptions'
 * 113,075 candidates were 5,735 distinct, and each a new object with two lists of texts (ropes
 * of their parts) held until the run is saved: 67.5 MB of the heap carried into the save, 7 MB
 * shared. A long-running process keeps up to CANDIDATES_KEPT of them.
 */
const madeCandidates = new Map<string, CandidateCause>();
const CANDIDATES_KEPT = 100_000;

function sharedCandidate(
  cause: string,
  rule: string,
  fired: boolean,
  pros: string[],
  cons: string[],
): CandidateCause {
  // JSON: no two candidates share a key, whatever characters their texts hold
  const key = JSON.stringify([cause, rule, fired, pros, cons]);
  const known = madeCandidates.get(key);
  if (known !== undefined) return known;
  if (madeCandidates.size >= CANDIDATES_KEPT) madeCandidates.clear();
  const made: CandidateCause = Object.freeze({
    cause,
    rule,
    fired,
    for: Object.freeze(pros) as string[],
    against: Object.freeze(cons) as string[],
  });
  madeCandidates.set(key, made);
  return made;
}

/** One line per candidate: `1. CAUSE (rule) — for: …; against: …`. */
export function describeCandidates(candidates: readonly CandidateCause[]): string[] {
  return candidates.map((c, i) => {
    const parts = [`${i + 1}. ${c.cause} (${c.rule}${c.fired ? '' : ', not met'})`];
    if (c.for.length) parts.push(`for: ${c.for.join(', ')}`);
    if (c.against.length) parts.push(`against: ${c.against.join(', ')}`);
    return parts.join(' — ');
  });
}
