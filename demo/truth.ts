/** The ground-truth file: what a correct reconciliation must decide, per key and source. */
import type { Bucket } from '../engine/core/model/types.ts';

export type ExpectedOutcome =
  | { type: 'match' }
  | { type: 'explained'; code: string; alsoAccept?: string[] }
  | { type: 'exception'; rootCause: string };

export type TruthEntry = {
  sku: string;
  location: string;
  bucket: Bucket;
  source: string;
  expected: ExpectedOutcome;
  /** The injected cause (e.g. "missing-posting"); absent for plain matches. */
  cause?: string;
  note?: string;
};

export type GroundTruth = {
  seed: number;
  asOf: string;
  openingAsOf: string;
  skus: number;
  days: number;
  /** Injected keys first, then every other compared key with its expected match. */
  entries: TruthEntry[];
};

export const truthKey = (e: { sku: string; location: string; bucket: string; source: string }) =>
  `${e.sku}|${e.location}|${e.bucket}|${e.source}`;
