/**
 * Source event ids kept as bytes. 2M ids as strings cost ~100 B each on the heap (the string,
 * two array slots, a hash table's slots) and are marked by every full collection; here an id is
 * its Latin-1 bytes in one buffer plus an offset and a hash (~30 B). An id with a character
 * beyond Latin-1, or a very long one, is kept as its string. The string of an id is built only
 * where a result names it (evidence, the stored ledger).
 */
import { isByteText, latin1Of, textHash, textStart, type ByteTexts } from '../model/byte-texts.ts';
import { IntColumn } from '../model/intern.ts';

const EMPTY = -1;

/** Every id taken, by number in arrival order. */
export class EventIdStore {
  private bytes = new Uint8Array(1 << 16);
  private used = 0;
  /** Per id: its first byte (its bytes end where the next id's begin). */
  private readonly start = new IntColumn();
  private readonly hashes = new IntColumn();
  /** The ids kept as strings (they have no bytes). */
  private readonly wide = new Map<number, string>();

  get size(): number {
    return this.start.length;
  }

  hash(k: number): number {
    return this.hashes.get(k);
  }

  /** Stores `s` (its hash `h`) and returns its number. */
  add(s: string, h: number): number {
    const k = this.start.push(this.used);
    this.hashes.push(h);
    if (!isByteText(s)) {
      this.wide.set(k, s);
      return k;
    }
    if (this.used + s.length > this.bytes.length) this.grow(this.used + s.length);
    const bytes = this.bytes;
    let at = this.used;
    for (let i = 0; i < s.length; i++) bytes[at++] = s.charCodeAt(i);
    this.used = at;
    return k;
  }

  /** Stores the Latin-1 text `src[from, to)` (its hash `h`) and returns its number. */
  addBytes(src: Uint8Array, from: number, to: number, h: number): number {
    const k = this.start.push(this.used);
    this.hashes.push(h);
    const length = to - from;
    if (this.used + length > this.bytes.length) this.grow(this.used + length);
    // a loop: for ids of a dozen bytes, set(subarray) costs a view object and a call each
    const bytes = this.bytes;
    let at = this.used;
    for (let i = from; i < to; i++) bytes[at++] = src[i] as number;
    this.used = at;
    return k;
  }

  /**
   * Room for `more` ids at once: their numbers and hashes, and their bytes at the length of the
   * ids so far (16 before any). Growing by doubling copied each array into memory touched for
   * the first time (1M keys: ~0.2 s of the main thread in EventIdStore's grow).
   */
  reserve(more: number): void {
    this.start.reserve(more);
    this.hashes.reserve(more);
    const size = this.start.length;
    const perId = size > 0 ? Math.ceil(this.used / size) : 16;
    const bytes = this.used + more * perId;
    if (bytes > this.bytes.length) this.grow(bytes);
  }

  /** The id numbered `k`, as a string. */
  get(k: number): string {
    const from = this.start.get(k);
    const to = this.end(k);
    if (from === to) return this.wide.get(k) ?? '';
    // one flat string (at most 256 codes, isByteText): adding a character at a time left a chain of
    // one rope node per character past the 13th (1M keys: 1.5M nodes, 47 MiB, in the evidence)
    return latin1Of(this.bytes, from, to);
  }

  equals(k: number, s: string): boolean {
    const from = this.start.get(k);
    const length = this.end(k) - from;
    if (length === 0) return (this.wide.get(k) ?? '') === s;
    if (length !== s.length) return false;
    const bytes = this.bytes;
    for (let i = 0; i < length; i++) if (bytes[from + i] !== s.charCodeAt(i)) return false;
    return true;
  }

  /** Whether id `k` is the Latin-1 text `src[from, to)`. */
  equalsBytes(k: number, src: Uint8Array, from: number, to: number): boolean {
    const at = this.start.get(k);
    const length = this.end(k) - at;
    if (length !== to - from) return false;
    if (length === 0) return false; // kept as a string: never a byte text (isByteText)
    const bytes = this.bytes;
    for (let i = 0; i < length; i++) if (bytes[at + i] !== src[from + i]) return false;
    return true;
  }

  /** Orders two ids as their strings compare (by UTF-16 code units). */
  compare(a: number, b: number): number {
    const fromA = this.start.get(a);
    const fromB = this.start.get(b);
    const lengthA = this.end(a) - fromA;
    const lengthB = this.end(b) - fromB;
    if (lengthA === 0 || lengthB === 0) {
      const sa = this.get(a);
      const sb = this.get(b);
      return sa < sb ? -1 : sa > sb ? 1 : 0;
    }
    const bytes = this.bytes;
    const n = Math.min(lengthA, lengthB);
    for (let i = 0; i < n; i++) {
      const d = (bytes[fromA + i] as number) - (bytes[fromB + i] as number);
      if (d !== 0) return d < 0 ? -1 : 1;
    }
    return lengthA < lengthB ? -1 : lengthA > lengthB ? 1 : 0;
  }

  private end(k: number): number {
    return k + 1 < this.start.length ? this.start.get(k + 1) : this.used;
  }

