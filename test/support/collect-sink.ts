/** A sink that keeps what a connector read delivers, one list per kind of call. */
import type { RejectedRecord, Sink } from '../../connectors/types.ts';
import type { Item, RawEvent, RawPosition } from '../../engine/core/model/types.ts';

export type Collected = {
  sink: Sink;
  items: Item[];
  openings: RawPosition[];
  positions: RawPosition[];
  events: RawEvent[];
  rejects: RejectedRecord[];
};

export function collect(): Collected {
  const c: Collected = {
    items: [],
    openings: [],
    positions: [],
    events: [],
    rejects: [],
    sink: {
      item: (i) => c.items.push(i),
      opening: (p) => c.openings.push(p),
      position: (p) => c.positions.push(p),
      event: (e) => c.events.push(e),
      reject: (r) => c.rejects.push(r),
    },
  };
  return c;
}
