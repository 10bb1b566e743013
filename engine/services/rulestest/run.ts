/** Runs rule tests against a ruleset: pass/fail with expected vs got for every mismatch. */
import { createClassifier, type Classifier } from '../../core/classify/classifier.ts';
import { routeFor } from '../../core/rules/routing.ts';
import type { Ruleset } from '../../core/rules/types.ts';
import type { Expectation, Got, KeyExpectation, RuleTest, TestResult } from './types.ts';
import { factsFor } from './facts.ts';
import { gotFrom } from './got.ts';
import { runScenario } from './scenario.ts';

export async function runRuleTests(ruleset: Ruleset, tests: RuleTest[]): Promise<TestResult[]> {
  const classifier = createClassifier(ruleset.classification);
  const results: TestResult[] = [];
  for (const test of tests) {
    try {
      results.push(await runOne(ruleset, classifier, test));
    } catch (error) {
      const failures = [`error: ${(error as Error).message}`];
      results.push({ test, passed: false, failures, got: [] });
    }
  }
  return results;
}

async function runOne(
  ruleset: Ruleset,
  classifier: Classifier,
  test: RuleTest,
): Promise<TestResult> {
  const g = test.given;
  if (g.kind === 'scenario') {
    const expected = test.expect as KeyExpectation[];
    const got = await runScenario(ruleset, g.scenario, expected);
    const failures = expected.flatMap((e, i) => {
      const where = `${e.sku} ${e.location} ${e.bucket} ${e.source}: `;
      const gi = got[i];
      return gi
        ? compare(e, gi).map((f) => where + f)
        : [`${where}not compared (no source reports it)`];
    });
    return {
      test,
      passed: failures.length === 0,
      failures,
      got: got.filter((x): x is Got => x !== null),
    };
  }
  const got =
    g.kind === 'labels'
      ? labelsGot(ruleset, g.labels)
      : await factsGot(ruleset, classifier, g.facts);
  const failures = compare(test.expect as Expectation, got);
  return { test, passed: failures.length === 0, failures, got: [got] };
}

function labelsGot(ruleset: Ruleset, labels: Record<string, string>): Got {
  const r = routeFor(ruleset, labels);
  return {
    outcome: 'exception',
    rule: '',
    route: r.receivers.map((x) => x.name),
    routeNodes: r.leaves.map((n) => n.id),
  };
}

async function factsGot(
  ruleset: Ruleset,
  classifier: Classifier,
  given: Record<string, string | number | boolean>,
): Promise<Got> {
  const facts = factsFor(given);
  const pending = classifier.decide(facts as unknown as Record<string, unknown>);
  const d = pending instanceof Promise ? await pending : pending;
  return gotFrom(ruleset, d.outcome, d.causes, d.decidedBy?.name ?? 'fallback', facts);
}

/** One line per expected field that differs: "cause: expected X, got Y". */
export function compare(e: Expectation, got: Got): string[] {
  const out: string[] = [];
  const check = (field: string, want: unknown, have: unknown) => {
    if (want !== undefined && want !== have)
      out.push(`${field}: expected ${fmt(want)}, got ${fmt(have)}`);
  };
  check('outcome', e.outcome, got.outcome);
  check('code', e.code, got.code);
  check('severity', e.severity, got.severity);
  check('cause', e.cause, got.cause);
  check('rule', e.rule, got.rule);
  if (e.route !== undefined) {
    const want = Array.isArray(e.route) ? e.route : [e.route];
    if (want.join(',') !== got.route.join(','))
      out.push(`route: expected [${want.join(', ')}], got [${got.route.join(', ')}]`);
  }
  if (out.length > 0) out.push(`  got: ${describeGot(got)}`);
  return out;
}

export function describeGot(g: Got): string {
  const what =
    g.outcome === 'exception'
      ? `exception ${g.severity ?? ''} ${g.cause ?? ''}`.trim()
      : g.outcome === 'explained'
        ? `explained ${g.code}`
        : 'match';
  const route = g.route.length ? ` → ${g.route.join(', ')}` : '';
  return `${what}${g.rule ? ` (rule ${g.rule})` : ''}${route}`;
}

const fmt = (v: unknown) => (v === undefined ? '(none)' : String(v));
