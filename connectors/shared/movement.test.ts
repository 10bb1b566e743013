import { describe, expect, it } from 'vitest';
import { placeEvent } from './movement.ts';

describe('placeEvent', () => {
  it('turns a from→to transfer row into a transfer_out and a transfer_in', () => {
    expect(
      placeEvent({ type: 'transfer_out', quantity: 5, fromLocation: 'WH-A', toLocation: 'WH-B' }),
    ).toEqual([
      {
        type: 'transfer_out',
        location: 'WH-A',
        counterpartLocation: 'WH-B',
        quantity: 5,
        suffix: ':out',
      },
      {
        type: 'transfer_in',
        location: 'WH-B',
        counterpartLocation: 'WH-A',
        quantity: 5,
        suffix: ':in',
      },
    ]);
  });

  it('books a bin-to-bin move as one event at the origin with the destination as counterpart', () => {
    expect(
      placeEvent({ type: 'putaway', quantity: 3, fromLocation: 'A-01', toLocation: 'B-07' }),
    ).toMatchObject([
      { type: 'putaway', location: 'A-01', counterpartLocation: 'B-07', quantity: 3 },
    ]);
  });

  it('places one-sided rows: receipts at the destination, the rest at the origin', () => {
    expect(placeEvent({ type: 'receipt', quantity: 2, toLocation: 'DOCK' })).toMatchObject([
      { type: 'receipt', location: 'DOCK' },
    ]);
    expect(placeEvent({ type: 'shipment', quantity: 2, fromLocation: 'A-01' })).toMatchObject([
      { type: 'shipment', location: 'A-01' },
    ]);
  });

  it('reads a negative quantity as the opposite movement', () => {
    expect(placeEvent({ type: 'receipt', quantity: -4, location: 'L', toStatus: 'ok' })).toEqual([
      { type: 'shipment', location: 'L', fromStatus: 'ok', toStatus: undefined, quantity: 4 },
    ]);
    expect(placeEvent({ type: 'shipment', quantity: -1, location: 'L' })).toMatchObject([
      { type: 'return', quantity: 1 },
    ]);
    expect(placeEvent({ type: 'reservation', quantity: -1, location: 'L' })).toMatchObject([
      { type: 'release', quantity: 1 },
    ]);
    expect(
      placeEvent({ type: 'transfer_out', quantity: -5, fromLocation: 'WH-A', toLocation: 'WH-B' }),
    ).toMatchObject([
      { type: 'transfer_out', location: 'WH-B', quantity: 5 },
      { type: 'transfer_in', location: 'WH-A', quantity: 5 },
    ]);
    expect(
      placeEvent({
        type: 'status_change',
        quantity: -2,
        location: 'L',
        fromStatus: 'a',
        toStatus: 'q',
      }),
    ).toMatchObject([{ type: 'status_change', fromStatus: 'q', toStatus: 'a', quantity: 2 }]);
    expect(placeEvent({ type: 'adjustment', quantity: -3, location: 'L' })).toMatchObject([
      { type: 'adjustment', quantity: -3 },
    ]);
    expect(placeEvent({ type: 'cycle_count', quantity: -3, location: 'L' })).toBe(
      'a counted quantity cannot be negative',
    );
  });
});
