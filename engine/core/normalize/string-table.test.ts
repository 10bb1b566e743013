import { describe, expect, it } from 'vitest';
import { Interner } from '../model/intern.ts';
import { StringTable, TableInterner } from './string-table.ts';

/** Deterministic strings with many shared prefixes and some repeats. */
function words(n: number): string[] {
  const out: string[] = [];
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out.push(i % 3 === 0 ? `gid://shopify/Fulfillment/${x % 5000}` : `W${x % 700}-${i % 9}`);
  }
  return out;
}

describe('StringTable', () => {
  it('gives the ids a Map in insertion order would, through many growths', () => {
    const table = new StringTable();
    const map = new Map<string, number>();
    for (const w of words(50_000)) {
      if (!map.has(w)) map.set(w, map.size);
      expect(table.add(w)).toBe(map.get(w));
    }
    expect(table.size).toBe(map.size);
    expect(table.keys).toEqual([...map.keys()]);
    for (const [w, id] of map) expect(table.find(w)).toBe(id);
    expect(table.find('absent')).toBe(-1);
    expect(table.find('')).toBe(-1);
  });

  it('starts from the keys it is given', () => {
    const table = new StringTable(words(500).filter((w, i, all) => all.indexOf(w) === i));
    expect(table.find(table.keys[321]!)).toBe(321);
    expect(table.add('new')).toBe(table.size - 1);
  });
});

describe('TableInterner', () => {
  it('interns exactly as the Interner does', () => {
    const a = new Interner();
    const b = new TableInterner();
    for (const w of words(5_000)) expect(b.id(w)).toBe(a.id(w));
    expect(b.values).toEqual(a.values);
    expect(b.size).toBe(a.size);
    expect(b.find('W1-1')).toBe(a.find('W1-1'));
    expect(b.find('nope')).toBeUndefined();
    expect(b.value(3)).toBe(a.value(3));
  });
});
