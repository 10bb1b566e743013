/**
 * The second and third pairing passes of one (sku, location, type) group, for the events the
 * exact (reference, quantity) pass left: a crosswalk between the two sources links references
 * that differ (an event naming the other's reference in its counterpartReference, a pattern,
 * an amendment suffix); where nothing links them and the crosswalk allows it, proximity pairs by quantity
 * and time inside the posting lag. Each pairing is recorded with its method for the evidence.
 */
import type { Intake } from '../normalize/intake.ts';
import type { Crosswalk } from '../rules/types.ts';
import { linkOf, namesReference, pairByProximity, type PairMethod } from './pair.ts';

type Paired = Map<number, { partner: number; method: PairMethod }>;

/** Crosswalk of a source pair, by `a|b` in both orders. */
function crosswalkTable(crosswalks: readonly Crosswalk[]): Map<string, Crosswalk> {
  const out = new Map<string, Crosswalk>();
  for (const c of crosswalks) {
    out.set(`${c.sources[0]}|${c.sources[1]}`, c);
    out.set(`${c.sources[1]}|${c.sources[0]}`, c);
  }
  return out;
}

/**
 * Returns a pass over (book, its booked events, their paired-source bit masks, the unpaired
 * compared events) that pairs what it can, updates the masks and returns what is still unpaired.
 */
export function createLinker(intake: Intake, lagMs: number[][], pairedBy: Paired) {
  const ev = intake.events;
  const table = crosswalkTable(intake.ruleset.mappings.crosswalks ?? []);
  const idOf = (i: number) => intake.ctx.sources[ev.src.get(i)]!.def.id;
  const refOf = (i: number) => (ev.ref.get(i) >= 0 ? intake.refs.value(ev.ref.get(i)) : '');
  const xrefOf = (i: number) => (ev.xref.get(i) >= 0 ? intake.refs.value(ev.xref.get(i)) : '');
  /** Either event records the other's reference as its counterpart's. */
  const named = (i: number, j: number) =>
    namesReference(xrefOf(i), refOf(j)) || namesReference(xrefOf(j), refOf(i));
  const pair = (b: number, j: number, i: number, method: PairMethod, mask: number[]) => {
    mask[b] = (mask[b] as number) | (1 << ev.src.get(i));
    pairedBy.set(i, { partner: j, method });
    pairedBy.set(j, { partner: i, method });
  };
  return (sor: number, booked: number[], mask: number[], leftovers: number[]): number[] => {
    if (table.size === 0 || leftovers.length === 0) return leftovers;
    const book = intake.ctx.sources[sor]!.def.id;
    const free = (b: number, i: number) => ((mask[b] as number) & (1 << ev.src.get(i))) === 0;
    const rest: number[] = [];
    for (const i of leftovers) {
      const crosswalk = table.get(`${idOf(i)}|${book}`);
      let linked = false;
      for (let b = 0; crosswalk && b < booked.length && !linked; b++) {
        const j = booked[b] as number;
        if (!free(b, i) || ev.qty.get(j) !== ev.qty.get(i)) continue;
        const method =
          crosswalk.counterpartReference && named(i, j)
            ? 'counterpart'
            : linkOf(crosswalk, idOf(i), refOf(i), refOf(j));
        if (method) {
          pair(b, j, i, method, mask);
          linked = true;
        }
      }
      if (!linked) rest.push(i);
    }
    return byProximity(rest);

    function byProximity(unlinked: number[]): number[] {
      const out: number[] = [];
      for (const source of new Set(unlinked.map((i) => ev.src.get(i)))) {
        const mine = unlinked.filter((i) => ev.src.get(i) === source);
        if (!table.get(`${intake.ctx.sources[source]!.def.id}|${book}`)?.proximity) {
          out.push(...mine);
          continue;
        }
        const as = mine.map((i) => candidate(i, -1));
        const bs = booked.flatMap((j, b) => (free(b, mine[0]!) ? [candidate(j, b)] : []));
        const pairs = pairByProximity(as, bs, () => lagMs[sor]![source] as number);
        const done = new Set<number>();
        for (const p of pairs) {
          pair(p.b.slot, p.b.event, p.a.event, 'proximity', mask);
          done.add(p.a.event);
        }
        out.push(...mine.filter((i) => !done.has(i)));
      }
      return out;
    }
  };

  function candidate(i: number, slot: number) {
    return {
      source: ev.src.get(i),
      id: ev.id(i),
      group: String(ev.qty.get(i)),
      occurredMs: ev.occurred.get(i),
      event: i,
      slot,
    };
  }
}
