/** The rules `tally init` proposes, before they are written as YAML. */
import type { Sighting } from './types.ts';
export type Bucket = 'sellable' | 'committed' | 'non_sellable' | 'in_transit' | 'ignore';

export type StatusGuess = { word: string; bucket: Bucket; todo?: string };

export type FilePlan = {
  path: string;
  format: 'csv' | 'tsv' | 'jsonl';
  kind: 'items' | 'opening' | 'positions' | 'events';
  columns: Record<string, string>;
  constants?: Record<string, string>;
  statusColumns?: string[];
  typeMap?: Record<string, string>;
  dateFormat?: string;
  /** Set when a report's title lines come before the header (table.ts preambleLines). */
  headerLine?: number;
  /** Set when the file's last line is a report's total (table.ts footerTotal). */
  footerLines?: number;
  /** Set when the quantities are written with a decimal comma or grouped (numberFormatOf). */
  numberFormat?: string;
  /**
   * Set for a movements file whose quantities include negative ones: `true` where a minus is
   * the movement the other way, `stock` where it is where the stock went (goods issues negative).
   */
  signedQuantity?: true | 'stock';
  /** Set for a csv file whose fields are not separated by commas. */
  delimiter?: ';' | '|';
  /** Set when the file is not UTF-8 (sniff.ts reads it as Windows-1252). */
  encoding?: 'windows-1252';
  /** Comments written above the file entry. */
  notes: string[];
};

export type SourcePlan = {
  id: string;
  connector: string;
  role: string;
  systemOfRecord: string[];
  locations: Set<string>;
  files?: FilePlan[];
  settings?: Record<string, unknown>;
  notes: string[];
  /** Written commented out, with the reason, when no reader of this version can read it. */
  disabled?: string;
};

export type LocationPlan = {
  id: string;
  level: 'site' | 'warehouse' | 'zone' | 'bin';
  type: string;
  parent?: string;
  name?: string;
  todo?: string;
  /** A comment written beside the location, when it is no TODO. */
  note?: string;
};

export type Plan = {
  timezone: string;
  sources: SourcePlan[];
  statusMaps: Map<string, StatusGuess[]>;
  locations: Map<string, LocationPlan>;
  locationCodes: Map<string, Map<string, { id: string; todo?: string }>>;
  units: {
    aliases: Map<string, string>;
    classes: Set<string>;
    skus: Map<string, Record<string, number>>;
    /** Case size per item read from the item master (the connector reads it at every run). */
    casePacks: Map<string, number>;
    note?: string;
  };
  postingLags: { from: string; to: string; minutes: number; note: string }[];
  /** Source pairs whose movements pair by proximity (referenceCrosswalk), with why. */
  crosswalks: { sources: [string, string]; proximity: true; notes: string[] }[];
  transitWindows: { from: string; to: string; hours: number; note: string }[];
  defaultTransitHours: number;
  report: { recognized: string[]; guessed: string[]; decide: string[] };
  /** Filled while files are read, settled once all are: movement files needing their site, and
   * location codes seen only in movements ("source|code"). */
  pending: {
    sites: Map<FilePlan, string>;
    places: Set<string>;
    shopifyIds: Map<string, string>;
    /** A marketplace's own movements (UTC days), kept apart from the lags measured by reference. */
    marketplace: Sighting[];
  };
  /** Per source: its id for an item → the item's sku (Shopify inventory item ids). */
  skuAliases: Map<string, Map<string, string>>;
  /**
   * The book of physical movements at a location two sources both keep (systemsOfRecord):
   * location → source.
   */
  books: Map<string, string>;
};

export function emptyPlan(timezone: string): Plan {
  return {
    timezone,
    sources: [],
    statusMaps: new Map(),
    locations: new Map(),
    locationCodes: new Map(),
    units: { aliases: new Map(), classes: new Set(), skus: new Map(), casePacks: new Map() },
    postingLags: [],
    crosswalks: [],
    transitWindows: [],
    defaultTransitHours: 72,
    report: { recognized: [], guessed: [], decide: [] },
    pending: { sites: new Map(), places: new Set(), shopifyIds: new Map(), marketplace: [] },
    skuAliases: new Map(),
    books: new Map(),
  };
}

/** Bucket of a status word by what the word says; unplaceable words get a guess and a TODO. */
export function guessBucket(word: string): StatusGuess {
  const w = word.toLowerCase();
  const is = (re: RegExp) => re.test(w);
  if (is(/on.?hand|total|projected|ordered|indented|planned|warehouse-quantity|^17$|^63$/))
    return { word, bucket: 'ignore' };
  if (is(/transit|inbound|incoming|receiving|shipped-quantity|working/))
    return { word, bucket: 'in_transit' };
  if (is(/alloc|reserv|commit|backorder|picked|^bq$/)) return { word, bucket: 'committed' };
  if (is(/damag|defect|hold|quarantin|qc|quality|block|expired|unsellable|scrap/))
    return { word, bucket: 'non_sellable' };
  if (is(/avail|unrestrict|sellable|fulfillable|^ok$|good|free|actual_qty|^33$/))
    return { word, bucket: 'sellable' };
  return {
    word,
    bucket: 'non_sellable',
    todo: `"${word}" is not a word Tally knows: guessed non_sellable (not offered to customers)`,
  };
}

export function addStatuses(plan: Plan, source: string, words: Iterable<string>): void {
  const list = plan.statusMaps.get(source) ?? [];
  for (const word of words) {
    if (!word || list.some((g) => g.word === word)) continue;
    const g = guessBucket(word);
    list.push(g);
    if (g.todo) plan.report.guessed.push(`${source}: status ${g.todo}`);
  }
  plan.statusMaps.set(source, list);
}

export function addLocation(plan: Plan, l: LocationPlan): void {
  if (!plan.locations.has(l.id)) plan.locations.set(l.id, l);
}

export function addCode(plan: Plan, source: string, code: string, id: string, todo?: string) {
  const map = plan.locationCodes.get(source) ?? new Map();
  if (!map.has(code)) map.set(code, todo ? { id, todo } : { id });
  plan.locationCodes.set(source, map);
}

/** A location id from free text: "Stores - HP" → STORES-HP. */
export function locationId(text: string): string {
  const id = text
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return id || 'LOCATION';
}

/** The plan's source `id`, made with `make` the first time a file of it is found. */
export function source(plan: Plan, id: string, make: () => SourcePlan): SourcePlan {
  const found = plan.sources.find((s) => s.id === id);
  if (found) return found;
  const made = make();
  plan.sources.push(made);
  return made;
}
