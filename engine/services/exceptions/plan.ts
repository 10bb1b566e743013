/**
 * Pure part of persisting a run: given the exceptions on record and this run's exception
 * results, decide which are new, which continue, which come back and which are gone.
 */
import type { Key, KeyResult } from '../../core/recon/types.ts';
import type { ExceptionState } from './states.ts';
import { fingerprintOf } from '../store/runs.ts';

export type Known = {
  id: number;
  fingerprint: string;
  sku: string;
  location: string;
  bucket: string;
  state: ExceptionState;
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
};

export const RECURRENCE_WINDOW_DAYS = 30;
export const PROCESS_FAILURE_OCCURRENCES = 3;

/**
 * `full` runs resolve every live exception whose fingerprint is absent. An incremental run saw
 * only some keys, so absence elsewhere proves nothing; on the keys it reconciled
 * (`touchedKeys`) absence is proof, and a live exception there that was not raised again is
 * resolved.
 */
export function planExceptions(
  known: Map<string, Known>,
  results: KeyResult[],
  mode: 'full' | 'incremental',
  asOf: string,
  touchedKeys: readonly Key[] = [],
): Plan {
  const plan: Plan = { fresh: [], continuing: [], reopened: [], resolved: [] };
  const seen = new Set<string>();
  for (const result of results) {
    // one problem, one exception: a linked comparison lives on its primary's evidence
    if (result.outcome.type !== 'exception' || result.problem?.primary === false) continue;
    const fp = fingerprintOf(result);
    if (seen.has(fp)) continue;
    seen.add(fp);
    const k = known.get(fp);
    if (!k) plan.fresh.push(result);
    else if (k.state === 'resolved')
      plan.reopened.push({ known: k, result, ...recurrence(k, asOf) });
    else plan.continuing.push({ known: k, result });
  }
  const touched = new Set(touchedKeys.map(keyOf));
  const gone = (k: Known) => mode === 'full' || touched.has(keyOf(k));
  if (mode === 'full' || touched.size > 0) {
    for (const k of known.values())
      if (k.state !== 'resolved' && !seen.has(k.fingerprint) && gone(k)) plan.resolved.push(k);
  }
  return plan;
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
