/** A sink that keeps what a connector read delivers: positions, events and rejects. */
import type { RejectedRecord, Sink } from '../../connectors/types.ts';
import type { RawEvent, RawPosition } from '../../engine/model/types.ts';

export function collect() {
  const got = {
    positions: [] as RawPosition[],
    events: [] as RawEvent[],
    rejects: [] as RejectedRecord[],
  };
  const sink: Sink = {
    opening: () => {},
    position: (p) => got.positions.push(p),
    event: (e) => got.events.push(e),
    item: () => {},
    reject: (r) => got.rejects.push(r),
  };
  return { got, sink };
}
