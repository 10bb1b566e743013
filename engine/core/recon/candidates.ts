/**
 * Ranked causes: every exception rule is a candidate cause, with the facts for it (its
 * conditions that hold) and against it (those that do not). Rules that fired come first, in
 * the order they decide (priority); the others follow by the share of their conditions that
 * hold, so a reader sees what nearly applied and which fact kept it out.
 */
import type { ClassificationRule, Outcome } from '../rules/types.ts';
import type { ConditionTrace, RuleTrace } from '../classify/trace.ts';
import { compileLeaves, type Predicate } from '../classify/compile.ts';
import { traceRule } from '../classify/classifier.ts';

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

/**
 * Per rule list (the run's, the same for every exception): each rule's outcome by name and
 * line, and the candidates made from it so far.
 */
type Tables = {
  outcomes: Map<string, Map<number, Outcome>>;
  /**
   * Candidates already made, each kept once (frozen, its lists too): at 1M keys the
   * exceptions' 113,075 candidates were 5,735 distinct, and each a new object with two lists
   * of texts (ropes of their parts) held until the run is saved: 67.5 MB of the heap carried
   * into the save, 7 MB shared. Found by what the texts are made of (the rule, whether it
   * fired, each condition's fact, operator, result and fact value): the texts are written only
   * for a candidate not made yet. A long-running process keeps up to CANDIDATES_KEPT a list.
   */
  made: Map<string, CandidateCause>;
};
const tablesOf = new WeakMap<readonly ClassificationRule[], Tables>();
const CANDIDATES_KEPT = 100_000;

function tables(rules: readonly ClassificationRule[]): Tables {
  let t = tablesOf.get(rules);
  if (!t) {
    const outcomes = new Map<string, Map<number, Outcome>>();
    for (const r of rules) {
      let byLine = outcomes.get(r.name);
      if (!byLine) outcomes.set(r.name, (byLine = new Map()));
      byLine.set(r.line, r.outcome);
    }
    t = { outcomes, made: new Map() };
    tablesOf.set(rules, t);
  }
  return t;
}

/** A rule in the running: whether it fired, the share of its conditions held, where it is. */
type Scored = { fired: boolean; priority: number; share: number; cause: string; at: number };

/** Ranks the candidates from the rules' traces (what `tally explain` and the tests hold to). */
export function rankCandidates(
  rules: readonly ClassificationRule[],
  traces: readonly RuleTrace[],
  limit = CANDIDATES_SHOWN,
): CandidateCause[] {
  const { outcomes } = tables(rules);
  const scored: Scored[] = [];
  traces.forEach((t, at) => {
    const outcome = outcomes.get(t.rule)?.get(t.line);
    if (outcome?.type !== 'exception') return;
    let yes = 0;
    for (const c of t.conditions) if (c.result) yes++;
    if (!t.fired && yes === 0) return;
    const share = yes / Math.max(1, t.conditions.length);
    scored.push({ fired: t.fired, priority: t.priority, share, cause: outcome.rootCause, at });
  });
  return pick(rules, scored, (s) => traces[s.at]!, limit);
}

/**
 * rankCandidates for many facts under one rule list, with the same result, tracing only the
 * rules it shows: ranking needs each condition's result alone, and tracing every exception
 * rule of every exception (1M keys: 30,115 exceptions, ~15 rules, ~1.1M condition objects)
 * took ~0.4 s of the classify phase. `fired`: the rules the decision on these facts fired.
 */
export function candidateRanker(
  rules: readonly ClassificationRule[],
  limit = CANDIDATES_SHOWN,
): (facts: Record<string, unknown>, fired: readonly ClassificationRule[]) => CandidateCause[] {
  // compiled at the first exception (a rule list that cannot be compiled fails there, as its
  // traces would)
  let compiled: Predicate[][] | undefined;
  return (facts, fired) => {
    const leaves = (compiled ??= rules.map((r) => compileLeaves(r.conditions).map((l) => l.test)));
    const scored: Scored[] = [];
    rules.forEach((r, at) => {
      if (r.outcome.type !== 'exception') return;
      const tests = leaves[at]!;
      let yes = 0;
      for (const test of tests) if (test(facts)) yes++;
      const isFired = fired.includes(r);
      if (!isFired && yes === 0) return;
      const share = yes / Math.max(1, tests.length);
      const cause = r.outcome.rootCause;
      scored.push({ fired: isFired, priority: r.priority, share, cause, at });
    });
    return pick(rules, scored, (s) => traceRule(rules[s.at]!, facts, s.fired), limit);
  };
}

/** The first `limit` candidates of distinct causes, fired first by priority, then by share. */
function pick(
  rules: readonly ClassificationRule[],
  scored: Scored[],
  traceOf: (s: Scored) => RuleTrace,
  limit: number,
): CandidateCause[] {
  const { made } = tables(rules);
  scored.sort(
    (a, b) =>
      Number(b.fired) - Number(a.fired) ||
      (a.fired ? b.priority - a.priority : b.share - a.share || b.priority - a.priority),
  );
  const seen = new Set<string>();
  const out: CandidateCause[] = [];
  for (const s of scored) {
    const cause = s.cause;
    if (out.length >= limit) break;
    if (seen.has(cause)) continue;
    seen.add(cause);
    const t = traceOf(s);
    const key = candidateKey(t);
    let candidate = made.get(key);
    if (candidate === undefined) {
      // the texts only for a candidate not made yet (each is a JSON text per condition)
      const pros = t.conditions.filter((c) => c.result).map(held);
      const cons = t.conditions.filter((c) => !c.result).map(missed);
      candidate = Object.freeze({
        cause,
        rule: t.rule,
        fired: t.fired,
        for: Object.freeze(pros) as string[],
        against: Object.freeze(cons) as string[],
      });
      if (made.size >= CANDIDATES_KEPT) made.clear();
      made.set(key, candidate);
    }
    out.push(candidate);
  }
  return out;
}

/**
 * What a candidate's texts are made of, as one text: the rule (its name and line: its cause
 * and each condition's expected value, within one rule list), whether it fired, and per
 * condition its fact, operator, result and fact value. A number's text is its String (the
 * same as its JSON but for NaN and the infinities, which then only make a second key).
 */
function candidateKey(t: RuleTrace): string {
  let key = `${t.rule}\u0000${t.line}\u0000${t.fired ? 1 : 0}`;
  for (const c of t.conditions) {
    const v = c.factValue;
    const value = typeof v === 'number' ? String(v) : String(JSON.stringify(v));
    key += `\u0000${c.fact}\u0000${c.operator}\u0000${c.result ? 1 : 0}${value}`;
  }
  return key;
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
