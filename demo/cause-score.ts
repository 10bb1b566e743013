/**
 * Scores a run against the injected causes problem by problem: a problem is one injected cause
 * at one SKU × location (a status move touches two buckets, a mirroring channel a second
 * source; still one problem). Counts whether it was raised (recall), whether what was raised
 * belongs to a real problem (precision), whether the primary cause is the injected one (cause
 * accuracy), and how many exceptions one problem produced.
 */
import type { KeyResult, RunResult } from '../engine/core/recon/types.ts';
import { truthKey, type GroundTruth, type TruthEntry } from './truth.ts';

export type ProblemScore = {
  cause: string;
  kind: 'exception' | 'explained';
  label: string;
  where: string;
  detected: boolean;
  /** Exceptions (problems as the run groups them) raised on the problem's comparisons. */
  exceptions: number;
  named: string;
  correct: boolean;
};

export type RaisedScore = { cause: string; truePositive: boolean; where: string };

export type CauseScore = { problems: ProblemScore[]; raised: RaisedScore[] };

/** The run's problem of a result: its group when the run groups, else the comparison itself. */
const problemOf = (r: KeyResult) => r.problem?.id ?? r.fingerprint ?? truthKey(r);
const causeOf = (r: KeyResult | undefined) =>
  !r || r.outcome.type === 'match'
    ? 'match'
    : r.outcome.type === 'explained'
      ? r.outcome.code
      : r.outcome.rootCause;

function expectedCause(e: TruthEntry): string {
  const x = e.expected;
  return x.type === 'exception' ? x.rootCause : x.type === 'explained' ? x.code : 'match';
}

function truthProblems(truth: GroundTruth): Map<string, TruthEntry[]> {
  const out = new Map<string, TruthEntry[]>();
  for (const e of truth.entries) {
    if (!e.cause || e.expected.type === 'match') continue;
    const id = `${e.cause}|${e.sku}|${e.location}`;
    const list = out.get(id);
    if (list) list.push(e);
    else out.set(id, [e]);
  }
  return out;
}

export function scoreCauses(run: RunResult, truth: GroundTruth): CauseScore {
  const byKey = new Map(run.results.map((r) => [truthKey(r), r]));
  const exceptions = run.results.filter((r) => r.outcome.type === 'exception');
  const primaries = new Map<string, KeyResult>();
  for (const r of exceptions) {
    const id = problemOf(r);
    if (r.problem?.primary !== false && !primaries.has(id)) primaries.set(id, r);
  }
  const touched = new Set<string>();
  const problems: ProblemScore[] = [];
  for (const entries of truthProblems(truth).values()) {
    const first = entries[0]!;
    const cause = expectedCause(first);
    const where = `${first.sku} @ ${first.location}`;
    const got = entries.map((e) => byKey.get(truthKey(e)));
    if (first.expected.type === 'explained') {
      const accepted = [first.expected.code, ...(first.expected.alsoAccept ?? [])];
      const named = causeOf(got[0]);
      const correct = got.every((r) => r?.outcome.type === 'explained')
        ? accepted.includes(named)
        : false;
      const kind = 'explained' as const;
      problems.push({
        cause,
        kind,
        label: first.cause!,
        where,
        detected: true,
        exceptions: 0,
        named,
        correct,
      });
      continue;
    }
    const ids = [
      ...new Set(got.filter((r) => r?.outcome.type === 'exception').map((r) => problemOf(r!))),
    ];
    ids.forEach((id) => touched.add(id));
    const primary = ids.map((id) => primaries.get(id)).find((r) => r !== undefined);
    const named = causeOf(primary);
    problems.push({
      cause,
      kind: 'exception',
      label: first.cause!,
      where,
      detected: ids.length > 0,
      exceptions: ids.length,
      named,
      correct: named === cause,
    });
  }
  const raised = [...primaries].map(([id, r]) => ({
    cause: causeOf(r),
    truePositive: touched.has(id),
    where: `${r.sku} @ ${r.location} ${r.bucket} (${r.source})`,
  }));
  return { problems, raised };
}

export type CauseLine = {
  cause: string;
  kind: 'exception' | 'explained';
  problems: number;
  detected: number;
  correct: number;
  exceptions: number;
  raised: number;
  raisedTrue: number;
};

export type CauseReport = {
  lines: CauseLine[];
  overall: CauseLine;
  /** Problems whose cause was named wrong or that were missed, and raised exceptions of none. */
  misses: string[];
};

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
export const precisionOf = (l: CauseLine) => ratio(l.raisedTrue, l.raised);
export const recallOf = (l: CauseLine) => ratio(l.detected, l.problems);
export const accuracyOf = (l: CauseLine) => ratio(l.correct, l.problems);
export const perProblemOf = (l: CauseLine) => ratio(l.exceptions, l.detected);

/** Adds up scores (one per seed) per injected cause and overall (exception causes only). */
export function summarizeCauses(scores: { seed: number; score: CauseScore }[]): CauseReport {
  const lines = new Map<string, CauseLine>();
  const line = (cause: string, kind: CauseLine['kind']) => {
    let l = lines.get(cause);
    if (!l) {
      l = {
        cause,
        kind,
        problems: 0,
        detected: 0,
        correct: 0,
        exceptions: 0,
        raised: 0,
        raisedTrue: 0,
      };
      lines.set(cause, l);
    }
    return l;
  };
  const misses: string[] = [];
  for (const { seed, score } of scores) {
    for (const p of score.problems) {
      const l = line(p.cause, p.kind);
      l.problems++;
      if (p.detected) l.detected++;
      if (p.correct) l.correct++;
      l.exceptions += p.exceptions;
      if (!p.correct || p.exceptions > 1) {
        misses.push(
          `seed ${seed} ${p.label} ${p.where}: expected ${p.cause}, got ${p.named} (${p.exceptions} exceptions)`,
        );
      }
    }
    for (const r of score.raised) {
      const l = line(r.cause, 'exception');
      l.raised++;
      if (r.truePositive) l.raisedTrue++;
      else misses.push(`seed ${seed} raised ${r.cause} at ${r.where}: no injected problem there`);
    }
  }
  const all = [...lines.values()].sort(
    (a, b) => a.kind.localeCompare(b.kind) || a.cause.localeCompare(b.cause),
  );
  const overall: CauseLine = {
    cause: 'overall',
    kind: 'exception',
    problems: 0,
    detected: 0,
    correct: 0,
    exceptions: 0,
    raised: 0,
    raisedTrue: 0,
  };
  for (const l of all) {
    if (l.kind !== 'exception') continue;
    for (const k of [
      'problems',
      'detected',
      'correct',
      'exceptions',
      'raised',
      'raisedTrue',
    ] as const)
      overall[k] += l[k];
  }
  return { lines: all, overall, misses };
}
