import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createClassifier } from './classifier.ts';
import { createJreEvaluator } from './jre.ts';
import { compileCondition, traceCondition } from './compile.ts';
import { DEMO_RULES } from '../../../test/support/engine/demo-rules.ts';
import { FACTS, FACT_NAMES } from '../facts.ts';
import type { ClassificationRule } from '../rules/types.ts';

const rules: ClassificationRule[] = DEMO_RULES.map((r) => ({ ...r, file: 't', line: 1 }));

const factsArb = fc.record(
  Object.fromEntries(
    FACT_NAMES.map((name) => {
      const type = FACTS[name].type;
      const arb =
        type === 'number'
          ? fc.oneof(fc.integer({ min: -30, max: 30 }), fc.constantFrom(0, -1, 0.5))
          : type === 'boolean'
            ? fc.boolean()
            : fc.constantFrom('sellable', 'ecommerce', 'erp', 'SKU-1', '');
      return [name, arb];
    }),
  ) as Record<string, fc.Arbitrary<unknown>>,
);

const NUMERIC_OPS = [
  'equal',
  'notEqual',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
];
const leafArb = fc
  .record({
    fact: fc.constantFrom(...FACT_NAMES),
    operator: fc.constantFrom(...NUMERIC_OPS, 'in', 'notIn'),
    value: fc.oneof(
      fc.integer({ min: -5, max: 5 }),
      fc.boolean(),
      fc.constantFrom('sellable', 'erp'),
    ),
    ref: fc.option(fc.constantFrom(...FACT_NAMES), { nil: undefined }),
  })
  .map(({ fact, operator, value, ref }) => {
    const list = operator === 'in' || operator === 'notIn';
    return { fact, operator, value: list ? [value, 'ecommerce'] : ref ? { fact: ref } : value };
  });
const conditionArb = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    leafArb,
    fc.record({ all: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ any: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie('node') }),
  ),
})).node;

describe('compiled conditions', () => {
  it('decide exactly like json-rules-engine on the demo rules', async () => {
    const jre = createJreEvaluator(rules);
    const compiled = createClassifier({ rules, fallback: { type: 'match' } });
    await fc.assert(
      fc.asyncProperty(factsArb, async (facts) => {
        const { fired } = await jre.evaluate(facts);
        const decision = compiled.decide(facts) as ReturnType<typeof compiled.decide> & {
          fired: ClassificationRule[];
        };
        expect(new Set(decision.fired.map((r) => r.name))).toEqual(fired);
      }),
      { numRuns: 2000 },
    );
  });

  it('agree with json-rules-engine on random conditions, with the same condition traces', async () => {
    await fc.assert(
      fc.asyncProperty(conditionArb, factsArb, async (conditions, facts) => {
        const top = 'all' in conditions || 'any' in conditions ? conditions : { all: [conditions] };
        const rule = {
          name: 'r',
          priority: 1,
          conditions: top,
          outcome: { type: 'match' },
          file: 't',
          line: 1,
        };
        const jre = createJreEvaluator([rule as ClassificationRule]);
        const { fired, traces } = await jre.evaluate(facts);
        expect(compileCondition(top)(facts)).toBe(fired.has('r'));
        const mine = traceCondition(top, facts);
        (traces.get('r') ?? []).forEach((t, i) => {
          if (t.result === undefined) return; // not evaluated by the library (short circuit)
          expect(mine[i]).toMatchObject({ fact: t.fact, result: t.result, factValue: t.factValue });
        });
      }),
      { numRuns: 1500 },
    );
  });
});
