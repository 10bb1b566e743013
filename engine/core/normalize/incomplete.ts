/**
 * Rows that make a key incomplete rather than wrong: a row the reader refused (its sku and
 * location could still be read) and two rows for the same (sku, fine location, status) in one
 * snapshot. Comparing such a key would report the missing row as a variance, so the run leaves
 * it out and says why (engine/core/recon/blocked.ts turns these into the keys not compared).
 */
import type { Origin } from '../model/types.ts';
import type { SnapshotTable } from './tables.ts';

export type IncompleteReason = 'rejected_rows' | 'kept_out_rows' | 'duplicate_rows';

/** A row seen in raw form: source vocabulary, resolved when the run starts. */
export type RawIncomplete = {
  reason: IncompleteReason;
  source: string;
  sku: string;
  location: string;
  /** Positions make one source's key incomplete; events and openings make the ledger's. */
  scope: 'source' | 'ledger';
  origin: Origin;
  /**
   * When the refused record spoke (a live update that carried no quantity): it holds from then
   * until the source's next row at the key, and not in a run as of before it. Undefined (a row
   * of a file): it holds for the run.
   */
  asOfMs?: number;
};

/** Already resolved to the intake's ids (the duplicate rows are found after normalization). */
export type ResolvedIncomplete = {
  reason: IncompleteReason;
  src: number;
  sl: number;
  scope: 'source' | 'ledger';
  origins: Origin[];
};

/** A row a reader refused, with what could still be read of it. */
export type RejectedRow = {
  file: string;
  line: number;
  reason: string;
  raw: string;
  source?: string;
  sku?: string;
  location?: string;
  kind?: string;
  /** Every key a refused record covers, when it covers several. */
  keys?: { sku: string; location: string }[];
  /** When the record spoke, for a record received live (RawIncomplete.asOfMs); ISO-8601. */
  asOf?: string;
};

/**
 * A record received live without a usable quantity, its key and time known (a Shopify level
 * with `available: null`): its key is incomplete for its source from `asOf` until the source's
 * next row there.
 */
export type LiveRefusal = RejectedRow & {
  source: string;
  sku: string;
  location: string;
  asOf: string;
};

export class IncompleteRows {
  readonly raw: RawIncomplete[] = [];
  readonly resolved: ResolvedIncomplete[] = [];

  /** A refused row whose sku and location could be read makes its key (or keys) incomplete. */
  rejected(r: RejectedRow): void {
    if (r.source === undefined || r.kind === 'items') return;
    const keys = [...(r.keys ?? [])];
    if (r.sku !== undefined && r.location !== undefined)
      keys.push({ sku: r.sku, location: r.location });
    const seen = new Set<string>();
    const asOfMs = r.asOf === undefined ? undefined : Date.parse(r.asOf);
    for (const { sku, location } of keys) {
      const id = `${sku}\u0000${location}`;
      if (seen.has(id)) continue;
      seen.add(id);
      this.raw.push({
        reason: 'rejected_rows',
        source: r.source,
        sku,
        location,
        scope: r.kind === 'positions' ? 'source' : 'ledger',
        origin: { file: r.file, line: r.line },
        ...(asOfMs === undefined || Number.isNaN(asOfMs) ? {} : { asOfMs }),
      });
    }
  }

  /**
   * A row the normalization kept out (a unit or a status the rules do not know; its finding
   * says which) with a quantity: its key, where its sku and location resolve, would compare
   * without it, so it is incomplete as a refused row's is.
   */
  keptOut(
    source: string,
    sku: string,
    location: string,
    scope: 'source' | 'ledger',
    origin: Origin,
  ): void {
    this.raw.push({ reason: 'kept_out_rows', source, sku, location, scope, origin });
  }

  /**
   * Two rows of one (sku, fine location, status) with the same as-of are one snapshot saying
   * two things (a bin-level file read at a constant location, a file listed twice): neither
   * row is "the latest", so the key is left incomplete instead of taking the last one.
   * Called right after a row is added to the table.
   */
  checkRepeat(
    table: SnapshotTable,
    kind: 'position' | 'opening',
    src: number,
    fileName: (id: number) => string,
  ): void {
    const row = table.length - 1;
    const prev = table.prev.get(row);
    if (prev < 0 || table.asOf.get(prev) !== table.asOf.get(row)) return;
    const origin = (r: number) => ({
      file: table.file.get(r) < 0 ? '' : fileName(table.file.get(r)),
      line: table.line.get(r),
    });
    this.resolved.push({
      reason: 'duplicate_rows',
      src,
      sl: table.sl.get(row),
      scope: kind === 'position' ? 'source' : 'ledger',
      origins: [origin(prev), origin(row)],
    });
  }
}
