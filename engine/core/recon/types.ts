/** What a reconciliation run produces. Persistence (engine/store) and the bot read these. */
import type { Bucket, MovementEvent, NormalizationFinding, Origin } from '../model/types.ts';
import type { Outcome, RulesetVersion, Severity } from '../rules/types.ts';
import type { Facts } from '../facts.ts';
import type { Currency } from '../model/money.ts';
import type { CandidateCause } from './candidates.ts';

export type Key = { sku: string; location: string; bucket: Bucket };

import type { RuleTrace } from '../classify/trace.ts';
export type { ConditionTrace, RuleTrace } from '../classify/trace.ts';

export type UnmatchedEvent = {
  source: string;
  sourceEventId: string;
  type: string;
  reference?: string;
  quantity: number;
  occurredAt: string;
  /** Sources expected to record the same movement and lacking it. */
  missingIn: string[];
  /** 'timing' inside the lag window; 'break' past it. */
  status: 'timing' | 'break';
};

/** A comparison of the same problem shown on the primary's evidence. */
export type LinkedComparison = {
  source: string;
  bucket: Bucket;
  cause: string;
  variance: number;
  expected: number;
  quantity: number;
  fingerprint: string;
};

export type Evidence = {
  /** Quantity per source for this key (base units); `expected` is the ledger projection. */
  quantities: Record<string, number>;
  expected: number;
  variance: number;
  unit: string;
  /** Movements of the key in the window, oldest first. */
  history: MovementEvent[];
  unmatched: UnmatchedEvent[];
  /** Run id in which the key last matched, when known (filled by persistence). */
  lastMatchedRunId?: string;
  lastMatchedAt?: string;
  decidedBy: { rule: string; file: string; line: number } | null;
  rules: RuleTrace[];
  tolerance: { absolute?: number; percent?: number; value?: number; from: string } | null;
  facts: Facts;
  rulesetVersion: string;
  /** Candidate causes, most likely first, each with the facts for and against it (exceptions). */
  candidates?: CandidateCause[];
  /** The other comparisons of this problem (same SKU × location), when this is the primary. */
  linked?: LinkedComparison[];
};

export type KeyResult = Key & {
  source: string;
  outcome: Outcome;
  /** Ranked likely root causes (exceptions only), most likely first. */
  causes: string[];
  severity?: Severity;
  variance: number;
  /** |variance| × unit cost in the currency's minor units (cents for USD), exact. */
  valueAtRiskMinor: number;
  /** The item's cost of one base unit, exact decimal text; absent when the item has none. */
  unitCost?: string;
  /** sha256 of sku|location|bucket|source|cause, first 16 hex digits. */
  fingerprint?: string;
  evidence?: Evidence;
  /**
   * The problem this exception belongs to: exceptions of one SKU × location are one problem
   * with one primary comparison; the others are its linked evidence.
   */
  problem?: { id: string; primary: boolean };
};

export type PhaseDurations = {
  parseMs: number;
  normalizeMs: number;
  /**
   * A full run's collection once its positions are let go (reconcile's releaseSnapshots): the
   * memory classifying then needs comes back from them. Absent when nothing was let go.
   */
  collectMs?: number;
  ledgerMs: number;
  matchMs: number;
  classifyMs: number;
  /**
   * Of classifyMs, the rule phase: the rules evaluated for the comparisons handed to
   * classification, without building their facts or their evidence.
   */
  rulesMs?: number;
  totalMs: number;
};

/**
 * One file (or one API pull) of a run and what happened to each of its rows:
 * read = accepted + rejected + outsideAsOf + keptOut + duplicate, always.
 */
