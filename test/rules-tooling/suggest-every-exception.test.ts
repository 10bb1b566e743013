/**
 * "This holds in general — suggest a rule" must post a rule that passes its own posted test, for
 * every exception of the demo: the rule is pasted under `rules:` of a copy of the demo rules, the
 * test saved under its tests folder, and the rule-test runner (engine/services/rulestest) runs it.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileFolder } from '../../server/pipeline.ts';
import { loadRulesetOrThrow } from '../../engine/core/rules/index.ts';
import type { Ruleset } from '../../engine/core/rules/types.ts';
import type { KeyResult } from '../../engine/core/recon/types.ts';
import { suggestRule } from '../../engine/services/suggest/index.ts';
import { loadRuleTests, runRuleTests } from '../../engine/services/rulestest/index.ts';
import { rulesBlockYaml } from '../../bot/views/rule-suggestion.ts';
import { AS_OF, demoData, tempDir } from './setup.ts';

const tmp = tempDir('suggest-every');
let data = '';
let ruleset: Ruleset;
let exceptions: KeyResult[] = [];

beforeAll(async () => {
  data = await demoData(tmp.dir);
  const result = await reconcileFolder({
    rulesDir: join(data, 'rules'),
    dataDir: data,
    asOf: AS_OF,
  });
  ruleset = result.ruleset;
  exceptions = result.run.results.filter((k) => k.outcome.type === 'exception');
}, 120_000);
afterAll(() => tmp.remove());

/** The suggestion pasted as the Slack message shows it; its test result. */
async function passesItsOwnTest(k: KeyResult, n: number): Promise<string[]> {
  const suggestion = suggestRule(ruleset, {
    facts: k.evidence!.facts,
    code: 'KNOWN_CASE',
    decidedBy: k.evidence!.decidedBy?.rule ?? null,
    exceptionId: n,
  });
  const rules = join(tmp.dir, `rules-${n}`);
  cpSync(join(data, 'rules'), rules, { recursive: true });
  const cls = join(rules, 'classification.yaml');
  const item = rulesBlockYaml(suggestion).replace(/^rules:\n/, '');
  writeFileSync(cls, `${readFileSync(cls, 'utf8').trimEnd()}\n\n${item}`);
  writeFileSync(join(rules, 'tests', `${suggestion.name}.yaml`), suggestion.testYaml);
  const withRule = await loadRulesetOrThrow(rules);
  const loaded = await loadRuleTests(join(rules, 'tests'), withRule);
  expect(loaded.problems).toEqual([]);
  const own = loaded.tests.filter((t) => t.file.endsWith(`${suggestion.name}.yaml`));
  expect(own).toHaveLength(1);
  const [result] = await runRuleTests(withRule, own);
  return result!.failures;
}

describe('suggested rules on the demo exceptions', () => {
  it('finds the demo exceptions', () => {
    expect(exceptions.length).toBeGreaterThanOrEqual(11);
  });

  it('each passes its own posted test', async () => {
    const failing: string[] = [];
    for (const [i, k] of exceptions.entries()) {
      const failures = await passesItsOwnTest(k, i + 1);
      if (failures.length > 0)
        failing.push(`${k.sku} ${k.location} ${k.bucket} ${k.source}: ${failures.join('; ')}`);
    }
    expect(failing).toEqual([]);
  }, 120_000);
});
