import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { candidateRanker, describeCandidates, rankCandidates } from './candidates.ts';
import { createClassifier, type Decision } from '../classify/classifier.ts';
import { FACTS, FACT_NAMES } from '../facts.ts';
import { DEMO_RULES } from '../../../test/support/engine/demo-rules.ts';
import type { ClassificationRule } from '../rules/types.ts';
import type { RuleTrace } from '../classify/trace.ts';

const rule = (name: string, line: number, cause: string, priority: number): ClassificationRule => ({
  name,
  file: 'classification.yaml',
  line,
  priority,
  conditions: { all: [] },
  outcome: { type: 'exception', severity: 'high', rootCause: cause },
});
const cond = (fact: string, factValue: unknown, result: boolean) => ({
  fact,
  operator: 'greaterThan',
  value: 0,
  factValue,
  result,
});
const trace = (r: ClassificationRule, fired: boolean, conditions: RuleTrace['conditions']) => ({
  rule: r.name,
  file: r.file,
  line: r.line,
  priority: r.priority,
  fired,
  conditions,
});

describe('ranked causes', () => {
  const missing = rule('missing-posting', 10, 'MISSING_POSTING', 70);
  const dup = rule('duplicate-event', 20, 'DUPLICATE_EVENT', 95);
  const shrink = rule('count-loss', 30, 'UNRECORDED_SHRINKAGE', 73);
  const uom = rule('uom', 40, 'UOM_MISMATCH', 92);
  const rules = [missing, dup, shrink, uom];

  it('puts the fired rules first by priority, then the near misses by share of facts held', () => {
    const ranked = rankCandidates(rules, [
      trace(missing, true, [cond('unmatchedOutsideWindow', 1, true)]),
      trace(dup, true, [cond('duplicateEvents', 1, true)]),
      trace(shrink, false, [
        cond('unmatchedCountAdjustments', 0, false),
        cond('variance', 2, true),
      ]),
      trace(uom, false, [cond('varianceIsUnitMultiple', false, false)]),
    ]);
    expect(ranked.map((c) => c.cause)).toEqual([
      'DUPLICATE_EVENT',
      'MISSING_POSTING',
      'UNRECORDED_SHRINKAGE',
    ]);
    expect(ranked[2]).toMatchObject({
      fired: false,
      for: ['variance=2'],
      against: ['unmatchedCountAdjustments=0 (wanted greaterThan 0)'],
    });
    expect(describeCandidates(ranked)[2]).toBe(
      '3. UNRECORDED_SHRINKAGE (count-loss, not met) — for: variance=2 — against: ' +
        'unmatchedCountAdjustments=0 (wanted greaterThan 0)',
    );
  });

  it('gives two exceptions with the same facts one candidate, which cannot be changed', () => {
    const traces = (variance: number) => [
      trace(shrink, false, [
        cond('unmatchedCountAdjustments', 0, false),
        cond('variance', variance, true),
      ]),
    ];
    const [a] = rankCandidates(rules, traces(2));
    const [b] = rankCandidates(rules, traces(2));
    const [c] = rankCandidates(rules, traces(3));
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(c!.for).toEqual(['variance=3']);
    expect(Object.isFrozen(a) && Object.isFrozen(a!.for) && Object.isFrozen(a!.against)).toBe(true);
    expect(() => (a!.for as string[]).push('x')).toThrow(TypeError);
  });
});

describe('the candidates of many facts, traced only where shown', () => {
  // the demo's rules with distinct lines (a candidate is known by its rule's name and line)
  const demo: ClassificationRule[] = DEMO_RULES.map((r, i) => ({ ...r, file: 't', line: i + 1 }));
  const exceptionRules = demo.filter((r) => r.outcome.type === 'exception');
  const arb = (name: string) => {
    const type = FACTS[name as keyof typeof FACTS].type;
    return type === 'number'
      ? fc.oneof(fc.integer({ min: -30, max: 30 }), fc.constantFrom(0, -1, 0.5, 1))
      : type === 'boolean'
        ? fc.boolean()
        : fc.constantFrom('sellable', 'ecommerce', 'erp', 'wms', 'SKU-1', '', 'cycle_count');
  };
  const factsArb = fc.record(
    Object.fromEntries(FACT_NAMES.map((n) => [n, arb(n)])) as Record<string, fc.Arbitrary<unknown>>,
  );

  it('ranks as rankCandidates over every exception rule traced (fast-check)', () => {
    const classifier = createClassifier({ rules: demo, fallback: { type: 'match' } });
    const rank = candidateRanker(exceptionRules);
    let shown = 0;
    fc.assert(
      fc.property(factsArb, (facts) => {
        const decision = classifier.decide(facts) as Decision;
        const traced = classifier.explain(facts, exceptionRules, decision.fired);
        const expected = rankCandidates(exceptionRules, traced);
        shown += expected.length;
        expect(rank(facts, decision.fired)).toEqual(expected);
      }),
      { numRuns: 2_000 },
    );
    expect(shown).toBeGreaterThan(2_000);
  });
});

describe('the candidates of random rules, traced only where shown', () => {
  const leafArb = fc
    .record({
      fact: fc.constantFrom('variance', 'absVariance', 'lateEvents', 'duplicateEvents', 'bucket'),
      operator: fc.constantFrom('equal', 'notEqual', 'greaterThan', 'lessThan', 'in'),
      value: fc.integer({ min: -3, max: 3 }),
    })
    .map(({ fact, operator, value }) => ({
      fact,
      operator,
      value: operator === 'in' ? [value, 'sellable'] : value,
    }));
  const ruleArb = fc.record({
    leaves: fc.array(leafArb, { minLength: 1, maxLength: 4 }),
    kind: fc.constantFrom('all', 'any'),
    priority: fc.integer({ min: 1, max: 5 }),
    cause: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'),
  });
  const rulesArb = fc.array(ruleArb, { minLength: 1, maxLength: 9 }).map((list) =>
    list.map((r, i): ClassificationRule => ({
      name: `r${i}`,
      file: 'classification.yaml',
      line: i + 1,
      priority: r.priority,
      conditions: (r.kind === 'all'
        ? { all: r.leaves }
        : { any: r.leaves }) as ClassificationRule['conditions'],
      outcome: { type: 'exception', severity: 'high', rootCause: r.cause },
    })),
  );
  const factsArb = fc.record({
    variance: fc.integer({ min: -3, max: 3 }),
    absVariance: fc.integer({ min: 0, max: 3 }),
    lateEvents: fc.integer({ min: 0, max: 2 }),
    duplicateEvents: fc.integer({ min: 0, max: 2 }),
    bucket: fc.constantFrom('sellable', 'committed'),
  });

  it('ranks as rankCandidates over every rule traced (fast-check)', () => {
    fc.assert(
      fc.property(rulesArb, fc.array(factsArb, { minLength: 1, maxLength: 5 }), (rules, many) => {
        const classifier = createClassifier({ rules, fallback: { type: 'match' } });
        const rank = candidateRanker(rules);
        for (const facts of many) {
          const decision = classifier.decide(facts) as Decision;
          const traced = classifier.explain(facts, rules, decision.fired);
          expect(rank(facts, decision.fired)).toEqual(rankCandidates(rules, traced));
        }
      }),
      { numRuns: 1_000 },
    );
  });
});
