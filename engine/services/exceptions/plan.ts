/**
 * Pure part of persisting a run: given the exceptions on record and this run's exception
 * results, decide which are new, which continue, which come back and which are gone.
 */
import type { Key, KeyResult, RunResult } from '../../core/recon/types.ts';
import type { ExceptionState } from './states.ts';
import { fingerprintOf } from '../store/runs.ts';

export type Known = {
  id: number;
  fingerprint: string;
  sku: string;
  location: string;
  bucket: string;
  /** The source whose comparison raised it. */
  source: string;
  /** Its cause (part of its fingerprint). */
  cause: string;
  state: ExceptionState;
  assignee: string | null;
  /** The as-of of the last run that raised it. */
  last_seen_at: string;
  /** When it was resolved (a run's as-of, or the time a person resolved it); null while live. */
  resolved_at: string | null;
  version: number;
  recurrence_count: number;
  recent_occurrences: string;
  process_failure: number;
  opened_at: string;
  last_matched_run_id: string | null;
  last_matched_at: string | null;
  ruleset_version: string;
  /** What its Slack message showed at the last save (rows.ts cardDigest); null before 014. */
  card_digest: string | null;
  /** The last run that changed it. */
  card_run_id: string | null;
};

export type Plan = {
  fresh: KeyResult[];
  continuing: { known: Known; result: KeyResult }[];
  reopened: { known: Known; result: KeyResult; occurrences: string[]; processFailure: boolean }[];
  resolved: Known[];
  /**
   * Live exceptions absent from the results on keys the run covers whose own comparison the run
   * did not make (their source failed, sent no snapshot at their location, or a refused row left
   * the key incomplete): absence proves nothing about them, so they stay as they are.
   */
  notCompared: Known[];
  /**
   * Of `resolved`, those the run's rules no longer compare at all (their source, its location or
   * the bucket was taken out of them): resolved as retired, not as a difference gone.
   */
  retired: Set<Known>;
  /**
   * A fresh or reopened exception that continues one this run resolves: the same source at the
   * same key, the difference still there under another cause (the cause is part of the
   * fingerprint). Its history says so both ways; a fresh one starts with the assignee the other
   * had (a reopened one keeps its own).
   */
  continues: Map<KeyResult, Known>;
  /**
   * Exceptions a run as of a later time already decided (raised or resolved after this run's
   * as-of): an older run does not move them back in time.
   */
  decidedLater: Known[];
  /**
   * Exceptions this run found that are on no record, left unopened because a saved full run as
   * of a later time says how things stand now (a run as of an earlier time is history).
   */
  notOpened: KeyResult[];
};

/** What a run is weighed against besides the exceptions on record. */
export type PlanContext = {
  /**
   * Incremental runs: the keys the run reconciled. A live exception on one of them that the run
   * did not raise again has gone away (other keys of an incremental run are left alone).
   */
  touchedKeys?: readonly Key[];
  /** Which comparisons the run made (comparedIn); undefined: every one. */
  compared?: ComparedCheck;
  /** The as-of of the latest saved full run other than this one, when later than this run's. */
  laterFullRunAsOf?: string;
};

/**
 * Whether a run made the comparison an exception was raised on (its source at its key):
 * `made`, `not_made` (the rules have it compared, the run could not), or `not_in_rules` (the
 * run's rules no longer compare that source there, or that bucket: no run will again).
 */
export type ComparedCheck = (
  k: Pick<Known, 'source' | 'sku' | 'location' | 'bucket'>,
) => 'made' | 'not_made' | 'not_in_rules';

/**
 * The comparisons a run made, from its summary: its source compared at its location (the run's
 * comparedBy), and neither the key nor the location listed as not compared for that source; and
 * which its rules have at all (covers). Undefined for a run without comparedBy (every absence
 * then counts).
 */
export function comparedIn(
  run: Pick<RunResult, 'summary' | 'notCompared' | 'covers'>,
): ComparedCheck | undefined {
  const by = run.summary.comparedBy;
  if (!by) return undefined;
  const at = new Set<string>();
  for (const c of by) if (c.compared > 0) at.add(`${c.source}\u0000${c.location}`);
  const out = new Set<string>();
  for (const n of run.notCompared ?? [])
    out.add(`${n.source}\u0000${n.location}\u0000${n.sku ?? ''}`);
  const covers = run.covers && new Map(run.covers.map((c) => [c.source, c]));
  return (k) => {
    const cover = covers?.get(k.source);
    if (covers && !(cover?.locations.includes(k.location) && cover.buckets.includes(k.bucket)))
      return 'not_in_rules';
    const where = `${k.source}\u0000${k.location}`;
    const made = at.has(where) && !out.has(`${where}\u0000${k.sku}`) && !out.has(`${where}\u0000`);
    return made ? 'made' : 'not_made';
  };
}

