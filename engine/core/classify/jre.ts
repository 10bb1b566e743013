/**
 * The reference evaluator: json-rules-engine itself, one Engine reused, rules added once,
 * evaluated one fact set at a time (PERF-NOTES: concurrency makes it slower). Used when a
 * ruleset uses something the compiler does not support, and to prove the compiler right.
 */
import { Engine, type RuleResult } from 'json-rules-engine';
import type { ClassificationRule } from '../rules/types.ts';
import type { ConditionTrace } from './trace.ts';
import { resolvePath } from './compile.ts';

export type JreEvaluator = {
  /** Names of the rules that fired, and every rule's flattened condition trace. */
  evaluate(
    facts: Record<string, unknown>,
  ): Promise<{ fired: Set<string>; traces: Map<string, ConditionTrace[]> }>;
};

export function createJreEvaluator(rules: ClassificationRule[]): JreEvaluator {
  const engine = new Engine([], { allowUndefinedFacts: false, pathResolver: resolvePath });
  rules.forEach((r, i) => {
    engine.addRule({
      name: `${i}:${r.name}`,
      priority: Math.max(1, r.priority),
      conditions: r.conditions,
      event: { type: r.name },
    });
  });
  return {
    async evaluate(facts) {
      const run = await engine.run({ ...facts });
      const fired = new Set<string>();
      const traces = new Map<string, ConditionTrace[]>();
      for (const r of run.results) fired.add(ruleName(r));
      for (const r of [...run.results, ...run.failureResults]) {
        traces.set(ruleName(r), flatten(r.conditions as unknown));
      }
      return { fired, traces };
    },
  };
}

function ruleName(r: RuleResult): string {
  return String(r.name).replace(/^\d+:/, '');
}

function flatten(node: unknown, out: ConditionTrace[] = []): ConditionTrace[] {
  const n = node as Record<string, unknown>;
  const children = (n.all ?? n.any) as unknown[] | undefined;
  if (Array.isArray(children)) for (const c of children) flatten(c, out);
  else if (n.not !== undefined) flatten(n.not, out);
  else {
    const t: ConditionTrace = {
      fact: n.fact as string,
      operator: n.operator as string,
      value: n.value,
      factValue: n.factResult,
      result: n.result as boolean,
    };
    if (n.path) t.path = n.path as string;
    out.push(t);
  }
  return out;
}
