/** Keys an incremental run must revisit for some events: their sku at every location touched. */
import type { Intake } from '../normalize/intake.ts';
import type { RawEvent } from '../model/types.ts';
import { BUCKETS } from '../model/types.ts';
import type { Key } from './types.ts';

export function keysTouchedBy(intake: Intake, events: RawEvent[]): Key[] {
  const seen = new Set<string>();
  const out: Key[] = [];
  for (const e of events) {
    const sku = intake.skuResolver.resolve(e.source, e.sku) ?? e.sku;
    const codes = [e.location, e.counterpartLocation].filter((c): c is string => !!c);
    for (const code of codes) {
      const location = intake.locate(e.source, code)?.compare;
      if (!location || seen.has(`${sku}|${location}`)) continue;
      seen.add(`${sku}|${location}`);
      // Every bucket: status changes, net variance and in-transit span the buckets of a place.
      for (const bucket of BUCKETS) out.push({ sku, location, bucket });
    }
  }
  return out;
}
