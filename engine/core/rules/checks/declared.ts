/** Names the other kinds declare, gathered once for the cross-file checks. */
import { allLocations } from '../locations.ts';
import type { CheckContext } from './context.ts';

export type DeclaredNames = {
  sources: Set<string> | undefined;
  receivers: Set<string> | undefined;
  locations: Set<string> | undefined;
  units: Set<string> | undefined;
  skuClasses: Set<string> | undefined;
  statusMaps: Map<string, Set<string>> | undefined;
};

/** A set is undefined when its kind did not load cleanly: checks against it are skipped. */
export function declaredNames(ctx: CheckContext): DeclaredNames {
  const { docs } = ctx;
  const sources = docs.Sources.length
    ? new Set(docs.Sources.flatMap((d) => d.doc.sources.map((s) => s.id)))
    : undefined;
  const owners = docs.Owners[0];
  const mappings = docs.Mappings[0];
  const units = docs.Units[0];
  return {
    sources,
    receivers: owners ? new Set(owners.doc.receivers.map((r) => r.name)) : undefined,
    locations: mappings
      ? new Set([
          ...allLocations(mappings.doc).map((l) => l.id),
          ...ctx.locationRows.filter((r) => r.declares).map((r) => r.location),
        ])
      : undefined,
    units: units ? new Set([...unitNames(units.doc), ...packUnits(ctx)]) : undefined,
    skuClasses: units
      ? new Set([
          ...Object.keys(units.doc.classes ?? {}),
          ...Object.values(mappings?.doc.items ?? {}).map((i) => i.skuClass),
        ])
      : undefined,
    statusMaps: docs.StatusMap.length ? statusWords(ctx) : undefined,
  };
}

function unitNames(u: CheckContext['docs']['Units'][number]['doc']): Set<string> {
  const names = new Set([u.defaultBaseUnit, ...Object.keys(u.aliases ?? {})]);
  for (const spec of [...Object.values(u.classes ?? {}), ...Object.values(u.skus ?? {})]) {
    names.add(spec.baseUnit);
    for (const unit of Object.keys(spec.conversions ?? {})) names.add(unit);
  }
  return names;
}

/**
 * Units an item master sizes per item: `pack:<unit>` columns of items files, and the
 * `itemPacks` units of a connector that reads its own item export (erpnext).
 */
function packUnits(ctx: CheckContext): string[] {
  const out: string[] = [];
  for (const d of ctx.docs.Sources) {
    for (const s of d.doc.sources) {
      for (const f of s.files ?? []) {
        for (const field of Object.keys(f.columns ?? {}))
          if (field.startsWith('pack:')) out.push(field.slice(5));
      }
      const packs = (s.settings as { itemPacks?: unknown } | undefined)?.itemPacks;
      if (packs && typeof packs === 'object') out.push(...Object.keys(packs));
    }
  }
  return out;
}

function statusWords(ctx: CheckContext): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const d of ctx.docs.StatusMap) {
    for (const [source, map] of Object.entries(d.doc.statusMaps)) {
      const words = out.get(source) ?? new Set<string>();
      for (const word of Object.keys(map)) words.add(word);
      out.set(source, words);
    }
  }
  return out;
}
