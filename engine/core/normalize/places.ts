/**
 * Where the intake's rows are: a source's location codes at (fine, compare) level, the compare
 * level of any canonical location, and the system of record of a compare-level location, each
 * worked out once per id (the evidence and every event ask again).
 */
import type { Interner } from '../model/intern.ts';
import type { Ruleset } from '../rules/types.ts';
import { createLocationResolver, rollUp, type ResolvedLocation } from './locations.ts';

export class Places {
  /** A source's location code at (fine, compare) level, or undefined when unmapped. */
  readonly resolve: (source: string, code: string) => ResolvedLocation | undefined;
  /** Per canonical location id, its compare-level id. */
  private readonly compareCache: number[] = [];
  /** Per compare-level location id, the index of its system of record (-1: none). */
  private readonly recordOf: number[] = [];

  constructor(
    private readonly mappings: Ruleset['mappings'],
    private readonly locations: Interner,
    private readonly systemOfRecord: ReadonlyMap<string, number>,
  ) {
    this.resolve = createLocationResolver(mappings);
  }

  /** Compare-level location id of any canonical location id (itself when already there). */
  compareOf(location: number): number {
    let cmp = this.compareCache[location];
    if (cmp === undefined) {
      const id = rollUp(this.mappings, this.locations.value(location));
      cmp = id === undefined ? location : this.locations.id(id);
      this.compareCache[location] = cmp;
    }
    return cmp;
  }

  /** Index of the system of record at a compare-level location id, -1 when none. */
  recordAt(cmp: number): number {
    let sor = this.recordOf[cmp];
    if (sor === undefined) {
      sor = this.systemOfRecord.get(this.locations.value(cmp)) ?? -1;
      this.recordOf[cmp] = sor;
    }
    return sor;
  }
}
