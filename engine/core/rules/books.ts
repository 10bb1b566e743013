/**
 * Systems of record per (location, domain): which source is the book for a domain at each
 * location. An explicit `systemsOfRecord` entry at a location or its nearest ancestor wins;
 * otherwise the sources whose own `systemOfRecord` lists the domain and whose `locations`
 * hold the location (or its nearest ancestor that any of them holds). Shared by the checks
 * (which report conflicts and gaps) and compilation (which keeps the resolved map).
 */

/** Domains that have a book per location; item_master is ruleset-wide, channels each keep their own. */
export const BOOK_DOMAINS = ['physical_movements', 'financial_postings'] as const;
export type BookDomain = (typeof BOOK_DOMAINS)[number];

/** domain → location id → source id, for every declared location that has a book. */
export type Books = Map<BookDomain, Map<string, string>>;

export type BookEntry = { location: string; domain: string; source: string; index: number };
export type BookSource = {
  id: string;
  systemOfRecord: readonly string[];
  locations: readonly string[];
  index: number;
};

/** Two sources claim one (location, domain) and no explicit entry settles it. */
export type BookConflict = { domain: BookDomain; location: string; sources: [number, number] };
/** Two explicit entries name the same (location, domain). */
export type EntryConflict = { domain: BookDomain; location: string; entries: [number, number] };

export type BookResolution = {
  books: Books;
  conflicts: BookConflict[];
  entryConflicts: EntryConflict[];
};

/** Location ids from `id` up to its root; stops on a cycle (the checks report those). */
export function chainOf(id: string, parentOf: ReadonlyMap<string, string | undefined>): string[] {
  const chain: string[] = [];
  let at: string | undefined = id;
  while (at !== undefined && !chain.includes(at)) {
    chain.push(at);
    at = parentOf.get(at);
  }
  return chain;
}

export function resolveBooks(
  sources: readonly BookSource[],
  entries: readonly BookEntry[],
  parentOf: ReadonlyMap<string, string | undefined>,
): BookResolution {
  const out: BookResolution = { books: new Map(), conflicts: [], entryConflicts: [] };
  for (const domain of BOOK_DOMAINS) {
    const explicit = new Map<string, BookEntry>();
    for (const e of entries) {
      if (e.domain !== domain) continue;
      const seen = explicit.get(e.location);
      if (seen)
        out.entryConflicts.push({ domain, location: e.location, entries: [seen.index, e.index] });
      else explicit.set(e.location, e);
    }
    const declaring = new Map<string, BookSource[]>();
    for (const s of sources) {
      if (!s.systemOfRecord.includes(domain)) continue;
      for (const l of s.locations) declaring.set(l, [...(declaring.get(l) ?? []), s]);
    }
    const resolved = new Map<string, string>();
    const reported = new Set<string>();
    for (const location of allLocationIds(sources, entries, parentOf)) {
      const chain = chainOf(location, parentOf);
      const entry = chain.map((l) => explicit.get(l)).find((e) => e !== undefined);
      if (entry) {
        resolved.set(location, entry.source);
        continue;
      }
      const at = chain.find((l) => declaring.has(l));
      if (at === undefined) continue;
      const claimants = declaring.get(at)!;
      // The later-declared source wins a conflict, as before; validation rejects it anyway.
      resolved.set(location, claimants[claimants.length - 1]!.id);
      if (claimants.length > 1 && !reported.has(at)) {
        reported.add(at);
        out.conflicts.push({
          domain,
          location: at,
          sources: [claimants[0]!.index, claimants[1]!.index],
        });
      }
    }
    out.books.set(domain, resolved);
  }
  return out;
}

function allLocationIds(
  sources: readonly BookSource[],
  entries: readonly BookEntry[],
  parentOf: ReadonlyMap<string, string | undefined>,
): Set<string> {
  const ids = new Set(parentOf.keys());
  for (const s of sources) for (const l of s.locations) ids.add(l);
  for (const e of entries) ids.add(e.location);
  return ids;
}

/** The book for `domain` at `location`, or undefined where none is declared. */
export function bookOf(books: Books, location: string, domain: BookDomain): string | undefined {
  return books.get(domain)?.get(location);
}

/** The ruleset's books, or those its sources' own declarations give (rulesets built in code). */
export function booksOf(ruleset: {
  books?: Books;
  sources: ReadonlyMap<
    string,
    { id: string; systemOfRecord: readonly string[]; locations: readonly string[] }
  >;
  mappings: { locations: ReadonlyMap<string, { id: string; parent?: string }> };
}): Books {
  if (ruleset.books) return ruleset.books;
  const parentOf = new Map([...ruleset.mappings.locations.values()].map((l) => [l.id, l.parent]));
  const sources = [...ruleset.sources.values()].map((s, index) => ({ ...s, index }));
  return resolveBooks(sources, [], parentOf).books;
}
