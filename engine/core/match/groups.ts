/**
 * The matched events grouped by (sku × location, type) in typed arrays: a counting sort on the
 * dense sku × location id instead of a Map of arrays (2M events at 1M keys: ~0.2 s instead of
 * ~1 s, and no million small arrays for the collector). Groups are visited in the order of
 * their first event, as the Map's insertion order was; each group's events are in time order
 * (`byTime`), so the matching, the evidence and the transit claims see what they saw before.
 */
import type { Intake } from '../normalize/intake.ts';
import { byTime } from '../ledger/project.ts';

/** Up to this many events a group is sorted by insertion; longer ones by Array#sort. */
const SHORT = 24;

export class EventGroups {
  /** Event indexes, grouped: group g is order[start[g] .. end[g]). */
  private readonly order: Int32Array;
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  /** Group ids in the order of their first event. */
  private readonly sequence: Int32Array;
  /** Per slot (a dense sku × location), its range of `order`. */
  private readonly slotStart: Int32Array;
  private readonly slotOf: (sl: number) => number;

  /**
   * `kept` lists the events to group in visiting order; `slotOf` maps a sku × location id to a
   * dense slot below `slots` (-1: none).
   */
  constructor(
    private readonly intake: Intake,
    kept: Int32Array,
    slots: number,
    slotOf: (sl: number) => number,
  ) {
    const sls = intake.events.sl.data;
    const types = intake.events.type.data;
    this.slotOf = slotOf;
    // counting sort by slot, stable: each slot's events in visiting order
    const slotStart = new Int32Array(slots + 1);
    for (let k = 0; k < kept.length; k++) slotStart[slotOf(sls[kept[k]!]!) + 1]!++;
    for (let s = 0; s < slots; s++) slotStart[s + 1]! += slotStart[s]!;
    const fill = slotStart.slice(0, slots);
    const order = new Int32Array(kept.length);
    for (let k = 0; k < kept.length; k++) order[fill[slotOf(sls[kept[k]!]!)]!++] = kept[k]!;
    this.order = order;
    this.slotStart = slotStart;
    // within a slot, by type (stable), then each run of one type is a group
    const byType = (a: number, b: number) => types[a]! - types[b]!;
    // at most one group an event: typed arrays of that size (grown arrays of a million groups
    // were copied at every growth into memory touched for the first time)
    const [start, end] = [new Int32Array(kept.length), new Int32Array(kept.length)];
    const groupOfFirst = firstEventIndex(kept.length, intake.events.length);
    let groups = 0;
    for (let s = 0; s < slots; s++) {
      const [from, to] = [slotStart[s]!, slotStart[s + 1]!];
      if (to - from > 1) sortRange(order, from, to, byType);
      for (let g = from; g < to;) {
        const type = types[order[g]!]!;
        let h = g + 1;
        while (h < to && types[order[h]!] === type) h++;
        groupOfFirst.set(order[g]!, groups);
        start[groups] = g;
        end[groups++] = h;
        g = h;
      }
    }
    // each group's first event is one of `kept`, once: every group is in the sequence once
    const sequence = new Int32Array(groups);
    let at = 0;
    for (let k = 0; k < kept.length; k++) {
      const g = groupOfFirst.get(kept[k]!);
      if (g !== undefined) sequence[at++] = g;
    }
    const compare = byTime(intake);
    for (let g = 0; g < groups; g++) {
      if (end[g]! - start[g]! > 1) sortRange(order, start[g]!, end[g]!, compare);
    }
    this.start = start;
    this.end = end;
    this.sequence = sequence;
  }

  get size(): number {
    return this.sequence.length;
  }

  /**
   * Visits every group (of type `only`, when given) in the order of its first event, with its
   * events in time order; the array is reused from one group to the next.
   */
  forEach(visit: (sl: number, type: number, events: number[]) => void, only = -1): void {
    const events: number[] = [];
    const { order, intake } = this;
    const [sls, types] = [intake.events.sl.data, intake.events.type.data];
    const { sequence } = this;
    for (let i = 0; i < sequence.length; i++) {
      const g = sequence[i]!;
      const first = order[this.start[g]!]!;
      if (only >= 0 && types[first] !== only) continue;
      events.length = 0;
      for (let k = this.start[g]!; k < this.end[g]!; k++) events.push(order[k]!);
      visit(sls[first]!, types[first]!, events);
    }
  }

  /** The events of one group in time order (empty when there are none). */
  of(sl: number, type: number): Int32Array {
    const slot = sl >= 0 ? this.slotOf(sl) : -1;
    if (slot < 0 || slot + 1 >= this.slotStart.length) return this.order.subarray(0, 0);
    const types = this.intake.events.type.data;
    let from = this.slotStart[slot]!;
    const to = this.slotStart[slot + 1]!;
    while (from < to && types[this.order[from]!] !== type) from++;
    let until = from;
    while (until < to && types[this.order[until]!] === type) until++;
    return this.order.subarray(from, until);
  }
}

type FirstIndex = {
  set(event: number, group: number): void;
  get(event: number): number | undefined;
};

/** Group id by its first event: a typed array over every event for a full run, a Map for a few. */
function firstEventIndex(kept: number, events: number): FirstIndex {
  if (kept * 8 < events) return new Map<number, number>();
  const groups = new Int32Array(events).fill(-1);
  return {
    set: (event, group) => void (groups[event] = group),
    get: (event) => (groups[event]! >= 0 ? groups[event] : undefined),
  };
}

type Compare = (x: number, y: number) => number;

/** Sorts a[from .. to) in place, stably. */
function sortRange(a: Int32Array, from: number, to: number, compare: Compare): void {
  if (to - from <= SHORT) return insertionSort(a, from, to, compare);
  a.set(Array.from(a.subarray(from, to)).sort(compare), from);
}

/** Groups are mostly a few events, where this beats a general sort. */
function insertionSort(a: Int32Array, from: number, to: number, compare: Compare): void {
  for (let i = from + 1; i < to; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= from && compare(a[j]!, v) > 0) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
}
