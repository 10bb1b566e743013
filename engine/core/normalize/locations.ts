/**
 * Location codes → canonical location → roll-up to the compare level (bin → zone → warehouse).
 * Results are cached per (source, code): a file repeats a few codes millions of times.
 */
import { LOCATION_LEVELS, type LocationLevel, type Mappings } from '../rules/types.ts';

export type ResolvedLocation = { fine: string; compare: string };

const levelRank = new Map<LocationLevel, number>(LOCATION_LEVELS.map((l, i) => [l, i]));

/** Canonical id at the compare level, or undefined when the location is coarser or unknown. */
export function rollUp(mappings: Mappings, id: string): string | undefined {
  const target = levelRank.get(mappings.compareLevel) as number;
  let node = mappings.locations.get(id);
  for (let hops = 0; node && hops < 16; hops++) {
    const rank = levelRank.get(node.level) as number;
    if (rank === target) return node.id;
    if (rank < target || !node.parent) return undefined;
    node = mappings.locations.get(node.parent);
  }
  return undefined;
}

/**
 * A source's code → canonical location id: its `locationCodes` entry, else the code itself when
 * it is a declared location, else the first of the source's own patterns that matches, else the
 * first pattern for every source.
 */
export function createLocationResolver(mappings: Mappings) {
  const patterns = mappings.locationPatterns ?? [];
  const byPattern = (source: string, code: string): string | undefined => {
    if (patterns.length === 0 || mappings.locations.has(code)) return undefined;
    for (const p of patterns) if (p.source === source && p.regex.test(code)) return p.location;
    for (const p of patterns) if (p.source === undefined && p.regex.test(code)) return p.location;
    return undefined;
  };
  const cache = new Map<string, Map<string, ResolvedLocation | null>>();
  return (source: string, code: string): ResolvedLocation | undefined => {
    let bySource = cache.get(source);
    if (!bySource) {
      bySource = new Map();
      cache.set(source, bySource);
    }
    const hit = bySource.get(code);
    if (hit !== undefined) return hit ?? undefined;
    const fine = mappings.locationCodes.get(source)?.get(code) ?? byPattern(source, code) ?? code;
    const compare = mappings.locations.has(fine) ? rollUp(mappings, fine) : undefined;
    const resolved = compare === undefined ? null : { fine, compare };
    bySource.set(code, resolved);
    return resolved ?? undefined;
  };
}
