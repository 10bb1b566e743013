/** The side-by-side report of `tally pilot compare` (JSON as is; text and HTML render it). */
import type { BaselineProblem } from './baseline.ts';

export type TeamLine = { line: number; units: number | null; reason: string | null };

/** The team's rows for one SKU × location, as written and as resolved. */
export type TeamItem = {
  sku: string;
  location: string;
  /** What the team wrote, when it differs from Tally's key (an alias, a bin, a code). */
  written?: { sku: string; location: string };
  lines: TeamLine[];
  units: number;
  reason: string | null;
  /** The Tally cause the team's reason reads as; null when not recognised or not given. */
  cause: string | null;
};

export type TallyFinding = {
  sku: string;
  location: string;
  exceptionIds: number[];
  severity: string;
  causes: string[];
  owner: string | null;
  variance: number;
  valueMinor: number;
  /** Per source, the quantities the exception's evidence holds, and the ledger's expectation. */
  quantities: Record<string, number>;
  expected: number | null;
  rule: string | null;
  buckets: string[];
};

export type CauseAgreement = 'agree' | 'differ' | 'no reason' | 'unrecognised reason';

export type BothItem = { team: TeamItem; tally: TallyFinding; agreement: CauseAgreement };

export type WhyNot =
  | 'explained'
  | 'within tolerance'
  | 'resolved earlier'
  | 'location not reported'
  | 'unknown location'
  | 'unknown sku';

export type TeamOnlyItem = {
  team: TeamItem;
  why: WhyNot;
  /** In words: what Tally saw for the key and why it did not raise it. */
  saw: string;
  /** Tally's value for the key where it has one (an explained difference). */
  valueMinor: number | null;
};

export type CompareSummary = {
  teamItems: number;
  tallyItems: number;
  both: number;
  tallyOnly: number;
  teamOnly: number;
  teamOnlyWhy: Partial<Record<WhyNot, number>>;
  causes: Record<CauseAgreement, number>;
  /** Minor units: Tally's value of the shared items, of its own, of the team's it explains. */
  valueMinor: { both: number; tallyOnly: number; teamOnlyKnown: number };
  /** Share of the team's valued items that Tally also raised, in percent (one decimal). */
  valueCoveredPct: number | null;
  /** Team-only items Tally has no value for (unknown keys, matched keys): outside the share. */
  unvaluedTeamItems: number;
  /** Team items Tally takes off their hands: raised with evidence, or explained by a rule. */
  noLongerByHand: { total: number; raised: number; explained: number };
};

export type CompareReport = {
  baseline: {
    file: string;
    columns: Record<string, string>;
    rows: number;
    problems: BaselineProblem[];
  };
  run: { id: string; asOf: string; rulesetVersion: string };
  requestedAsOf: string | null;
  currency: string;
  summary: CompareSummary;
  both: BothItem[];
  tallyOnly: TallyFinding[];
  teamOnly: TeamOnlyItem[];
};
