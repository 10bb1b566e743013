/** Compiles ClassificationRules documents into runtime rules (priority order) and a fallback. */
import type { NestedCondition, TopLevelCondition } from 'json-rules-engine';
import type { Classification, ClassificationRule, Outcome, Severity } from './types.ts';
import type { ConditionDoc, Loaded, OutcomeDoc } from './docs.ts';
import { declaredAt } from './declared-at.ts';

/** The YAML condition tree is already json-rules-engine's shape; copy only its known keys. */
export function toEngineConditions(c: ConditionDoc): TopLevelCondition {
  return toCondition(c) as TopLevelCondition;
}

function toCondition(c: ConditionDoc): NestedCondition {
  if (c.all) return { all: c.all.map(toCondition) };
  if (c.any) return { any: c.any.map(toCondition) };
  if (c.not) return { not: toCondition(c.not) };
  const out: Record<string, unknown> = { fact: c.fact, operator: c.operator, value: c.value };
  if (c.path !== undefined) out.path = c.path;
  return out as unknown as NestedCondition;
}

export function toOutcome(o: OutcomeDoc): Outcome {
  if (o.type === 'explained') return { type: 'explained', code: o.code! };
  if (o.type === 'exception') {
    return { type: 'exception', severity: o.severity as Severity, rootCause: o.rootCause! };
  }
  return { type: 'match' };
}

export function compileClassification(docs: Loaded<'ClassificationRules'>[]): Classification {
  const rules: ClassificationRule[] = docs.flatMap((at) =>
    at.doc.rules.map((r, i) => ({
      ...declaredAt(at, ['rules', i]),
      name: r.name,
      ...(r.description !== undefined ? { description: r.description } : {}),
      priority: r.priority,
      conditions: toEngineConditions(r.conditions),
      outcome: toOutcome(r.outcome),
    })),
  );
  // stable: equal priorities keep the order they are listed in
  rules.sort((a, b) => b.priority - a.priority);
  return { rules, fallback: toOutcome(docs[0]!.doc.fallback) };
}
