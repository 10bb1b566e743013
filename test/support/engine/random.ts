/** fast-check generators of raw events around the demo deployment, for property tests. */
import fc from 'fast-check';
import type { RawEvent, RawPosition } from '../../../engine/core/model/types.ts';
import { AS_OF, eastPosition, hoursBefore, type EastSource } from './scenario.ts';

const WMS_STATUSES = ['AVAILABLE', 'ALLOCATED', 'DAMAGED'];

const wmsEvent = fc.record({
  type: fc.constantFrom(
    'receipt',
    'shipment',
    'adjustment',
    'cycle_count',
    'status_change',
    'transfer_out',
    'return',
  ) as fc.Arbitrary<RawEvent['type']>,
  sku: fc.constantFrom('SKU-1', 'SKU-2', 'SKU-3'),
  bin: fc.constantFrom('WH-EAST-A-01', 'WH-EAST-A-02'),
  from: fc.constantFrom(...WMS_STATUSES),
  to: fc.constantFrom(...WMS_STATUSES),
  quantity: fc.integer({ min: 1, max: 20 }),
  hours: fc.integer({ min: 1, max: 150 }),
  ref: fc.integer({ min: 1, max: 6 }),
});

/** A list of WMS (system of record) and ERP events with unique ids. */
export const eventsArb = fc
  .array(fc.tuple(wmsEvent, fc.constantFrom('wms-east', 'wms-east', 'erp')), {
    minLength: 1,
    maxLength: 40,
  })
  .map((rows) =>
    rows.map(([r, source], i): RawEvent => {
      const erp = source === 'erp';
      const e: RawEvent = {
        source,
        sourceEventId: `${source}-${i}`,
        type: r.type,
        sku: r.sku,
        location: erp ? 'East DC - TC' : r.bin,
        quantity: r.quantity,
        occurredAt: hoursBefore(r.hours),
        reference: `REF-${r.ref}`,
      };
      if (
        ['shipment', 'status_change', 'transfer_out'].includes(r.type) ||
        (r.type === 'adjustment' && r.ref % 2)
      ) {
        e.fromStatus = erp ? 'Unrestricted' : r.from;
      }
      if (['receipt', 'status_change', 'cycle_count', 'return'].includes(r.type)) {
        e.toStatus = erp ? 'Reserved' : r.to;
      }
      if (r.type === 'transfer_out') e.counterpartLocation = erp ? 'Store NYC - TC' : 'STORE-NYC';
      return e;
    }),
  );

/**
 * Events as eventsArb, some moved after the snapshots (1–59 minutes after AS_OF): what arrives
 * live in `tally serve`, compared by each source as of its own snapshot.
 */
export const liveEventsArb = fc
  .tuple(eventsArb, fc.array(fc.integer({ min: 0, max: 59 }), { maxLength: 40 }))
  .map(([events, shifts]) =>
    events.map((e, i) => {
      const minutes = shifts[i] ?? 0;
      if (minutes === 0) return e;
      return { ...e, occurredAt: new Date(Date.parse(AS_OF) + minutes * 60_000).toISOString() };
    }),
  );

/** Level updates of any source, from two hours before AS_OF to 59 minutes after it. */
export const positionsArb = fc.array(
  fc
    .record({
      source: fc.constantFrom('erp', 'wms-east', 'shop') as fc.Arbitrary<EastSource>,
      sku: fc.constantFrom('SKU-1', 'SKU-2', 'SKU-3'),
      quantity: fc.integer({ min: 0, max: 120 }),
      minutes: fc.integer({ min: -120, max: 59 }),
    })
    .map((p): RawPosition =>
      eastPosition(p.source, p.sku, p.quantity, {
        asOf: new Date(Date.parse(AS_OF) + p.minutes * 60_000).toISOString(),
      }),
    ),
  { maxLength: 6 },
);
