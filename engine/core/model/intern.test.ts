import { describe, expect, it } from 'vitest';
import { ByteColumn, IntColumn, NumColumn } from './intern.ts';

describe('typed columns', () => {
  it('make exactly the room a large reservation asks, once', () => {
    for (const column of [new IntColumn(), new NumColumn(), new ByteColumn()]) {
      column.reserve(3_000_000);
      expect(column.data.length).toBe(3_000_000);
      const data = column.data;
      for (let i = 0; i < 3_000_000; i += 1000) column.push(i % 200);
      expect(column.data).toBe(data);
    }
  });

  it('grow a full column geometrically for small reservations, as pushes do', () => {
    const column = new IntColumn(1024);
    for (let i = 0; i < 1024; i++) column.push(i);
    const copies = new Set<Int32Array>();
    // a live ledger reserving one row per event: not a copy of the whole column each time
    for (let i = 0; i < 5000; i++) {
      column.reserve(1);
      copies.add(column.data);
      column.push(i);
    }
    expect(copies.size).toBeLessThanOrEqual(4);
    expect(column.length).toBe(6024);
    expect(column.get(1023)).toBe(1023);
    expect(column.get(6023)).toBe(4999);
  });
});
