/** Cross-file checks of Mappings: the location hierarchy, location codes and SKU aliases. */
import { LOCATION_LEVELS } from '../types.ts';
import type { LocationLevel } from '../types.ts';
import { MAX_RANGE_SIZE, allLocations } from '../locations.ts';
import type { Loaded } from '../docs.ts';
import { quoteList, report } from './context.ts';
import { locate } from '../yaml-file.ts';
import type { CheckContext } from './context.ts';
import type { DeclaredNames } from './declared.ts';
import { unknownLocation } from './sources.ts';
import { linearRegex } from '../linear-regex.ts';
import { globsOverlap, overlapExample } from '../glob.ts';

export function checkMappings(ctx: CheckContext, names: DeclaredNames): void {
  const at = ctx.docs.Mappings[0];
  if (!at) return;
  checkRanges(ctx, at);
  checkHierarchy(ctx, at);
  checkCrosswalks(ctx, at, names);
  checkPatterns(ctx, at, names);
  const locations = names.locations ?? new Set<string>();
  for (const [group, target] of [
    ['locationCodes', 'location'],
    ['skuAliases', 'sku'],
  ] as const) {
    for (const [source, codes] of Object.entries(at.doc[group] ?? {})) {
      if (names.sources && !names.sources.has(source)) {
        const msg = `unknown source "${source}" (sources: ${quoteList(names.sources)})`;
        report(ctx, at, [group, source], 'UNKNOWN_SOURCE', msg, true);
      }
      if (target !== 'location') continue;
      for (const [code, id] of Object.entries(codes)) {
        if (!locations.has(id))
          report(ctx, at, [group, source, code], 'UNKNOWN_LOCATION', unknownLocation(id));
      }
    }
  }
}

function checkRanges(ctx: CheckContext, at: Loaded<'Mappings'>): void {
  (at.doc.locationRanges ?? []).forEach((r, i) => {
    if (r.to < r.from) {
      report(
        ctx,
        at,
        ['locationRanges', i, 'to'],
        'BAD_VALUE',
        `"to" (${r.to}) is below "from" (${r.from})`,
      );
    } else if (r.to - r.from >= MAX_RANGE_SIZE) {
      report(
        ctx,
        at,
        ['locationRanges', i, 'to'],
        'BAD_VALUE',
        `a range may hold at most ${MAX_RANGE_SIZE} locations`,
      );
    }
  });
}

function checkHierarchy(ctx: CheckContext, at: Loaded<'Mappings'>): void {
  const declared = allLocations(at.doc);
  const explicit = at.doc.locations.length;
  // ranges are reported at the range entry, explicit locations at their own entry
  const where = (i: number) =>
    i < explicit ? ['locations', i] : ['locationRanges', rangeIndexOf(at, i - explicit)];
  const byId = new Map<string, { level: string; parent?: string; index: number }>();
  declared.forEach((l, i) => {
    if (byId.has(l.id)) {
      report(
        ctx,
        at,
        [...where(i), i < explicit ? 'id' : 'prefix'],
        'DUPLICATE_NAME',
        `location "${l.id}" is declared twice`,
      );
      return;
    }
    byId.set(l.id, { level: l.level, parent: l.parent, index: i });
  });
  const inCycle = reportCycles(ctx, at, byId, where);
  for (const [id, l] of byId) {
    if (l.parent === undefined || inCycle.has(id)) continue;
    const parent = byId.get(l.parent);
    if (!parent) {
      report(
        ctx,
        at,
        [...where(l.index), 'parent'],
        'UNKNOWN_LOCATION',
        `parent "${l.parent}" of "${id}" is not a declared location`,
      );
      continue;
    }
    if (levelRank(parent.level) >= levelRank(l.level)) {
      const msg = `"${id}" (${l.level}) cannot sit under "${l.parent}" (${parent.level}): levels go ${LOCATION_LEVELS.join(' → ')}`;
      report(ctx, at, [...where(l.index), 'parent'], 'LOCATION_LEVEL', msg);
    }
  }
}

