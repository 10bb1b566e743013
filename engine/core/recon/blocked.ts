/**
 * The comparisons a run must not make, and why: a source that failed to load (none of its
 * comparisons, and none at a location whose ledger it books), and the keys a refused or
 * repeated row leaves incomplete. Leaving them out is what keeps a missing row from being
 * reported as a variance; each one is counted and named in the run's `notCompared`.
 */
import type { Intake } from '../normalize/intake.ts';
import type { IncompleteReason, ResolvedIncomplete } from '../normalize/incomplete.ts';
import type { Origin } from '../model/types.ts';
import type { NotCompared } from './types.ts';
import type { KeySpace } from './keyspace.ts';

/** What a refusal with a time is weighed against: the run's as-of and the sources' rows. */
export type RunTiming = { asOfMs: number; space: Pick<KeySpace, 'snapshotAt'> };

/** How many rows of one key a NotCompared entry lists (the rest are counted). */
const ROWS_SHOWN = 5;

type Why = { reason: IncompleteReason; origins: Origin[] };

export class Blocked {
  /** Per source index: 1 when the source failed to load. */
  readonly sources: Uint8Array;
  /** Per compare location id: the index of a failed source that books its ledger, else -1. */
  private readonly ledgerDown = new Map<number, number>();
  /** (sl × sources + src) → why the key is incomplete for that source. */
  private readonly pairs = new Map<number, Why>();
  /** sl → why the key's ledger is incomplete (every source). */
  private readonly ledger = new Map<number, Why>();
  private readonly width: number;
  private readonly tally = new Map<string, NotCompared>();

  /**
   * `explicitOpenings`: compare locations whose book sent an opening. Elsewhere the book's own
   * snapshot is the opening, so a row missing from it leaves the ledger incomplete too.
   */
  constructor(
    private readonly intake: Intake,
    unavailable: readonly string[],
    private readonly explicitOpenings: ReadonlySet<number> = new Set(),
    timing?: RunTiming,
  ) {
    const ctx = intake.ctx;
    this.width = ctx.sources.length;
    this.sources = new Uint8Array(this.width);
    for (const id of unavailable) {
      const index = ctx.sourceIndex.get(id);
      if (index !== undefined) this.sources[index] = 1;
    }
    for (const [location, sor] of ctx.systemOfRecord) {
      const id = intake.locations.find(location);
      if (id !== undefined && this.sources[sor] === 1) this.ledgerDown.set(id, sor);
    }
    for (const r of resolveRaw(intake, timing)) this.add(r);
    for (const r of intake.incomplete.resolved) this.add(r);
  }

  get any(): boolean {
    return (
      this.sources.includes(1) ||
      this.ledgerDown.size > 0 ||
      this.pairs.size > 0 ||
      this.ledger.size > 0
    );
  }

  private add(r: ResolvedIncomplete): void {
    const scope = r.scope === 'source' && this.opensOnSnapshotOf(r) ? 'ledger' : r.scope;
    const into = scope === 'ledger' ? this.ledger : this.pairs;
    const key = scope === 'ledger' ? r.sl : r.sl * this.width + r.src;
    const why = into.get(key);
    if (why) why.origins.push(...r.origins);
    else into.set(key, { reason: r.reason, origins: [...r.origins] });
  }

  /** Whether the key's location opens on the snapshot of this row's source (its book). */
  private opensOnSnapshotOf(r: ResolvedIncomplete): boolean {
    const cmp = this.intake.skuLocs.locOf.get(r.sl);
    if (this.explicitOpenings.has(cmp)) return false;
    return this.intake.ctx.systemOfRecord.get(this.intake.locations.value(cmp)) === r.src;
  }

  /** Whether this comparison is left out; when it is, it is counted under its reason. */
  skip(key: number, cmp: number, src: number): boolean {
    if (this.sources[src] === 1) return this.count(src, cmp, 'source_failed', src);
    const down = this.ledgerDown.get(cmp);
    if (down !== undefined) return this.count(src, cmp, 'source_failed', down);
    const sl = key >> 2;
    const why = this.ledger.get(sl) ?? this.pairs.get(sl * this.width + src);
    if (!why) return false;
    return this.countKey(sl, src, why);
  }

  private count(src: number, cmp: number, reason: 'source_failed', failed: number): true {
    const source = this.intake.ctx.sources[src]!.def.id;
    const location = this.intake.locations.value(cmp);
    const id = `${source}\u0000${location}\u0000\u0000${reason}`;
    const entry = this.tally.get(id);
    if (entry) entry.comparisons++;
    else {
      const by = this.intake.ctx.sources[failed]!.def.id;
      this.tally.set(id, {
        source,
        location,
        reason,
        failedSource: by,
        comparisons: 1,
        rows: [],
        rowCount: 0,
      });
    }
    return true;
  }

  private countKey(sl: number, src: number, why: Why): true {
    const source = this.intake.ctx.sources[src]!.def.id;
    const sku = this.intake.skus.value(this.intake.skuLocs.skuOf.get(sl));
    const location = this.intake.locations.value(this.intake.skuLocs.locOf.get(sl));
    const id = `${source}\u0000${location}\u0000${sku}\u0000${why.reason}`;
    const entry = this.tally.get(id);
    if (entry) entry.comparisons++;
    else {
      const rows = why.origins.slice(0, ROWS_SHOWN);
      this.tally.set(id, {
        source,
        location,
        sku,
        reason: why.reason,
        comparisons: 1,
        rows,
        rowCount: why.origins.length,
      });
    }
    return true;
  }

  /** Every comparison left out, grouped by source, location, sku and reason. */
  entries(): NotCompared[] {
    return [...this.tally.values()].sort(
      (a, b) =>
        a.source.localeCompare(b.source) ||
        a.location.localeCompare(b.location) ||
        (a.sku ?? '').localeCompare(b.sku ?? ''),
    );
  }
}

/**
 * Rejected rows named by raw sku and location code, resolved as the intake would. A refusal
 * with a time (a live update without a quantity) counts in a run as of then or later, until
 * a later row of its source at the key (its next update) takes its place.
 */
function resolveRaw(intake: Intake, timing: RunTiming | undefined): ResolvedIncomplete[] {
  const out: ResolvedIncomplete[] = [];
  for (const r of intake.incomplete.raw) {
    const src = intake.ctx.sourceIndex.get(r.source);
    const place = intake.locate(r.source, r.location);
    const canonical =
      intake.skuResolver.resolve(r.source, r.sku) ?? (intake.skuResolver.open ? r.sku : undefined);
    if (src === undefined || !place || canonical === undefined) continue;
    const sku = intake.skus.find(canonical);
    const cmp = intake.locations.find(place.compare);
    const sl = sku === undefined || cmp === undefined ? undefined : intake.skuLocs.find(sku, cmp);
    // a key nothing else knows is not compared anyway: the row is counted as rejected
    if (sl === undefined) continue;
    if (r.asOfMs !== undefined && timing) {
      if (r.asOfMs > timing.asOfMs) continue;
      if ((timing.space.snapshotAt[src]?.[sl] ?? 0) > r.asOfMs) continue;
    }
    out.push({ reason: r.reason, src, sl, scope: r.scope, origins: [r.origin] });
  }
  return out;
}
