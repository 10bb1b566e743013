/** Facts, decision and evidence for every comparison the compare loop handed over. */
import type { Classifier } from '../classify/classifier.ts';
import type { KeyResult } from './types.ts';
import { buildFacts, type FactInputs } from './facts-builder.ts';
import { buildEvidence } from './evidence.ts';
import { fingerprint } from './fingerprint.ts';
import { rankCandidates } from './candidates.ts';

export async function classifyWork(inp: FactInputs, classifier: Classifier, todo: Int32Array) {
  const results: KeyResult[] = [];
  // every exception rule is a candidate cause, ranked with its facts for and against
  const candidates = inp.intake.ruleset.classification.rules.filter(
    (r) => r.outcome.type === 'exception',
  );
  let matched = 0;
  for (let t = 0; t < todo.length; t += 2) {
    const [k, src] = [todo[t] as number, todo[t + 1] as number];
    const built = buildFacts(inp, k, src);
    const facts = built.facts as unknown as Record<string, unknown>;
    const pending = classifier.decide(facts);
    const decision = pending instanceof Promise ? await pending : pending;
    const outcome = decision.outcome;
    if (outcome.type === 'match') {
      matched++;
      continue;
    }
    const sl = k >> 2;
    const sku = inp.intake.skus.value(inp.intake.skuLocs.skuOf.get(sl));
    const location = inp.intake.locations.value(inp.intake.skuLocs.locOf.get(sl));
    const f = built.facts;
    const cause = outcome.type === 'exception' ? outcome.rootCause : outcome.code;
    const traces = classifier.explain(facts, decision.fired);
    const events = inp.keyEvents.get(sl) ?? [];
    const result: KeyResult = {
      sku,
      location,
      bucket: f.bucket as KeyResult['bucket'],
      source: f.source,
      outcome,
      causes: decision.causes,
      variance: f.variance,
      valueAtRiskMinor: built.valueAtRiskMinor,
      ...(built.unitCost !== undefined ? { unitCost: built.unitCost } : {}),
      fingerprint: fingerprint(sku, location, f.bucket, f.source, cause),
      evidence: buildEvidence(
        inp.intake,
        inp.space,
        k,
        built,
        decision,
        traces,
        events,
        inp.match.pairedBy,
      ),
    };
    if (outcome.type === 'exception') {
      result.severity = outcome.severity;
      const traced = classifier.explain(facts, candidates);
      result.evidence!.candidates = rankCandidates(candidates, traced);
    }
    results.push(result);
  }
  return { results, matched, evaluated: todo.length / 2 };
}
