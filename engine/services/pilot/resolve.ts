/**
 * A team's SKU and location written as the team writes them, resolved to Tally's keys: a
 * declared location id or any source's location code, rolled up to the compare level; a SKU as
 * is or through any source's alias.
 */
import { LOCATION_LEVELS, type Ruleset } from '../../core/rules/types.ts';

export type Resolved = { value: string; via?: string } | null;

export function resolveLocation(ruleset: Pick<Ruleset, 'mappings'>, text: string): Resolved {
  const m = ruleset.mappings;
  let id = m.locations.has(text) ? text : undefined;
  let via: string | undefined;
  for (const [source, codes] of m.locationCodes) {
    if (id !== undefined) break;
    const hit = codes.get(text);
    if (hit !== undefined) [id, via] = [hit, `${source} location code`];
  }
  if (id === undefined) return null;
  const rank = (level: string) => LOCATION_LEVELS.indexOf(level as never);
  const target = rank(m.compareLevel);
  let node = m.locations.get(id);
  while (node && rank(node.level) > target && node.parent !== undefined) {
    node = m.locations.get(node.parent);
  }
  const value = node?.id ?? id;
  if (value !== text && via === undefined) via = `rolled up from ${text}`;
  return { value, ...(via ? { via } : {}) };
}

export function resolveSku(
  ruleset: Pick<Ruleset, 'mappings'>,
  text: string,
  known: ReadonlySet<string>,
): Resolved {
  if (known.has(text) || ruleset.mappings.items.has(text)) return { value: text };
  for (const [source, aliases] of ruleset.mappings.skuAliases) {
    const hit = aliases.get(text);
    if (hit !== undefined) return { value: hit, via: `${source} alias` };
  }
  return null;
}
