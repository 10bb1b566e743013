/**
 * Facts, decision and evidence for every comparison the compare loop handed over: the facts of
 * all, then the rules over all (the rule phase, timed apart), then the evidence of each.
 */
import type { Classifier, Decision } from '../classify/classifier.ts';
import type { KeyResult } from './types.ts';
import { buildFacts, type Built, type FactInputs } from './facts-builder.ts';
import { buildEvidence } from './evidence.ts';
import { fingerprint } from './fingerprint.ts';
import { candidateRanker } from './candidates.ts';

export async function classifyWork(inp: FactInputs, classifier: Classifier, todo: Int32Array) {
  const results: KeyResult[] = [];
  // every exception rule is a candidate cause, ranked with its facts for and against
  const rank = candidateRanker(
    inp.intake.ruleset.classification.rules.filter((r) => r.outcome.type === 'exception'),
  );
  const built: Built[] = [];
  for (let t = 0; t < todo.length; t += 2) built.push(buildFacts(inp, todo[t]!, todo[t + 1]!));
  // the rule phase, timed alone: the rules over every comparison's facts, in one pass
  const ruleStart = performance.now();
  const decisions: Decision[] = [];
  for (const b of built) {
    const pending = classifier.decide(b.facts as unknown as Record<string, unknown>);
    decisions.push(pending instanceof Promise ? await pending : pending);
  }
  const rulesMs = performance.now() - ruleStart;
  let matched = 0;
  for (let d = 0; d < decisions.length; d++) {
    const [k, decision, b] = [todo[2 * d]!, decisions[d]!, built[d]!];
    const facts = b.facts as unknown as Record<string, unknown>;
    const outcome = decision.outcome;
    if (outcome.type === 'match') {
      matched++;
      continue;
    }
    const sl = k >> 2;
    const sku = inp.intake.skus.value(inp.intake.skuLocs.skuOf.get(sl));
    const location = inp.intake.locations.value(inp.intake.skuLocs.locOf.get(sl));
    const f = b.facts;
    const cause = outcome.type === 'exception' ? outcome.rootCause : outcome.code;
    const traces = classifier.explain(facts, decision.fired, decision.fired);
    const events = inp.keyEvents.get(sl) ?? [];
    const result: KeyResult = {
      sku,
      location,
      bucket: f.bucket as KeyResult['bucket'],
      source: f.source,
      outcome,
      causes: decision.causes,
      variance: f.variance,
      valueAtRiskMinor: b.valueAtRiskMinor,
      ...(b.unitCost !== undefined ? { unitCost: b.unitCost } : {}),
      fingerprint: fingerprint(sku, location, f.bucket, f.source, cause),
      evidence: buildEvidence(
        inp.intake,
        inp.space,
        k,
        b,
        decision,
        traces,
        events,
        inp.match.pairedBy,
      ),
    };
    if (outcome.type === 'exception') {
      result.severity = outcome.severity;
      result.evidence!.candidates = rank(facts, decision.fired);
    }
    results.push(result);
  }
  return { results, matched, evaluated: todo.length / 2, rulesMs };
}
