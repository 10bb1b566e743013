import { describe, expect, it } from 'vitest';
import { describeCandidates, rankCandidates } from './candidates.ts';
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