function reportCycles(
  ctx: CheckContext,
  at: Loaded<'Mappings'>,
  byId: Map<string, { parent?: string; index: number }>,
  where: (i: number) => (string | number)[],
): Set<string> {
  const done = new Set<string>();
  const inCycle = new Set<string>();
  for (const start of byId.keys()) {
    const chain: string[] = [];
    let id: string | undefined = start;
    while (id !== undefined && !done.has(id) && !chain.includes(id)) {
      chain.push(id);
      id = byId.get(id)?.parent;
    }
    if (id !== undefined && chain.includes(id)) {
      const cycle = [...chain.slice(chain.indexOf(id)), id];
      for (const c of cycle) inCycle.add(c);
      const first = byId.get(id)!;
      report(
        ctx,
        at,
        [...where(first.index), 'parent'],
        'LOCATION_CYCLE',
        `the location hierarchy has a cycle: ${cycle.join(' → ')}`,
      );
    }
    for (const c of chain) done.add(c);
  }
  return inCycle;
}

function rangeIndexOf(at: Loaded<'Mappings'>, expandedIndex: number): number {
  let left = expandedIndex;
  const ranges = at.doc.locationRanges ?? [];
  for (let i = 0; i < ranges.length; i++) {
    const r = ranges[i]!;
    const size = r.to >= r.from && r.to - r.from < MAX_RANGE_SIZE ? r.to - r.from + 1 : 0;
    if (left < size) return i;
    left -= size;
  }
  return 0;
}

function levelRank(level: string): number {
  return LOCATION_LEVELS.indexOf(level as LocationLevel);
}

function checkCrosswalks(ctx: CheckContext, at: Loaded<'Mappings'>, names: DeclaredNames): void {
  (at.doc.referenceCrosswalk ?? []).forEach((c, i) => {
    c.sources.forEach((s, k) => {
      if (names.sources && !names.sources.has(s)) {
        const msg = `unknown source "${s}" (sources: ${quoteList(names.sources)})`;
        report(ctx, at, ['referenceCrosswalk', i, 'sources', k], 'UNKNOWN_SOURCE', msg);
      }
    });
    (c.patterns ?? []).forEach((p, k) => {
      try {
        linearRegex(`^(?:${p.from})$`);
      } catch (e) {
        const msg = `"${p.from}" is not a regular expression RE2 can run (${(e as Error).message}); RE2 has no backreferences or lookaround`;
        report(ctx, at, ['referenceCrosswalk', i, 'patterns', k, 'from'], 'BAD_VALUE', msg);
      }
    });
  });
}

/**
 * Location patterns: known sources and locations, and no code matched by two patterns of one
 * scope (the same source, or every source) that send it to different locations — which one
 * wins would be an accident of the file's order.
 */
function checkPatterns(ctx: CheckContext, at: Loaded<'Mappings'>, names: DeclaredNames): void {
  const patterns = at.doc.locationPatterns ?? [];
  patterns.forEach((p, i) => {
    if (p.source !== undefined && names.sources && !names.sources.has(p.source)) {
      const msg = `unknown source "${p.source}" (sources: ${quoteList(names.sources)})`;
      report(ctx, at, ['locationPatterns', i, 'source'], 'UNKNOWN_SOURCE', msg);
    }
    if (names.locations && !names.locations.has(p.location)) {
      const msg = unknownLocation(p.location);
      report(ctx, at, ['locationPatterns', i, 'location'], 'UNKNOWN_LOCATION', msg);
    }
    for (let k = 0; k < i; k++) {
      const q = patterns[k]!;
      // a source's own patterns are tried before those of every source: only one scope is ambiguous
      if (p.source !== q.source || q.location === p.location || !globsOverlap(q.glob, p.glob))
        continue;
      const example = overlapExample(q.glob, p.glob);
      const line = locate(at.rf, ['locationPatterns', k], false).line;
      const msg = `"${p.glob}" → ${p.location} overlaps "${q.glob}" → ${q.location} (line ${line})${example !== undefined ? `: "${example}" matches both` : ''}; make them disjoint or name the code in locationCodes`;
      report(ctx, at, ['locationPatterns', i, 'glob'], 'PATTERN_OVERLAP', msg);
    }
  });
}
