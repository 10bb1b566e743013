/**
 * Explain-to-rule: from one explained case (its facts and the explanation code a person gave),
 * the YAML of a ClassificationRule that decides such cases `explained` with that code, and a
 * rule test holding the case's facts. The rule pins the facts that distinguish the case —
 * where it happened (source, bucket, location type, sku class), what was pending, the sign
 * and at most the size of the difference — and allows no more breaks than the case has (none
 * when it has none), so it decides its own case and cannot swallow a bigger break elsewhere.
 * People trim it before pasting; the test keeps it honest.
 */
import { FACT_NAMES, type Facts } from '../../core/facts.ts';
import type { Ruleset } from '../../core/rules/types.ts';

export type SuggestInput = {
  facts: Facts;
  /** The explanation code (e.g. KNOWN_COUNT_LOSS). */
  code: string;
  /** The rule that decided the case as it is now (null: the fallback). */
  decidedBy: string | null;
  /** Why it holds in general, written by the person who explained it. */
  reason?: string;
  exceptionId?: number;
};

export type Condition = { fact: string; operator: string; value: unknown };

export type Suggestion = {
  name: string;
  priority: number;
  conditions: Condition[];
  /** A list item to paste under `rules:` of a ClassificationRules file. */
  ruleYaml: string;
  /** A whole RuleTests file (rules/tests/<name>.yaml). */
  testYaml: string;
};

const CONTEXT = ['source', 'bucket', 'locationType', 'skuClass'] as const;
const SIGNALS = [
  'pendingInTransit',
  'unmatchedInWindow',
  'lateEvents',
  'adjustmentsOutsideSystemOfRecord',
] as const;
const BREAKS = ['unmatchedOutsideWindow', 'duplicateEvents', 'overdueInTransit'] as const;
const FLAGS = ['isSystemOfRecord', 'uomRounding', 'varianceIsUnitMultiple'] as const;

export function distinguishingConditions(f: Facts): Condition[] {
  const out: Condition[] = [];
  for (const k of CONTEXT) if (f[k] !== '') out.push({ fact: k, operator: 'equal', value: f[k] });
  out.push({ fact: 'isSystemOfRecord', operator: 'equal', value: f.isSystemOfRecord });
  for (const k of FLAGS.slice(1)) if (f[k]) out.push({ fact: k, operator: 'equal', value: true });
  for (const k of SIGNALS) if (f[k] > 0) out.push({ fact: k, operator: 'greaterThan', value: 0 });
  // no breaks where the case has none; where it has some, at most as many as it has, so the
  // rule decides its own case and still no bigger break
  for (const k of BREAKS)
    out.push(
      f[k] > 0
        ? { fact: k, operator: 'lessThanInclusive', value: f[k] }
        : { fact: k, operator: 'equal', value: 0 },
    );
  if (f.variance !== 0)
    out.push({ fact: 'variance', operator: f.variance > 0 ? 'greaterThan' : 'lessThan', value: 0 });
  out.push({ fact: 'absVariance', operator: 'lessThanInclusive', value: f.absVariance });
  return out;
}

export function suggestRule(ruleset: Ruleset, input: SuggestInput): Suggestion {
  const decided = ruleset.classification.rules.find((r) => r.name === input.decidedBy);
  // just above the rule deciding it now, so this one decides instead
  const priority = Math.min((decided?.priority ?? 0) + 1, 10000);
  const name = uniqueName(ruleset, `explain-${kebab(input.code)}-${kebab(input.facts.source)}`);
  const conditions = distinguishingConditions(input.facts);
  const from = input.exceptionId !== undefined ? ` (from exception ${input.exceptionId})` : '';
  const description =
    (input.reason ?? `${input.code} for ${input.facts.source} ${input.facts.bucket}`) + from;
  const ruleYaml = [
    `- name: ${name}`,
    `  description: ${JSON.stringify(description)}`,
    `  priority: ${priority}`,
    '  conditions:',
    '    all:',
    ...conditions.map(
      (c) =>
        `      - { fact: ${c.fact}, operator: ${c.operator}, value: ${JSON.stringify(c.value)} }`,
    ),
    `  outcome: { type: explained, code: ${input.code} }`,
    '',
  ].join('\n');
  return { name, priority, conditions, ruleYaml, testYaml: testYaml(name, input) };
}

function testYaml(name: string, input: SuggestInput): string {
  const f = input.facts as unknown as Record<string, unknown>;
  const facts = FACT_NAMES.filter((k) => f[k] !== undefined).map(
    (k) => `      ${k}: ${JSON.stringify(f[k])}`,
  );
  const what = `${input.facts.sku} @ ${input.facts.location} ${input.facts.bucket} (${input.facts.source})`;
  return [
    `# The case ${name} was written from: ${what}.`,
    'apiVersion: tally/v1',
    'kind: RuleTests',
    'tests:',
    `  - name: ${JSON.stringify(`${what} is explained as ${input.code}`)}`,
    '    facts:',
    ...facts,
    `    expect: { outcome: explained, code: ${input.code}, rule: ${name} }`,
    '',
  ].join('\n');
}

function kebab(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'case'
  );
}

function uniqueName(ruleset: Ruleset, base: string): string {
  const taken = new Set(ruleset.classification.rules.map((r) => r.name));
  let name = base.slice(0, 60);
  for (let i = 2; taken.has(name); i++) name = `${base.slice(0, 57)}-${i}`;
  return name;
}
