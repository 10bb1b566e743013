/**
 * The run's comparisons per (location, source): how many were compared, matched and explained,
 * so accuracy by location and by source can be computed after the run (engine/kpi).
 */
import type { Intake } from '../normalize/intake.ts';
import type { ComparedCount, KeyResult } from './types.ts';

/** Comparisons per compare location × source index, laid out as location id × sources + source. */
export function createComparedTable(intake: Intake): Int32Array {
  return new Int32Array(intake.locations.size * intake.ctx.sources.length);
}

export function comparedBy(
  intake: Intake,
  compared: Int32Array,
  results: KeyResult[],
): ComparedCount[] {
  const sources = intake.ctx.sources;
  const groups = new Map<string, ComparedCount>();
  const key = (location: string, source: string) => `${location}\u0000${source}`;
  for (let i = 0; i < compared.length; i++) {
    const n = compared[i] as number;
    if (n === 0) continue;
    const location = intake.locations.value(Math.floor(i / sources.length));
    const source = sources[i % sources.length]!.def.id;
    groups.set(key(location, source), { location, source, compared: n, matched: n, explained: 0 });
  }
  for (const r of results) {
    const g = groups.get(key(r.location, r.source));
    if (!g) continue;
    g.matched! -= 1;
    if (r.outcome.type === 'explained') g.explained! += 1;
  }
  return [...groups.values()].sort(
    (a, b) => a.location.localeCompare(b.location) || a.source.localeCompare(b.source),
  );
}
