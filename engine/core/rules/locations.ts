/** Location hierarchy helpers shared by checks, compilation and runtime lookups. */
import type { LocationDoc, LocationRangeDoc, MappingsDoc } from './docs.ts';

/** A run of numbered locations is capped so a typo cannot expand into millions of nodes. */
export const MAX_RANGE_SIZE = 10_000;

export function expandRange(r: LocationRangeDoc): LocationDoc[] {
  if (r.to < r.from || r.to - r.from >= MAX_RANGE_SIZE) return [];
  const out: LocationDoc[] = [];
  for (let n = r.from; n <= r.to; n++) {
    const id = r.prefix + String(n).padStart(r.digits ?? 1, '0');
    out.push({ id, level: r.level, type: r.type, ...(r.parent ? { parent: r.parent } : {}) });
  }
  return out;
}

/** Every declared location, ranges expanded, in declaration order. */
export function allLocations(m: MappingsDoc): LocationDoc[] {
  return [...m.locations, ...(m.locationRanges ?? []).flatMap(expandRange)];
}

/** Ids of `root` and everything below it. */
export function descendantsOf(
  root: string,
  childrenOf: ReadonlyMap<string, readonly string[]>,
): string[] {
  const out: string[] = [];
  const stack = [root];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(id);
    stack.push(...(childrenOf.get(id) ?? []));
  }
  return out;
}
