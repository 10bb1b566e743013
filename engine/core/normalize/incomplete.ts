/**
 * Rows that make a key incomplete rather than wrong: a row the reader refused (its sku and
 * location could still be read) and two rows for the same (sku, fine location, status) in one
 * snapshot. Comparing such a key would report the missing row as a variance, so the run leaves
 * it out and says why (engine/core/recon/blocked.ts turns these into the keys not compared).
 */
import type { Origin } from '../model/types.ts';

export type IncompleteReason = 'rejected_rows' | 'duplicate_rows';

/** A row seen in raw form: source vocabulary, resolved when the run starts. */
export type RawIncomplete = {
  reason: IncompleteReason;
  source: string;
  sku: string;
  location: string;
  /** Positions make one source's key incomplete; events and openings make the ledger's. */
  scope: 'source' | 'ledger';
  origin: Origin;
};

/** Already resolved to the intake's ids (the duplicate rows are found after normalization). */
export type ResolvedIncomplete = {
  reason: IncompleteReason;
  src: number;
  sl: number;
  scope: 'source' | 'ledger';
  origins: Origin[];
};

export class IncompleteRows {
  readonly raw: RawIncomplete[] = [];
  readonly resolved: ResolvedIncomplete[] = [];
}
