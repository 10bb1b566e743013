/** Cross-file checks of ClassificationRules: condition shape, known facts, types, outcomes. */
import { Rule } from 'json-rules-engine';
import { FACTS } from '../../facts.ts';
import type { FactName } from '../../facts.ts';
import type { ConditionDoc, Loaded, OutcomeDoc } from '../docs.ts';
import { toEngineConditions } from '../compile-rules.ts';
import { report, uniqueNames } from './context.ts';
import type { CheckContext } from './context.ts';

type Here = (string | number)[];
const NUMERIC_OPS = ['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'];
const LIST_OPS = ['in', 'notIn'];
const ARRAY_FACT_OPS = ['contains', 'doesNotContain'];

export function checkClassification(ctx: CheckContext): void {
  const docs = ctx.docs.ClassificationRules;
  uniqueNames(
    ctx,
    docs.flatMap((at) =>
      at.doc.rules.map((r, i) => ({
        at,
        segments: ['rules', i, 'name'],
        name: r.name,
        what: 'rule',
      })),
    ),
  );
  if (docs.length > 1) {
    docs
      .slice(1)
      .forEach((at) =>
        report(
          ctx,
          at,
          ['fallback'],
          'DUPLICATE_NAME',
          `the fallback outcome is already set in ${docs[0]!.rf.file}`,
        ),
      );
  }
  for (const at of docs) {
    checkOutcome(ctx, at, at.doc.fallback, ['fallback']);
    at.doc.rules.forEach((r, i) => {
      const here = ['rules', i];
      checkOutcome(ctx, at, r.outcome, [...here, 'outcome']);
      const before = ctx.problems.length;
      const c = r.conditions;
      if (c.fact !== undefined) {
        report(
          ctx,
          at,
          [...here, 'conditions'],
          'BAD_CONDITION',
          'the top level of conditions must be all, any or not',
        );
      }
      checkCondition(ctx, at, c, [...here, 'conditions']);
      if (ctx.problems.length > before) return;
      try {
        new Rule({
          name: r.name,
          priority: r.priority,
          conditions: toEngineConditions(c),
          event: { type: 'outcome' },
        });
      } catch (error) {
        report(
          ctx,
          at,
          [...here, 'conditions'],
          'BAD_CONDITION',
          `json-rules-engine rejects it: ${(error as Error).message}`,
        );
      }
    });
  }
}

function checkOutcome(
  ctx: CheckContext,
  at: Loaded<'ClassificationRules'>,
  o: OutcomeDoc,
  here: Here,
): void {
  const need: Record<string, string[]> = {
    match: [],
    explained: ['code'],
    exception: ['severity', 'rootCause'],
  };
  const wanted = need[o.type] ?? [];
  for (const field of ['code', 'severity', 'rootCause'] as const) {
    if (wanted.includes(field) && o[field] === undefined) {
      report(ctx, at, here, 'BAD_OUTCOME', `${an(o.type)} outcome needs "${field}"`);
    } else if (!wanted.includes(field) && o[field] !== undefined) {
      report(
        ctx,
        at,
        [...here, field],
        'BAD_OUTCOME',
        `"${field}" does not belong to ${an(o.type)} outcome (it takes ${wanted.join(', ') || 'nothing else'})`,
        true,
      );
    }
  }
}

function checkCondition(
  ctx: CheckContext,
  at: Loaded<'ClassificationRules'>,
  c: ConditionDoc,
  here: Here,
): void {
  const forms = (['all', 'any', 'not', 'fact'] as const).filter((k) => c[k] !== undefined);
  if (forms.length !== 1) {
    const found = forms.length ? `found ${forms.join(' and ')}` : 'found none';
    report(
      ctx,
      at,
      here,
      'BAD_CONDITION',
      `a condition needs exactly one of all, any, not or fact (${found})`,
    );
    return;
  }
  const form = forms[0]!;
  if (form !== 'fact') {
    for (const k of ['operator', 'value', 'path'] as const) {
      if (c[k] !== undefined)
        report(
          ctx,
          at,
          [...here, k],
          'BAD_CONDITION',
          `"${k}" belongs with "fact", not with "${form}"`,
          true,
        );
    }
    if (form === 'not') checkCondition(ctx, at, c.not!, [...here, 'not']);
    else c[form]!.forEach((child, i) => checkCondition(ctx, at, child, [...here, form, i]));
    return;
  }
  checkFactCondition(ctx, at, c, here);
}

function checkFactCondition(
  ctx: CheckContext,
  at: Loaded<'ClassificationRules'>,
  c: ConditionDoc,
  here: Here,
): void {
  const fact = c.fact!;
  if (c.operator === undefined)
    report(ctx, at, here, 'BAD_CONDITION', `condition on "${fact}" needs an operator`);
  if (c.value === undefined)
    report(ctx, at, here, 'BAD_CONDITION', `condition on "${fact}" needs a value`);
  if (!isFact(fact)) {
    report(ctx, at, [...here, 'fact'], 'UNKNOWN_FACT', unknownFact(fact));
    return;
  }
  const type = FACTS[fact].type;
  if (c.path !== undefined) {
    report(
      ctx,
      at,
      [...here, 'path'],
      'FACT_TYPE',
      `"${fact}" is a ${type}; path only applies to object facts`,
    );
  }
  if (c.operator === undefined || c.value === undefined) return;
  const ref = factRef(c.value);
  if (ref !== undefined && !isFact(ref)) {
    report(ctx, at, [...here, 'value', 'fact'], 'UNKNOWN_FACT', unknownFact(ref));
    return;
  }
  const problem = typeProblem(
    fact,
    type,
    c.operator,
    ref !== undefined ? FACTS[ref as FactName].type : c.value,
    ref !== undefined,
  );
  if (problem) report(ctx, at, [...here, 'value'], 'FACT_TYPE', problem);
}

function typeProblem(
  fact: string,
  type: string,
  op: string,
  value: unknown,
  valueIsFactType: boolean,
): string | undefined {
  if (ARRAY_FACT_OPS.includes(op)) return `${op} needs a list fact, but "${fact}" is a ${type}`;
  if (NUMERIC_OPS.includes(op) && type !== 'number')
    return `${op} compares numbers, but "${fact}" is a ${type}`;
  const typeOf = (v: unknown) => (valueIsFactType ? String(v) : v === null ? 'null' : typeof v);
  if (LIST_OPS.includes(op)) {
    if (valueIsFactType || !Array.isArray(value))
      return `${op} needs a list of ${type}s as its value`;
    const bad = value.find((v) => typeof v !== type);
    return bad === undefined
      ? undefined
      : `"${fact}" is a ${type}, but the list holds ${JSON.stringify(bad)}`;
  }
  if (typeOf(value) !== type) {
    return `"${fact}" is a ${type}, but it is compared with ${valueIsFactType ? `a ${String(value)} fact` : JSON.stringify(value)}`;
  }
  return undefined;
}

export function an(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}

function factRef(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const fact = (value as { fact?: unknown }).fact;
  return typeof fact === 'string' ? fact : undefined;
}

function isFact(name: string): name is FactName {
  return Object.hasOwn(FACTS, name);
}

function unknownFact(name: string): string {
  const near = closest(name, Object.keys(FACTS));
  return `unknown fact "${name}"${near ? ` (did you mean "${near}"?)` : ''}; the engine provides the facts listed in engine/core/facts.ts`;
}

function closest(name: string, options: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const o of options) {
    const d = distance(name.toLowerCase(), o.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [o, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 5) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(
        prev[j]! + 1,
        cur[j - 1]! + 1,
        prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = cur;
  }
  return prev[b.length]!;
}
