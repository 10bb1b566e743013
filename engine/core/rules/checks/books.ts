/**
 * Systems of record per (location, domain): exactly one book per location and domain.
 * Two sources claiming one location, two entries naming one location, and — once a domain is
 * declared per location — a location some source reports on without a book are each reported
 * where they are written.
 */
import { allLocations } from '../locations.ts';
import { BOOK_DOMAINS, resolveBooks, chainOf } from '../books.ts';
import type { BookEntry, BookSource } from '../books.ts';
import type { Loaded } from '../docs.ts';
import { quoteList, report } from './context.ts';
import type { CheckContext } from './context.ts';
import type { DeclaredNames } from './declared.ts';
import { unknownLocation } from './sources.ts';

type Located<T> = T & { at: Loaded<'Sources'>; position: number };

export function checkBooks(ctx: CheckContext, names: DeclaredNames): void {
  const mappings = ctx.docs.Mappings[0];
  if (!mappings || !names.locations) return;
  const parentOf = new Map(allLocations(mappings.doc).map((l) => [l.id, l.parent]));
  const sources = sourcesOf(ctx);
  const entries = entriesOf(ctx);
  entries.forEach((e) => checkEntry(ctx, names, e, sources, parentOf));
  const valid = entries.filter((e) => names.locations!.has(e.location));
  const { books, conflicts, entryConflicts } = resolveBooks(sources, valid, parentOf);
  for (const c of conflicts) {
    const [first, second] = c.sources.map((i) => sources[i]!);
    const msg = `"${first!.id}" and "${second!.id}" are both the system of record for ${c.domain} at "${c.location}" (name the one book in systemsOfRecord)`;
    report(ctx, second!.at, ['sources', second!.position, 'systemOfRecord'], 'BOOK_CONFLICT', msg);
  }
  for (const c of entryConflicts) {
    const e = entries[c.entries[1]]!;
    const msg = `${c.domain} at "${c.location}" already has a system of record ("${entries[c.entries[0]]!.source}")`;
    report(ctx, e.at, ['systemsOfRecord', e.position, 'location'], 'BOOK_CONFLICT', msg);
  }
  for (const domain of BOOK_DOMAINS) {
    if (!entries.some((e) => e.domain === domain)) continue;
    const seen = new Set<string>();
    for (const s of sources) {
      s.locations.forEach((location, k) => {
        if (seen.has(location) || !names.locations!.has(location)) return;
        seen.add(location);
        if (books.get(domain)?.has(location)) return;
        const msg = `no system of record for ${domain} at "${location}" (add it to systemsOfRecord, here or at a parent location)`;
        report(ctx, s.at, ['sources', s.position, 'locations', k], 'BOOK_GAP', msg);
      });
    }
  }
}

function sourcesOf(ctx: CheckContext): Located<BookSource>[] {
  return ctx.docs.Sources.flatMap((at) =>
    at.doc.sources.map((s, position) => ({
      at,
      position,
      id: s.id,
      systemOfRecord: s.systemOfRecord,
      locations: s.locations,
    })),
  ).map((s, index) => ({ ...s, index }));
}

function entriesOf(ctx: CheckContext): Located<BookEntry>[] {
  return ctx.docs.Sources.flatMap((at) =>
    (at.doc.systemsOfRecord ?? []).map((e, position) => ({ at, position, ...e })),
  ).map((e, index) => ({ ...e, index }));
}

function checkEntry(
  ctx: CheckContext,
  names: DeclaredNames,
  e: Located<BookEntry>,
  sources: Located<BookSource>[],
  parentOf: Map<string, string | undefined>,
): void {
  const here = ['systemsOfRecord', e.position];
  if (!names.locations!.has(e.location)) {
    report(ctx, e.at, [...here, 'location'], 'UNKNOWN_LOCATION', unknownLocation(e.location));
    return;
  }
  const source = sources.find((s) => s.id === e.source);
  if (!source) {
    const msg = `unknown source "${e.source}" (sources: ${quoteList(sources.map((s) => s.id))})`;
    report(ctx, e.at, [...here, 'source'], 'UNKNOWN_SOURCE', msg);
    return;
  }
  const up = chainOf(e.location, parentOf);
  const covers = source.locations.some(
    (l) => up.includes(l) || chainOf(l, parentOf).includes(e.location),
  );
  if (!covers) {
    const msg = `"${e.source}" does not report on "${e.location}" (its locations: ${quoteList(source.locations)})`;
    report(ctx, e.at, [...here, 'source'], 'BAD_VALUE', msg);
  }
}