export type InputFile = {
  source: string;
  /** Relative to the data folder (`--data`); an API pull names its endpoint. */
  path: string;
  sha256: string;
  read: number;
  /** In the run: in the model and dated at or before the as-of. */
  accepted: number;
  /** Refused by the reader, each with its line and reason in the rejects file. */
  rejected: number;
  /** Dated after the run's as-of. */
  outsideAsOf: number;
  /** Kept out by a normalization finding (unknown status, sku, location or unit). */
  keptOut: number;
  /** An event id already read: the same movement is not booked twice. */
  duplicate: number;
  rejectsPath?: string;
  /** Warnings from the reader, e.g. a snapshot dated by its file's modification time. */
  notes?: string[];
  /** The file was quarantined whole by its reader: nothing of it was reconciled. */
  failed?: { code: string; message: string; line?: number };
};

/**
 * Comparisons a run left out instead of reporting a wrong variance: the keys where a row was
 * refused or repeated (`sku` set, with the rows), or every key of a source at a location when
 * that source, or the one booking the location's ledger, failed to load.
 */
export type NotCompared = {
  source: string;
  location: string;
  sku?: string;
  reason: 'rejected_rows' | 'kept_out_rows' | 'duplicate_rows' | 'source_failed';
  /** The source that failed (itself, or the location's system of record). */
  failedSource?: string;
  /** Comparisons (buckets) left out. */
  comparisons: number;
  /** The first rows that made the key incomplete; `rowCount` counts them all. */
  rows: Origin[];
  rowCount: number;
};

/**
 * Something about the run as a whole that a person must know before trusting it: a source
 * that failed to load or contributes no comparison, a file whose rows all stayed out, rows
 * repeated in one snapshot. Shown first, posted to the source's owner, and `tally run` exits
 * with EXIT.partial for it unless --allow-partial.
 */
export type RunFinding = {
  code:
    | 'SOURCE_FAILED'
    | 'SOURCE_NOT_COMPARED'
    | 'FILE_NOT_READ'
    | 'FILE_ALL_REJECTED'
    | 'FILE_ALL_OUTSIDE_AS_OF'
    | 'FILE_SHRANK'
    | 'DUPLICATE_POSITIONS';
  source: string;
  /** The file (relative to the data folder) or system the finding is about, when there is one. */
  file?: string;
  message: string;
};

/** Keys compared per location and source (sku optional), so persistence can compute accuracy. */
export type ComparedCount = {
  location: string;
  source: string;
  sku?: string;
  compared: number;
  /** Of `compared`: matched and explained (the engine fills both; storage keeps `compared`). */
  matched?: number;
  explained?: number;
};

export type RunSummary = {
  keys: number;
  compared: number;
  matched: number;
  explained: Record<string, number>;
  /** Problems (one exception each) by primary cause and by severity. */
  exceptions: Record<string, number>;
  exceptionsBySeverity: Record<string, number>;
  /** Comparisons in exception, the linked ones included (≥ the number of problems). */
  exceptionComparisons?: number;
  rulesEvaluated: number;
  /** Comparisons left out (see RunResult.notCompared); not part of `compared`. */
  notCompared?: number;
  /** Optional breakdown of `compared`; accuracy by location/source needs it. */
  comparedBy?: ComparedCount[];
};

export type SourceCover = { source: string; locations: string[]; buckets: string[] };

export type RunResult = {
  runId: string;
  asOf: string;
  startedAt: string;
  rulesetVersion: RulesetVersion;
  /** The currency of every value in minor units (the ruleset's; USD when absent). */
  currency?: Currency;
  mode: 'full' | 'incremental';
  inputs: InputFile[];
  findings: NormalizationFinding[];
  /** The run's own findings (a source or a file that did not contribute), first in every view. */
  runFindings: RunFinding[];
  notCompared: NotCompared[];
  /**
   * What the ruleset has each source compared: its compare locations and buckets. An exception
   * outside them is no longer compared by any run under these rules (its source, location or
   * status was taken out of them). Absent in runs saved before it: every exception counts as
   * covered.
   */
  covers?: SourceCover[];
  /** Every non-match result (explained and exception); matches are counted, not listed. */
  results: KeyResult[];
  summary: RunSummary;
  durations: PhaseDurations;
};
