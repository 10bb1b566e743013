/**
 * A reconciliation run as of T: settle the intake, project the ledger, match events, compare
 * every source with the expected position, and classify only what differs or is pending.
 */
import { randomUUID } from 'node:crypto';
import { InputError } from '../errors.ts';
import type { Intake } from '../normalize/intake.ts';
import { projectExpected } from '../ledger/expected.ts';
import { matchEvents } from '../match/match.ts';
import { createClassifier } from '../classify/classifier.ts';
import { bucketId, bucketOf } from '../model/keys.ts';
import { keyId } from '../model/skuloc.ts';
import type { Bucket } from '../model/types.ts';
import type {
  Key,
  KeyResult,
  PhaseDurations,
  RunResult,
  RunSummary,
  SourceCover,
} from './types.ts';
import { buildKeySpace } from './keyspace.ts';
import { findWork, indexKeyEvents } from './work.ts';
import { classifyWork } from './classify-work.ts';
import { comparedBy } from './compared-by.ts';
import { groupProblems, isPrimary } from './problems.ts';
import { Blocked } from './blocked.ts';
import { rowsOfSkus } from '../normalize/sku-rows.ts';
import { currencyOfRules } from '../rules/types.ts';
import { settleTransfers } from '../normalize/transfers.ts';
import { collectGarbage } from '../collect.ts';

export type ReconcileOptions = {
  asOf: string;
  /** Incremental run over these keys only; the result equals a full run's for them. */
  keys?: Key[];
  runId?: string;
  /** Parse time measured by the caller (connectors), reported in the durations. */
  parseMs?: number;
  /** Sources that failed to load: their comparisons, and those their ledger books, are left out. */
  unavailable?: readonly string[];
  /**
   * Let go of the snapshot rows (positions, openings) once the key space is built, and collect
   * them before classifying, the run's memory peak (1M keys: peak RSS ~1,000 -> ~820 MiB, for a
   * collection of ~0.1 s): for an intake read once and reconciled once, by a caller that reads
   * no row of them after (reconcileFolder). Never the live path's incremental runs.
   */
  releaseSnapshots?: boolean;
};

/** Each source's compare locations and buckets under the run's rules (RunResult.covers). */
function coversOf(intake: Intake): SourceCover[] {
  return intake.ctx.sources.map((s) => ({
    source: s.def.id,
    locations: [...s.def.locations],
    buckets: [...s.buckets].map(bucketOf),
  }));
}

function keyFilter(intake: Intake, keys: Key[] | undefined) {
  if (!keys) return { skus: undefined, packed: undefined };
  const skus = new Set<number>();
  const packed = new Set<number>();
  for (const k of keys) {
    const sku = intake.skus.find(k.sku);
    const loc = intake.locations.find(k.location);
    const sl = sku === undefined || loc === undefined ? undefined : intake.skuLocs.find(sku, loc);
    if (sku === undefined || sl === undefined) continue;
    skus.add(sku);
    packed.add(keyId(sl, bucketId(k.bucket as Bucket)));
  }
  return { skus, packed };
}

export async function reconcile(intake: Intake, options: ReconcileOptions): Promise<RunResult> {
  const startedAt = new Date().toISOString();
  const asOfMs = Date.parse(options.asOf);
  if (Number.isNaN(asOfMs)) {
    throw new InputError('BAD_AS_OF', `as-of "${options.asOf}" is not an ISO-8601 time`);
  }
  const clock = phaseClock();
  intake.flush();
  const { skus } = keyFilter(intake, options.keys);
  // an incremental run reads the rows of its skus only (the live path: one event, a few keys)
  const rows = skus ? rowsOfSkus(intake, skus) : undefined;
  try {
    settleTransfers(intake, rows);
    const normalizeMs = clock();
    const ledger = projectExpected(intake, asOfMs, rows);
    // after the replay: a transfer creates the sku × location of its destination there
    const { packed } = keyFilter(intake, options.keys);
    const ledgerMs = clock();
    const space = buildKeySpace(intake, asOfMs, ledger, rows);
    const selectMs = clock();
    let collectMs: number | undefined;
    if (options.releaseSnapshots) {
      intake.positions.release();
      intake.openings.release();
      await collectGarbage();
      collectMs = clock();
    }
    const match = matchEvents(intake, asOfMs, ledger.matchFrom, rows);
    const matchMs = clock();
    const blocked = new Blocked(
      intake,
      options.unavailable ?? [],
      new Set(ledger.matchFrom.keys()),
      { asOfMs, space },
    );
    const work = findWork(intake, space, match, packed, blocked);
    const notCompared = blocked.entries();
    const keyEvents = indexKeyEvents(intake, asOfMs, work.skuLocations, rows?.events);
    const classifier = createClassifier(intake.ruleset.classification);
    const inputs = { intake, space, match, asOfMs, keyEvents };
    const classified = await classifyWork(inputs, classifier, work.todo);
    groupProblems(classified.results);
    const classifyMs = clock();
    const summary: RunSummary = {
      keys: work.keys,
      compared: work.compared,
      matched: work.matched + classified.matched,
      explained: {},
      exceptions: {},
      exceptionsBySeverity: {},
      rulesEvaluated: classified.evaluated,
      notCompared: notCompared.reduce((n, e) => n + e.comparisons, 0),
      comparedBy: comparedBy(intake, work.comparedAt, classified.results),
    };
    tally(summary, classified.results);
    const parseMs = options.parseMs ?? 0;
    const durations: PhaseDurations = {
      parseMs,
      normalizeMs: normalizeMs + selectMs,
      ...(collectMs === undefined ? {} : { collectMs }),
      ledgerMs,
      matchMs,
      classifyMs,
      rulesMs: classified.rulesMs,
      totalMs:
        parseMs + normalizeMs + selectMs + (collectMs ?? 0) + ledgerMs + matchMs + classifyMs,
    };
    return {
      runId: options.runId ?? randomUUID(),
      asOf: new Date(asOfMs).toISOString(),
      startedAt,
      rulesetVersion: intake.ruleset.version,
      currency: currencyOfRules(intake.ruleset),
      mode: options.keys ? 'incremental' : 'full',
      inputs: [],
      findings: [...intake.findings],
      runFindings: [],
      notCompared,
      covers: coversOf(intake),
      results: classified.results,
      summary,
      durations,
    };
  } finally {
    rows?.done();
  }
}

function tally(summary: RunSummary, results: KeyResult[]): void {
  const add = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);
  for (const r of results) {
    if (r.outcome.type === 'explained') add(summary.explained, r.outcome.code);
    if (r.outcome.type === 'exception') {
      summary.exceptionComparisons = (summary.exceptionComparisons ?? 0) + 1;
      if (!isPrimary(r)) continue;
      add(summary.exceptions, r.outcome.rootCause);
      add(summary.exceptionsBySeverity, r.outcome.severity);
    }
  }
}

/** Returns the milliseconds since the previous call. */
function phaseClock(): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const ms = now - last;
    last = now;
    return ms;
  };
}
