import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isByteText, textHash, type ByteTexts } from '../model/byte-texts.ts';
import { Interner } from '../model/intern.ts';
import { ByteInterner, EventIdSet, EventIdStore } from './event-ids.ts';

/** Characters on both sides of Latin-1's end (0xff), and beyond the basic plane. */
const near = fc.integer({ min: 0, max: 0x2ff }).map((c) => String.fromCharCode(c));
const text = (maxLength: number) =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: near, maxLength }),
    fc.string({ unit: 'binary', maxLength }),
  );

describe('EventIdSet', () => {
  it('keeps two distinct ids whose hashes collide', () => {
    // FNV-1a gives both -623671765
    const set = new EventIdSet(new EventIdStore());
    expect(set.add('E-341969')).toBe(0);
    expect(set.add('E-1433706')).toBe(1);
    expect(set.add('E-341969')).toBe(-1);
    expect(set.add('E-1433706')).toBe(-1);
  });

  it('keeps every id through reservations smaller and larger than what comes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: 40_000 }), fc.array(text(40), { maxLength: 120 })), {
          maxLength: 6,
        }),
        (files) => {
          const store = new EventIdStore();
          const set = new EventIdSet(store);
          const taken = new Map<string, number>();
          for (const [reserved, ids] of files) {
            set.reserve(reserved);
            for (const s of ids) {
              const k = set.add(s);
              if (taken.has(s)) expect(k).toBe(-1);
              else taken.set(s, k);
            }
          }
          expect(store.size).toBe(taken.size);
          for (const [s, k] of taken) expect(store.get(k)).toBe(s);
        },
      ),
    );
  });

  it('takes each id once per set; the store gives every string back, whatever its characters', () => {
    const id = fc.oneof(text(12), fc.string({ minLength: 250, maxLength: 300 }));
    fc.assert(
      fc.property(fc.array(id, { maxLength: 200 }), (ids) => {
        const store = new EventIdStore();
        const set = new EventIdSet(store);
        const taken = new Map<string, number>();
        for (const s of ids) {
          const k = set.add(s);
          if (taken.has(s)) expect(k).toBe(-1);
          else taken.set(s, k);
        }
        for (const [s, k] of taken) expect(store.get(k)).toBe(s);
      }),
    );
  });

  it('orders ids as their strings compare', () => {
    const id = text(6);
    fc.assert(
      fc.property(fc.uniqueArray(id, { maxLength: 60 }), (ids) => {
        const store = new EventIdStore();
        const set = new EventIdSet(store);
        const ks = ids.map((s) => set.add(s));
        const byStore = [...ks].sort((a, b) => store.compare(a, b)).map((k) => store.get(k));
        expect(byStore).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      }),
    );
  });

  it('holds many ids through growths', () => {
    const store = new EventIdStore();
    const set = new EventIdSet(store);
    const added = Array.from({ length: 50_000 }, (_, i) => set.add(`W${i}-1`));
    expect(added.every((k, i) => k === i)).toBe(true);
    const again = Array.from({ length: 50_000 }, (_, i) => set.add(`W${i}-1`));
    expect(again.every((k) => k === -1)).toBe(true);
    expect(store.get(49_999)).toBe('W49999-1');
  });
});

describe('references interned as bytes', () => {
  it('gives the ids, lookups and texts an Interner gives, whatever the characters', () => {
    fc.assert(
      fc.property(
        fc.array(text(8), { maxLength: 80 }),
        fc.array(text(8), { maxLength: 20 }),
        (words, probes) => {
          const bytes = new ByteInterner();
          const strings = new Interner();
          for (const w of words) expect(bytes.id(w)).toBe(strings.id(w));
          expect(bytes.size).toBe(strings.size);
          for (const p of [...words, ...probes]) expect(bytes.find(p)).toBe(strings.find(p));
          for (let id = 0; id < strings.size; id++) expect(bytes.value(id)).toBe(strings.value(id));
        },
      ),
    );
  });

  it('finds every text again after room is made for more, at any point', () => {
    fc.assert(
      fc.property(
        fc.array(text(6), { maxLength: 120 }),
        fc.array(fc.tuple(fc.nat(120), fc.nat(5_000)), { maxLength: 4 }),
        (words, rooms) => {
          const bytes = new ByteInterner();
          const strings = new Interner();
          const ids = new EventIdSet(new EventIdStore());
          words.forEach((w, i) => {
            for (const [at, more] of rooms) {
              if (at !== i) continue;
              bytes.reserve(more);
              ids.reserve(more);
            }
            expect(bytes.id(w)).toBe(strings.id(w));
            expect(ids.add(w) >= 0).toBe(words.indexOf(w) === i);
          });
          for (const w of words) expect(bytes.find(w)).toBe(strings.find(w));
          for (const w of words) expect(ids.add(w)).toBe(-1);
        },
      ),
    );
  });

  it('keeps its numbers through growths and refuses one out of range', () => {
    const refs = new ByteInterner();
    const ids = Array.from({ length: 30_000 }, (_, i) => refs.id(`PO-${i % 20_000}`));
    expect(ids.slice(20_000).every((k, i) => k === i)).toBe(true);
    expect(refs.size).toBe(20_000);
    expect(refs.value(19_999)).toBe('PO-19999');
    expect(() => refs.value(20_000)).toThrow(/out of range/);
    expect(() => refs.value(-1)).toThrow(/out of range/);
  });
});

/** Each text as a one-text batch when it can be bytes (sink-wire.ts), else undefined. */
function asBytes(s: string): ByteTexts | undefined {
  if (!isByteText(s)) return undefined;
  const bytes = Uint8Array.from(s, (c) => c.charCodeAt(0));
  return { bytes, ends: Int32Array.of(bytes.length), hashes: Int32Array.of(textHash(s)) };
}

describe('texts that arrive as bytes', () => {
  it('are the same texts as their strings, in whichever form each arrives', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.oneof(text(8), fc.string({ minLength: 250, maxLength: 300 })), fc.boolean()),
          {
            maxLength: 120,
          },
        ),
        (arrivals) => {
          const store = new EventIdStore();
          const ids = new EventIdSet(store);
          const bytes = new ByteInterner();
          const strings = new Interner();
          const seen = new Set<string>();
          for (const [s, asText] of arrivals) {
            const texts = asText ? asBytes(s) : undefined;
            const k = texts ? ids.addText(texts, 0) : ids.add(s);
            expect(k >= 0).toBe(!seen.has(s));
            if (k >= 0) expect(store.get(k)).toBe(s);
            seen.add(s);
            expect(texts ? bytes.idOfText(texts, 0) : bytes.id(s)).toBe(strings.id(s));
          }
          for (let id = 0; id < strings.size; id++) expect(bytes.value(id)).toBe(strings.value(id));
        },
      ),
    );
  });
});
