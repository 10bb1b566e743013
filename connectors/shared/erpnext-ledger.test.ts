import { describe, expect, it } from 'vitest';
import { sleEvents, type SleRow } from './erpnext-ledger.ts';

const opts = {
  sourceId: 'erp',
  statusOf: () => 'actual_qty',
  isTransit: (w: string) => w.startsWith('Goods In Transit'),
};

let n = 0;
function row(voucherNo: string, actualQty: number, extra: Partial<SleRow> = {}): SleRow {
  n++;
  return {
    file: 'sle.csv',
    line: n,
    name: `SLE-${n}`,
    itemCode: 'A',
    warehouse: 'Stores - AC',
    occurredAt: `2026-11-20T10:00:${String(n).padStart(2, '0')}.000Z`,
    voucherType: 'Delivery Note',
    voucherNo,
    actualQty,
    isCancelled: false,
    ...extra,
  };
}

describe('sleEvents', () => {
  it('lets the latest amendment replace its original and earlier amendments', () => {
    const r = sleEvents(
      [
        row('MAT-DN-2026-00030', -2),
        row('MAT-DN-2026-00030-1', -3),
        row('MAT-DN-2026-00030-2', -4),
      ],
      opts,
    );
    expect(r.events.map((e) => [e.reference, e.quantity])).toEqual([['MAT-DN-2026-00030-2', 4]]);
    expect(r.superseded).toBe(2);
  });

  it('does not take a naming series counter for an amendment', () => {
    const r = sleEvents([row('SINV-12', -1), row('SINV-13', -1), row('DN-2026-00012', -1)], opts);
    expect(r.events).toHaveLength(3);
    expect(r.superseded).toBe(0);
  });

  it('finds no movement in a count that matches the book or a valuation-only entry', () => {
    const r = sleEvents(
      [
        row('PR-1', 5, { voucherType: 'Purchase Receipt', qtyAfterTransaction: 5 }),
        row('RECO-1', 0, { voucherType: 'Stock Reconciliation', qtyAfterTransaction: 5 }),
        row('LCV-1', 0, { voucherType: 'Landed Cost Voucher', qtyAfterTransaction: 5 }),
      ],
      opts,
    );
    expect(r.events.map((e) => e.type)).toEqual(['receipt']);
    expect(r.noMovement).toBe(2);
  });

  it('sizes a count in decimals without binary noise', () => {
    const r = sleEvents(
      [
        row('PR-1', 0.3, { voucherType: 'Purchase Receipt', qtyAfterTransaction: 0.3 }),
        row('RECO-1', 0, { voucherType: 'Stock Reconciliation', qtyAfterTransaction: 0.1 }),
      ],
      opts,
    );
    expect(r.events[1]).toMatchObject({
      type: 'adjustment',
      fromStatus: 'actual_qty',
      quantity: 0.2,
    });
  });

  it('pairs a second transit leg with the first it names by outgoing_stock_entry', () => {
    const legs = [
      row('STE-1', -5, { voucherType: 'Stock Entry' }),
      row('STE-1', 5, { voucherType: 'Stock Entry', warehouse: 'Goods In Transit - AC' }),
      row('STE-2', -5, { voucherType: 'Stock Entry' }),
      row('STE-2', 5, { voucherType: 'Stock Entry', warehouse: 'Goods In Transit - AC' }),
      row('STE-3', -5, {
        voucherType: 'Stock Entry',
        warehouse: 'Goods In Transit - AC',
        outgoingStockEntry: 'STE-2',
      }),
      row('STE-3', 5, {
        voucherType: 'Stock Entry',
        warehouse: 'West - AC',
        outgoingStockEntry: 'STE-2',
      }),
    ];
    const r = sleEvents(legs, opts);
    expect(r.events.map((e) => [e.type, e.reference, e.counterpartLocation])).toEqual([
      ['transfer_out', 'STE-2', 'West - AC'],
      ['transfer_in', 'STE-2', 'Stores - AC'],
      ['transfer_out', 'STE-1', 'Goods In Transit - AC'],
    ]);
  });
});
