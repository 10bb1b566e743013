/** Runtime lookups over units and locations, used by normalization. */
import type { LocationLevel, Mappings, Units } from './types.ts';
import { LOCATION_LEVELS } from './types.ts';

/**
 * Base units in one `unit` of the sku: the sku's own spec wins over its class; without either,
 * only the default base unit (and its aliases) is known. null when the unit is unknown.
 */
export function unitFactor(
  units: Units,
  sku: string,
  skuClass: string | undefined,
  unit: string,
): number | null {
  const spec = units.bySku.get(sku) ?? (skuClass ? units.byClass.get(skuClass) : undefined);
  if (spec) return spec.factors.get(unit) ?? null;
  const canonical = units.aliases?.get(unit) ?? unit;
  return canonical === units.defaultBaseUnit ? 1 : null;
}

/** Canonical location for a source's code: its code table first, then a declared id. */
export function resolveLocationCode(
  mappings: Mappings,
  source: string,
  code: string,
): string | null {
  const mapped = mappings.locationCodes.get(source)?.get(code);
  if (mapped !== undefined) return mapped;
  return mappings.locations.has(code) ? code : null;
}

/**
 * The ancestor of `location` at `level` (default: the compare level); the location itself when
 * it already is at that level; null when it sits above the level (a site) or is unknown.
 */
export function rollUp(
  mappings: Mappings,
  location: string,
  level: LocationLevel = mappings.compareLevel,
): string | null {
  const target = LOCATION_LEVELS.indexOf(level);
  let node = mappings.locations.get(location);
  for (let steps = 0; node && steps <= LOCATION_LEVELS.length; steps++) {
    const here = LOCATION_LEVELS.indexOf(node.level);
    if (here === target) return node.id;
    if (here < target) return null;
    node = node.parent !== undefined ? mappings.locations.get(node.parent) : undefined;
  }
  return null;
}
