/**
 * Measures classification cost per evaluation: json-rules-engine (one Engine reused,
 * sequential) against the compiled predicates, on the test rules and random fact sets.
 * Run: node --max-semi-space-size=64 --import tsx bench/measure-jre.ts
 */
import { createJreEvaluator } from '../engine/core/classify/jre.ts';
import { createClassifier } from '../engine/core/classify/classifier.ts';
import { DEMO_RULES } from '../test/support/engine/demo-rules.ts';
import { FACTS, FACT_NAMES } from '../engine/core/facts.ts';
import type { ClassificationRule } from '../engine/core/rules/types.ts';

const rules: ClassificationRule[] = DEMO_RULES.map((r) => ({ ...r, file: 'm', line: 1 }));

function randomFacts(i: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [j, name] of FACT_NAMES.entries()) {
    const type = FACTS[name].type;
    const n = ((i * 7919 + j * 104729) % 23) - 11;
    out[name] = type === 'number' ? n : type === 'boolean' ? n > 0 : n > 0 ? 'sellable' : 'erp';
  }
  return out;
}

async function main(): Promise<void> {
  const sets = Array.from({ length: 20_000 }, (_, i) => randomFacts(i));
  const jre = createJreEvaluator(rules);
  let start = performance.now();
  for (const f of sets) await jre.evaluate(f);
  const jreMs = performance.now() - start;
  const compiled = createClassifier({ rules, fallback: { type: 'match' } });
  start = performance.now();
  for (let round = 0; round < 10; round++) for (const f of sets) compiled.decide(f);
  const compiledMs = (performance.now() - start) / 10;
  const perSec = (ms: number) => Math.round((sets.length / ms) * 1000).toLocaleString('en');
  console.log(`rules: ${rules.length}, fact sets: ${sets.length}`);
  console.log(
    `json-rules-engine: ${perSec(jreMs)}/s (${((jreMs * 1000) / sets.length).toFixed(1)} µs each)`,
  );
  console.log(
    `compiled:          ${perSec(compiledMs)}/s (${((compiledMs * 1000) / sets.length).toFixed(2)} µs each)`,
  );
}

await main();