export const RECURRENCE_WINDOW_DAYS = 30;
export const PROCESS_FAILURE_OCCURRENCES = 3;

/**
 * `full` runs resolve every live exception whose fingerprint is absent. An incremental run saw
 * only some keys, so absence elsewhere proves nothing; on the keys it reconciled
 * (`touchedKeys`) absence is proof, and a live exception there that was not raised again is
 * resolved. Either way only where the run made the exception's own comparison (`compared`): a
 * source that failed or sent nothing resolves none of its exceptions. And only where no run as
 * of a later time decided already: a run as of an earlier time (a re-run of last week) neither
 * reopens, updates nor resolves what a later run left, and opens nothing when a later full
 * run is saved.
 */
export function planExceptions(
  known: Map<string, Known>,
  results: KeyResult[],
  mode: 'full' | 'incremental',
  asOf: string,
  ctx: PlanContext = {},
): Plan {
  const { touchedKeys = [], compared, laterFullRunAsOf } = ctx;
  const plan: Plan = {
    fresh: [],
    continuing: [],
    reopened: [],
    resolved: [],
    notCompared: [],
    retired: new Set(),
    continues: new Map(),
    decidedLater: [],
    notOpened: [],
  };
  const asOfMs = Date.parse(asOf);
  const later = (k: Known) => Date.parse(decidedAt(k)) > asOfMs;
  const seen = new Set<string>();
  for (const result of results) {
    // one problem, one exception: a linked comparison lives on its primary's evidence
    if (result.outcome.type !== 'exception' || result.problem?.primary === false) continue;
    const fp = fingerprintOf(result);
    if (seen.has(fp)) continue;
    seen.add(fp);
    const k = known.get(fp);
    if (!k) {
      if (laterFullRunAsOf !== undefined) plan.notOpened.push(result);
      else plan.fresh.push(result);
    } else if (later(k)) plan.decidedLater.push(k);
    else if (k.state === 'resolved')
      plan.reopened.push({ known: k, result, ...recurrence(k, asOf) });
    else plan.continuing.push({ known: k, result });
  }
  const touched = new Set(touchedKeys.map(keyOf));
  const gone = (k: Known) => mode === 'full' || touched.has(keyOf(k));
  if (mode === 'full' || touched.size > 0) {
    for (const k of known.values()) {
      if (k.state === 'resolved' || seen.has(k.fingerprint) || !gone(k)) continue;
      if (later(k)) {
        plan.decidedLater.push(k);
        continue;
      }
      const comparison = compared?.(k) ?? 'made';
      if (comparison === 'not_made') plan.notCompared.push(k);
      else {
        plan.resolved.push(k);
        if (comparison === 'not_in_rules') plan.retired.add(k);
      }
    }
  }
  linkCauseChanges(plan);
  return plan;
}

/** Pairs each fresh exception with the one resolved at its very comparison (Plan.continues). */
function linkCauseChanges(plan: Plan): void {
  if (plan.resolved.length === 0) return;
  const at = (k: { sku: string; location: string; bucket: string; source: string }) =>
    `${keyOf(k)}\u0000${k.source}`;
  const resolved = new Map<string, Known>();
  for (const k of plan.resolved) if (!plan.retired.has(k)) resolved.set(at(k), k);
  // fresh, or back under a cause it had before (reopened): either continues the resolved one
  for (const result of [...plan.fresh, ...plan.reopened.map((r) => r.result)]) {
    const before = resolved.get(at(result));
    if (before) plan.continues.set(result, before);
  }
}

/** When the exception's standing was last decided: its resolution, else its last raising. */
function decidedAt(k: Known): string {
  return (k.state === 'resolved' && k.resolved_at) || k.last_seen_at;
}

function keyOf(k: { sku: string; location: string; bucket: string }): string {
  return `${k.sku}\u0000${k.location}\u0000${k.bucket}`;
}

/** Occurrences (raise or reopen) inside the window, this one included. */
export function recurrence(
  k: Pick<Known, 'recent_occurrences' | 'process_failure'>,
  asOf: string,
): { occurrences: string[]; processFailure: boolean } {
  const cutoff = new Date(Date.parse(asOf) - RECURRENCE_WINDOW_DAYS * 86_400_000).toISOString();
  const previous = (JSON.parse(k.recent_occurrences || '[]') as string[]).filter((t) => t > cutoff);
  const occurrences = [...previous, asOf];
  return {
    occurrences,
    processFailure: k.process_failure === 1 || occurrences.length >= PROCESS_FAILURE_OCCURRENCES,
  };
}
