/**
 * Scores a run against the generator's ground truth: exception precision and recall over
 * (key, source), and every disagreement with what was expected, named.
 */
import type { KeyResult, RunResult } from '../engine/core/recon/types.ts';
import { truthKey, type GroundTruth, type TruthEntry } from '../demo/truth.ts';

export type Disagreement = { key: string; cause?: string; expected: string; got: string };

export type TruthScore = {
  precision: number;
  recall: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  disagreements: Disagreement[];
};

export function describeOutcome(r: KeyResult | undefined): string {
  if (!r || r.outcome.type === 'match') return 'match';
  if (r.outcome.type === 'explained') return `explained ${r.outcome.code}`;
  return `exception ${r.outcome.rootCause}`;
}

function describeExpected(e: TruthEntry): string {
  const x = e.expected;
  if (x.type === 'match') return 'match';
  return x.type === 'explained' ? `explained ${x.code}` : `exception ${x.rootCause}`;
}

function agrees(e: TruthEntry, r: KeyResult | undefined): boolean {
  const x = e.expected;
  const got = r?.outcome ?? { type: 'match' as const };
  if (x.type !== got.type) return false;
  if (x.type === 'explained' && got.type === 'explained') {
    return got.code === x.code || (x.alsoAccept ?? []).includes(got.code);
  }
  if (x.type === 'exception' && got.type === 'exception') return got.rootCause === x.rootCause;
  return true;
}

export function scoreAgainstTruth(run: RunResult, truth: GroundTruth): TruthScore {
  const got = new Map(run.results.map((r) => [truthKey(r), r]));
  const expected = new Map(truth.entries.map((e) => [truthKey(e), e]));
  const disagreements: Disagreement[] = [];
  let tp = 0;
  let fn = 0;
  for (const [key, e] of expected) {
    const r = got.get(key);
    if (!agrees(e, r)) {
      disagreements.push({
        key,
        cause: e.cause,
        expected: describeExpected(e),
        got: describeOutcome(r),
      });
    }
    if (e.expected.type !== 'exception') continue;
    if (r?.outcome.type === 'exception') tp++;
    else fn++;
  }
  let fp = 0;
  for (const [key, r] of got) {
    if (r.outcome.type !== 'exception') continue;
    const e = expected.get(key);
    if (e?.expected.type === 'exception') continue;
    fp++;
    if (!e)
      disagreements.push({ key, expected: 'match (not in ground truth)', got: describeOutcome(r) });
  }
  return {
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    disagreements,
  };
}
