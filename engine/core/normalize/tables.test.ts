import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventIdStore } from './event-ids.ts';
import { EventTable, SnapshotTable, emptyEventRow } from './tables.ts';

describe('the columnar tables', () => {
  it('keep every value of every row, past what was reserved and without a reservation', () => {
    for (const reserved of [0, 10, 3000]) {
      const events = new EventTable(new EventIdStore());
      if (reserved) events.reserve(reserved);
      const row = emptyEventRow();
      for (let i = 0; i < 5000; i++) {
        for (const k of Object.keys(row) as (keyof typeof row)[]) row[k] = (i * 7 + k.length) % 250;
        row.qty = i + 0.5;
        events.add(row);
      }
      expect(events.length).toBe(5000);
      for (const i of [0, 9, 10, 1023, 1024, 2999, 3000, 4999]) {
        expect(events.type.get(i)).toBe((i * 7 + 4) % 250);
        expect(events.counterpart.get(i)).toBe((i * 7 + 11) % 250);
        expect(events.idRef.get(i)).toBe((i * 7 + 5) % 250);
        expect(events.qty.get(i)).toBe(i + 0.5);
      }
      for (const column of [events.src, events.type, events.qty, events.booked, events.idRef])
        expect(column.length).toBe(5000);
    }
  });

  it('link each position to the latest earlier row of its identity, whatever the sources', () => {
    const row = fc.record({
      src: fc.constantFrom(0, 1, 3),
      sl: fc.nat({ max: 40 }),
      fine: fc.nat({ max: 2 }),
      status: fc.nat({ max: 3 }),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 400 }), (rows) => {
        const positions = new SnapshotTable();
        for (const [i, r] of rows.entries())
          positions.add({
            ...r,
            sku: r.sl,
            cmp: 0,
            bucket: 0,
            qty: i,
            asOfMs: i,
            file: 0,
            line: i,
          });
        const later = new Set<number>();
        rows.forEach((r, i) => {
          let expected = -1;
          for (let j = i - 1; j >= 0; j--) {
            const o = rows[j]!;
            if (o.src === r.src && o.sl === r.sl && o.fine === r.fine && o.status === r.status) {
              expected = j;
              break;
            }
          }
          expect(positions.prev.get(i)).toBe(expected);
          if (expected >= 0) later.add(expected);
        });
        rows.forEach((_, i) => expect(positions.superseded.get(i)).toBe(later.has(i) ? 1 : 0));
      }),
    );
  });

  it('mark an earlier row of the same identity superseded, across growth', () => {
    const positions = new SnapshotTable();
    const at = (i: number) => ({
      sl: i % 700,
      src: 0,
      sku: i % 700,
      fine: 1,
      cmp: 1,
      bucket: 0,
      status: 2,
      qty: i,
      asOfMs: i,
      file: 0,
      line: i + 2,
    });
    for (let i = 0; i < 2100; i++) positions.add(at(i));
    expect(positions.length).toBe(2100);
    expect([positions.superseded.get(5), positions.superseded.get(1405)]).toEqual([1, 0]);
    expect([positions.prev.get(1405), positions.prev.get(705), positions.prev.get(5)]).toEqual([
      705, 5, -1,
    ]);
    const latest: number[] = [];
    positions.forEachLatest(Number.MAX_SAFE_INTEGER, (row) => latest.push(row));
    expect(latest).toHaveLength(700);
    expect(latest.every((row) => row >= 1400)).toBe(true);
    expect(positions.line.get(2099)).toBe(2101);
  });
});
