/** Checks of one rule test against the ruleset it tests: names that must exist, fact types. */
import { FACTS, type FactName } from '../../core/facts.ts';
import { ROUTE_LABELS } from '../../core/rules/matchers.ts';
import { locate, type RuleFile } from '../../core/rules/yaml-file.ts';
import { toPointer, type Problem, type ProblemCode } from '../../core/rules/problems.ts';
import type { Ruleset } from '../../core/rules/types.ts';
import type { Expectation, RuleTest } from './types.ts';

export function checkTest(
  rf: RuleFile,
  raw: Record<string, unknown>,
  i: number,
  test: RuleTest | null,
  ruleset: Ruleset | null,
): Problem[] {
  const problems: Problem[] = [];
  const at = (segments: (string | number)[], code: ProblemCode, message: string, key = false) => {
    const full = ['tests', i, ...segments];
    problems.push({
      file: rf.file,
      ...locate(rf, full, key),
      path: toPointer(full),
      message: `RuleTests ${readable(full)}: ${message}`,
      code,
    });
  };
  const givens = ['facts', 'labels', 'scenario'].filter((g) => raw[g] !== undefined);
  if (givens.length !== 1) {
    at(
      [],
      'BAD_VALUE',
      `give exactly one of facts, labels, scenario (found ${givens.length ? givens.join(', ') : 'none'})`,
    );
    return problems;
  }
  const isList = Array.isArray(raw.expect);
  if (test?.given.kind === 'scenario' && !isList)
    at(
      ['expect'],
      'BAD_VALUE',
      'a scenario test expects a list of keys (sku, location, bucket, source and the outcome)',
    );
  if (test && test.given.kind !== 'scenario' && isList)
    at(['expect'], 'BAD_VALUE', `a ${test.given.kind} test expects one outcome, not a list`);
  if (test?.given.kind === 'facts') {
    for (const [name, value] of Object.entries(test.given.facts)) {
      const spec = FACTS[name as FactName];
      if (!spec)
        at(
          ['facts', name],
          'UNKNOWN_FACT',
          `unknown fact "${name}" (see engine/core/facts.ts)`,
          true,
        );
      else if (typeof value !== spec.type)
        at(
          ['facts', name],
          'FACT_TYPE',
          `fact ${name} is a ${spec.type}, not ${JSON.stringify(value)}`,
        );
    }
  }
  if (test?.given.kind === 'labels') {
    for (const label of Object.keys(test.given.labels)) {
      if (!(ROUTE_LABELS as readonly string[]).includes(label))
        at(
          ['labels', label],
          'BAD_VALUE',
          `unknown label "${label}" (labels: ${ROUTE_LABELS.join(', ')})`,
          true,
        );
    }
  }
  if (!ruleset) return problems;
  const expectations = (isList ? raw.expect : [raw.expect]) as Expectation[];
  expectations.forEach((e, j) => {
    const where = isList ? ['expect', j] : ['expect'];
    if (
      e.rule !== undefined &&
      e.rule !== 'fallback' &&
      !ruleset.classification.rules.some((r) => r.name === e.rule)
    ) {
      at([...where, 'rule'], 'BAD_VALUE', `no classification rule named "${e.rule}"`);
    }
    const route = e.route === undefined ? [] : Array.isArray(e.route) ? e.route : [e.route];
    for (const r of route)
      if (!ruleset.receivers.has(r))
        at([...where, 'route'], 'UNKNOWN_RECEIVER', `no receiver named "${r}" in the Owners rules`);
    const source = (e as { source?: string }).source;
    if (source !== undefined && !ruleset.sources.has(source))
      at([...where, 'source'], 'UNKNOWN_SOURCE', `no source named "${source}"`);
  });
  return problems;
}

export function readable(segments: readonly (string | number)[]): string {
  return (
    segments.map((s, i) => (/^\d+$/.test(String(s)) ? `[${s}]` : `${i ? '.' : ''}${s}`)).join('') ||
    '(file)'
  );
}
