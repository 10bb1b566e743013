/** Compiles Units, Mappings, Tolerances and TimingWindows documents into lookup tables. */
import type { Bucket } from '../model/types.ts';
import type {
  LocationLevel,
  LocationNode,
  Mappings,
  TimingWindows,
  Tolerances,
  ToleranceSelector,
  UnitSpec,
  Units,
} from './types.ts';
import type { Loaded, UnitSpecDoc } from './docs.ts';
import { currencyOf, decimalOfNumber, decimalText, parseDecimal } from '../model/money.ts';
import { allLocations } from './locations.ts';
import { declaredAt } from './declared-at.ts';
import { compileGlob } from './glob.ts';
import { linearRegex } from './linear-regex.ts';
import type { LocationRow } from './location-files.ts';

export function compileUnits(at: Loaded<'Units'>): Units {
  const u = at.doc;
  const aliases = new Map(Object.entries(u.aliases ?? {}));
  const spec = (s: UnitSpecDoc): UnitSpec => {
    const factors = new Map<string, number>([
      [s.baseUnit, 1],
      ...Object.entries(s.conversions ?? {}),
    ]);
    for (const [alias, unit] of aliases) {
      const f = factors.get(unit);
      if (f !== undefined && !factors.has(alias)) factors.set(alias, f);
    }
    return { baseUnit: s.baseUnit, factors };
  };
  const table = (m: Record<string, UnitSpecDoc> | undefined) =>
    new Map(Object.entries(m ?? {}).map(([k, v]) => [k, spec(v)]));
  return {
    ...(u.currency && currencyOf(u.currency) ? { currency: currencyOf(u.currency)! } : {}),
    bySku: table(u.skus),
    byClass: table(u.classes),
    defaultBaseUnit: u.defaultBaseUnit,
    aliases,
    defaultSpec: spec({ baseUnit: u.defaultBaseUnit }),
  };
}

/** A unit cost written as a YAML number or string, as the decimal it was written as. */
function costText(cost: number | string | undefined): string | undefined {
  if (cost === undefined) return undefined;
  const d = typeof cost === 'number' ? decimalOfNumber(cost) : parseDecimal(cost);
  return d === undefined ? undefined : decimalText(d);
}

export function compileMappings(
  at: Loaded<'Mappings'>,
  rows: readonly LocationRow[] = [],
): Mappings {
  const m = at.doc;
  const locations = new Map<string, LocationNode>();
  for (const l of allLocations(m)) {
    locations.set(l.id, {
      id: l.id,
      level: l.level as LocationLevel,
      type: l.type,
      ...(l.parent !== undefined ? { parent: l.parent } : {}),
      ...(l.name !== undefined ? { name: l.name } : {}),
    });
  }
  const nested = (t: Record<string, Record<string, string>> | undefined) =>
    new Map(Object.entries(t ?? {}).map(([k, v]) => [k, new Map(Object.entries(v))]));
  const locationCodes = nested(m.locationCodes);
  addFileRows(rows, locations, locationCodes);
  return {
    skuAliases: nested(m.skuAliases),
    items: new Map(
      Object.entries(m.items ?? {}).map(([sku, item]) => [
        sku,
        { ...item, unitCost: costText(item.unitCost) },
      ]),
    ),
    locations,
    locationCodes,
    locationPatterns: (m.locationPatterns ?? []).map((p, i) => ({
      ...declaredAt(at, ['locationPatterns', i]),
      ...(p.source !== undefined ? { source: p.source } : {}),
      glob: p.glob,
      regex: compileGlob(p.glob),
      location: p.location,
    })),
    compareLevel: m.compareLevel as LocationLevel,
    crosswalks: (m.referenceCrosswalk ?? []).map((c) => ({
      sources: [c.sources[0]!, c.sources[1]!] as [string, string],
      // anchored like route matchers, so "CC-(\\d+)" cannot match inside a longer reference
      patterns: (c.patterns ?? []).map((p) => ({
        from: linearRegex(`^(?:${p.from})$`),
        to: p.to,
      })),
      amendments: c.amendments ?? false,
      counterpartReference: c.counterpartReference ?? false,
      proximity: c.proximity ?? false,
    })),
  };
}

/** Locations the files declare, then their codes (a code equal to its location needs none). */
function addFileRows(
  rows: readonly LocationRow[],
  locations: Map<string, LocationNode>,
  codes: Map<string, Map<string, string>>,
): void {
  for (const r of rows) {
    if (!r.declares || locations.has(r.location)) continue;
    const { parent, level, type } = r.declares;
    const node = { id: r.location, level: level as LocationLevel, type };
    locations.set(r.location, parent !== undefined ? { ...node, parent } : node);
  }
  for (const r of rows) {
    if (r.code === undefined || r.source === undefined || r.code === r.location) continue;
    let bySource = codes.get(r.source);
    if (!bySource) codes.set(r.source, (bySource = new Map()));
    if (!bySource.has(r.code)) bySource.set(r.code, r.location);
  }
}

export function compileTolerances(at: Loaded<'Tolerances'> | undefined): Tolerances {
  if (!at) return { entries: [] };
  return {
    entries: at.doc.tolerances.map((t, i) => {
      const m = t.match ?? {};
      const selector = {
        ...(m.sku !== undefined ? { sku: m.sku } : {}),
        ...(m.skuClass !== undefined ? { skuClass: m.skuClass } : {}),
        ...(m.location !== undefined ? { location: m.location } : {}),
        ...(m.bucket !== undefined ? { bucket: m.bucket as Bucket } : {}),
        ...(m.sources !== undefined
          ? { sources: [m.sources[0]!, m.sources[1]!] as [string, string] }
          : {}),
      };
      return {
        ...declaredAt(at, ['tolerances', i]),
        selector,
        ...(t.absolute !== undefined ? { absolute: t.absolute } : {}),
        ...(t.percent !== undefined ? { percent: t.percent } : {}),
        ...(t.value !== undefined ? { value: t.value } : {}),
        combine: t.combine ?? 'smaller',
        specificity: specificityOf(selector),
      };
    }),
  };
}

/** A SKU outranks any mix of the four other fields. */
const SKU_WEIGHT = 10;

function specificityOf(selector: ToleranceSelector): number {
  const fields = Object.keys(selector).length;
  return selector.sku === undefined ? fields : fields - 1 + SKU_WEIGHT;
}

export function compileTiming(at: Loaded<'TimingWindows'>): TimingWindows {
  const t = at.doc;
  return {
    ...declaredAt(at, []),
    inTransitHours: (t.inTransit.windows ?? []).map((w) => ({ ...w })),
    defaultInTransitHours: t.inTransit.defaultHours,
    postingLag: (t.postingLag.pairs ?? []).map((p) => ({ ...p })),
    defaultPostingLagMinutes: t.postingLag.defaultMinutes,
  };
}
