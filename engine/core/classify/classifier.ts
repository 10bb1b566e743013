/**
 * Decides an outcome from facts: the highest-priority rule that fires decides; every fired
 * exception rule, ranked by priority, gives the likely root causes; no rule → the fallback.
 * Uses the compiled rules; json-rules-engine only when a rule uses something the compiler
 * does not support (then ~100 µs per evaluation, see classify/measure-jre.ts).
 */
import type { Classification, ClassificationRule, Outcome } from '../rules/types.ts';
import type { RuleTrace } from './trace.ts';
import {
  byPriority,
  compileRules,
  compileFiring,
  compileTrace,
  UnsupportedCondition,
  type Tracer,
  type CompiledRule,
} from './compile.ts';
import { createJreEvaluator } from './jre.ts';

export type Decision = {
  outcome: Outcome;
  decidedBy: ClassificationRule | null;
  causes: string[];
  fired: ClassificationRule[];
};

export type Classifier = {
  mode: 'compiled' | 'json-rules-engine';
  decide(facts: Record<string, unknown>): Decision | Promise<Decision>;
  /**
   * Condition-by-condition trace of the given rules for these facts; `fired`, the rules the
   * decision on these same facts fired, saves deciding again.
   */
  explain(
    facts: Record<string, unknown>,
    rules: ClassificationRule[],
    fired?: readonly ClassificationRule[],
  ): RuleTrace[];
};

export function decisionFrom(fired: ClassificationRule[], fallback: Outcome): Decision {
  const decidedBy = fired[0] ?? null;
  const outcome = decidedBy ? decidedBy.outcome : fallback;
  const causes: string[] = [];
  if (outcome.type === 'exception') {
    causes.push(outcome.rootCause);
    for (const r of fired) {
      if (r.outcome.type === 'exception' && !causes.includes(r.outcome.rootCause)) {
        causes.push(r.outcome.rootCause);
      }
    }
  }
  return { outcome, decidedBy, causes, fired };
}

/** Per rule, its conditions' tracers, compiled on first use. */
const tracers = new WeakMap<ClassificationRule, Tracer[]>();

function tracersOf(rule: ClassificationRule): Tracer[] {
  let out = tracers.get(rule);
  if (!out) {
    out = compileTrace(rule.conditions);
    tracers.set(rule, out);
  }
  return out;
}

/** One rule traced for the facts: each condition with its fact value and result. */
export function traceRule(
  r: ClassificationRule,
  facts: Record<string, unknown>,
  fired: boolean,
): RuleTrace {
  const conditions = tracersOf(r).map((trace) => trace(facts));
  return { rule: r.name, file: r.file, line: r.line, priority: r.priority, fired, conditions };
}

function explain(
  facts: Record<string, unknown>,
  rules: ClassificationRule[],
  fired: ReadonlySet<ClassificationRule> | readonly ClassificationRule[],
) {
  const has = (r: ClassificationRule) =>
    'has' in fired ? fired.has(r) : (fired as readonly ClassificationRule[]).includes(r);
  return rules.map((r) => traceRule(r, facts, has(r)));
}

export function createClassifier(c: Classification): Classifier {
  let compiled: CompiledRule[];
  try {
    compiled = compileRules(c.rules);
  } catch (e) {
    if (!(e instanceof UnsupportedCondition)) throw e;
    return createJreClassifier(c);
  }
  const firing = compileFiring(compiled.map((r) => r.rule));
  const decide = (facts: Record<string, unknown>) => decisionFrom(firing(facts), c.fallback);
  return {
    mode: 'compiled',
    decide,
    explain: (facts, rules, fired) => explain(facts, rules, fired ?? decide(facts).fired),
  };
}

function createJreClassifier(c: Classification): Classifier {
  const jre = createJreEvaluator(c.rules);
  const order = byPriority(c.rules);
  let lastFired = new Set<ClassificationRule>();
  return {
    mode: 'json-rules-engine',
    async decide(facts) {
      const { fired } = await jre.evaluate(facts);
      const rules = order.filter((r) => fired.has(r.name));
      lastFired = new Set(rules);
      return decisionFrom(rules, c.fallback);
    },
    // Without `fired`: traces for the fact set last decided.
    explain: (facts, rules, fired) => explain(facts, rules, fired ?? lastFired),
  };
}