  private grow(atLeast: number): void {
    const next = new Uint8Array(Math.max(atLeast, this.bytes.length * 2));
    next.set(this.bytes.subarray(0, this.used));
    this.bytes = next;
  }
}

/**
 * Texts in an EventIdStore, found again by an open-addressing table of their numbers; exact:
 * a hash hit compares the bytes.
 */
class ByteSet {
  private slots = new Int32Array(64).fill(EMPTY);
  private count = 0;

  constructor(protected readonly store: EventIdStore) {}

  /** The number of `s` (its hash `h`), or minus one minus the free slot where it would go. */
  protected probe(s: string, h: number): number {
    const store = this.store;
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const k = slots[i] as number;
      if (k === EMPTY) return -1 - i;
      if (store.hash(k) === h && store.equals(k, s)) return k;
    }
  }

  /** As probe, for text `k` of a batch's byte texts. */
  protected probeBytes(texts: ByteTexts, k: number): number {
    const store = this.store;
    const slots = this.slots;
    const mask = slots.length - 1;
    const h = texts.hashes[k] as number;
    const from = textStart(texts, k);
    const to = texts.ends[k] as number;
    const src = texts.bytes;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const id = slots[i] as number;
      if (id === EMPTY) return -1 - i;
      if (store.hash(id) === h && store.equalsBytes(id, src, from, to)) return id;
    }
  }

  /** As insert, for text `k` of a batch's byte texts. */
  protected insertBytes(texts: ByteTexts, k: number, slot: number): number {
    const from = textStart(texts, k);
    const to = texts.ends[k] as number;
    return this.place(this.store.addBytes(texts.bytes, from, to, texts.hashes[k] as number), slot);
  }

  /** Stores `s` in the free slot `probe` gave and returns its number. */
  protected insert(s: string, h: number, slot: number): number {
    return this.place(this.store.add(s, h), slot);
  }

  /** Puts the stored text `k` in the free slot `slot`; returns `k`. */
  private place(k: number, slot: number): number {
    this.slots[slot] = k;
    if (++this.count * 2 > this.slots.length) this.grow();
    return k;
  }

  /** Makes room for `more` texts at once: one rehash instead of one per doubling. */
  reserve(more: number): void {
    let size = this.slots.length;
    while ((this.count + more) * 2 > size) size *= 2;
    if (size > this.slots.length) this.rehash(size);
    this.store.reserve(more);
  }

  private grow(): void {
    this.rehash(this.slots.length * 2);
  }

  private rehash(size: number): void {
    const old = this.slots;
    const slots = new Int32Array(size).fill(EMPTY);
    const mask = slots.length - 1;
    for (const k of old) {
      if (k === EMPTY) continue;
      let i = this.store.hash(k) & mask;
      while (slots[i] !== EMPTY) i = (i + 1) & mask;
      slots[i] = k;
    }
    this.slots = slots;
  }
}

/** One source's ids (idempotency on source × source event id). */
export class EventIdSet extends ByteSet {
  /** The new number of `s`, or -1 when the source already took it. */
  add(s: string): number {
    const h = textHash(s);
    const found = this.probe(s, h);
    return found >= 0 ? -1 : this.insert(s, h, -1 - found);
  }

  /** As add, for text `k` of a batch's byte texts. */
  addText(texts: ByteTexts, k: number): number {
    const found = this.probeBytes(texts, k);
    return found >= 0 ? -1 : this.insertBytes(texts, k, -1 - found);
  }
}

/**
 * An interner of texts kept as bytes (see EventIdStore): references, 1.5M of them at 1M keys,
 * each a string on the heap otherwise (~50 B each and marked by every full collection). The
 * text of a number is built when a result asks for it.
 */
export class ByteInterner extends ByteSet {
  constructor() {
    super(new EventIdStore());
  }

  get size(): number {
    return this.store.size;
  }

  /** The number of `s`, added when new (numbers in order of arrival). */
  id(s: string): number {
    const h = textHash(s);
    const found = this.probe(s, h);
    return found >= 0 ? found : this.insert(s, h, -1 - found);
  }

  /** As id, for text `k` of a batch's byte texts. */
  idOfText(texts: ByteTexts, k: number): number {
    const found = this.probeBytes(texts, k);
    return found >= 0 ? found : this.insertBytes(texts, k, -1 - found);
  }

  /**
   * The number of a text given as text `k` of `texts` (k ≥ 0) or else as `s`; -1 for none
   * (undefined or empty, as an event without a reference).
   */
  idOrNone(s: string | undefined, texts: ByteTexts | undefined, k: number): number {
    if (k >= 0) return this.idOfText(texts!, k);
    return s ? this.id(s) : -1;
  }

  find(s: string): number | undefined {
    const found = this.probe(s, textHash(s));
    return found >= 0 ? found : undefined;
  }

  value(id: number): string {
    if (!(id >= 0 && id < this.store.size)) throw new Error(`interned id ${id} out of range`);
    return this.store.get(id);
  }
}
