/** fast-check generators of raw events around the demo deployment, for property tests. */
import fc from 'fast-check';
import type { RawEvent } from '../../../engine/core/model/types.ts';
import { hoursBefore } from './scenario.ts';

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
