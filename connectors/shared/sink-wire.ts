/**
 * A Sink's calls sent from a reading thread to the thread that owns the sink, in their order.
 * Positions and events, millions of them, travel as columns: each string once per batch (a
 * batch's skus, locations, statuses and times repeat) and numbers in typed arrays that are
 * moved, not copied; items too (an item master has hundreds of thousands: sent as objects, their
 * copying cost more than the rest of their reading). The rare calls (rejects, a phase's size,
 * progress) travel as they are. This file is the format and the writing side; sink-replay.ts
 * rebuilds each record on the receiving side.
 */
import type { Item, RawEvent, RawPosition } from '../../engine/core/model/types.ts';
import { isByteText, type ByteTexts } from '../../engine/core/model/byte-texts.ts';
import { canonicalTimeMs } from '../../engine/core/model/event-parts.ts';
import type { ReadProgress, RejectedRecord, Sink } from '../types.ts';

export const POSITION = 0;
export const OPENING = 1;
export const EVENT = 2;
export const ITEM = 3;
export const REJECT = 4;
export const EXPECT = 5;
export const PROGRESS = 6;

/** Ints of a position: source, sku, location, status, unit, asOf, origin file; origin line. */
export const POSITION_INTS = 8;
/**
 * Of an event: source … reasonCode (13 strings), counterpartReference (-2: not set), origin
 * file; origin line. The source event id, the reference and the counterpart reference may be
 * byte texts (BYTE_TEXT - k: text k of the batch's `texts`); occurredAt and recordedAt may be
 * IN_NUMS: their milliseconds are the event's second and third number.
 */
export const EVENT_INTS = 16;
/** Numbers of an event: its quantity, occurredAt and recordedAt in milliseconds (or NaN). */
export const EVENT_NUMS = 3;
/** A time slot whose time travels as its milliseconds (canonicalTimeMs). */
export const IN_NUMS = -2;
/**
 * Of an item: sku, skuClass, category, baseUnit, unitCost, source, origin file (strings),
 * origin line, packs (1: the next of `objects`, -1: undefined), the number of aliases (-1:
 * undefined), then each alias's source and text: 10 + 2 per alias.
 */
export const ITEM_INTS = 10;
/**
 * Records a batch holds before it is sent. Small enough that a batch's arrays stay in the young
 * generation on both threads: at 8,192 events a batch's texts (~37k) made an array over V8's
 * 128 KiB regular-object limit, allocated in large-object space, so every text stored in it
 * went through the old-to-new write barrier and every scavenge walked it. Reading the WMS
 * transactions alone on one thread (1.25M rows): 2.9–3.6 s at 8,192, 1.8–2.7 s at 2,048.
 */
const BATCH_RECORDS = 2048;
/** Times read to milliseconds a reading thread keeps (an event file's distinct minutes and seconds). */
const TIMES_KEPT = 100_000;
/** A string id at or below this is a byte text: BYTE_TEXT - id is its number. */
export const BYTE_TEXT = -3;

export type WireBatch = {
  ops: Uint8Array;
  /** String ids (-1: undefined) and origin lines, per record in op order. */
  ints: Int32Array;
  /** A position's quantity; an event's quantity, occurredAt and recordedAt (EVENT_NUMS). */
  nums: Float64Array;
  strings: string[];
  /** Which of `strings` are texts of few values (str): the receiving side shares them. */
  words: number[];
  /** Event ids and references as Latin-1 bytes (ByteTexts), moved, not copied. */
  texts: ByteTexts;
  /** Items, rejects, expectations and progress, in op order. */
  objects: unknown[];
};

/**
 * About how many bytes a batch holds while it waits to be replayed: its arrays, and its strings
 * at two bytes a character (what bounds the memory of a read ahead, read-in-worker.ts).
 */
export function wireBytes(batch: WireBatch): number {
  let bytes =
    batch.ops.byteLength +
    batch.ints.byteLength +
    batch.nums.byteLength +
    batch.texts.bytes.byteLength +
    batch.texts.ends.byteLength +
    batch.texts.hashes.byteLength;
  for (const s of batch.strings) bytes += 2 * s.length;
  return bytes;
}

/** The writing side: a Sink (plus progress) that sends batches through `send`. */
export class WireSink implements Sink {
  private ops = new Uint8Array(BATCH_RECORDS);
  private ints = new Int32Array(BATCH_RECORDS * EVENT_INTS);
  private nums = new Float64Array(BATCH_RECORDS * EVENT_NUMS);
  private strings: string[] = [];
  private words: number[] = [];
  private ids = new Map<string, number>();
  /** Per field slot, the text last sent there and its id in this batch (most repeat the row above). */
  private lastText: (string | undefined)[] = new Array<string | undefined>(EVENT_INTS).fill(
    undefined,
  );
  private lastId = new Int32Array(EVENT_INTS);
  /** The last time text read as milliseconds, and those of the times seen (bounded). */
  private lastTime = '';
  private lastTimeMs = NaN;
  private timesMs = new Map<string, number>();
  private objects: unknown[] = [];
  private n = 0;
  private ni = 0;
  private nn = 0;
  /** The batch's byte texts: their bytes, where each ends, each one's hash; `nt` of them. */
  private textBytes = new Uint8Array(BATCH_RECORDS * 48);
  private textEnds = new Int32Array(BATCH_RECORDS * 3);
  private textHashes = new Int32Array(BATCH_RECORDS * 3);
  private nt = 0;
  private nb = 0;

  constructor(private readonly send: (batch: WireBatch, transfer: ArrayBuffer[]) => void) {}

  position(p: RawPosition): void {
    this.positionOp(POSITION, p);
  }

  opening(p: RawPosition): void {
    this.positionOp(OPENING, p);
  }

  event(e: RawEvent): void {
    this.ops[this.n++] = EVENT;
    const ints = this.ints;
    let i = this.ni;
    ints[i++] = this.str(0, e.source);
    ints[i++] = this.byteText(e.sourceEventId);
    ints[i++] = this.str(2, e.type);
    ints[i++] = this.text(3, e.sku);
    ints[i++] = this.str(4, e.location);
    ints[i++] = this.str(5, e.fromStatus);
    ints[i++] = this.str(6, e.toStatus);
    ints[i++] = this.str(7, e.counterpartLocation);
    ints[i++] = this.str(8, e.unit);
    const occurredMs = this.timeMs(e.occurredAt);
    ints[i++] = occurredMs === occurredMs ? IN_NUMS : this.text(9, e.occurredAt);
    const recordedMs = e.recordedAt === undefined ? NaN : this.timeMs(e.recordedAt);
    ints[i++] = recordedMs === recordedMs ? IN_NUMS : this.text(10, e.recordedAt);
    ints[i++] = this.byteText(e.reference);
    ints[i++] = this.str(12, e.reasonCode);
    ints[i++] = 'counterpartReference' in e ? this.byteText(e.counterpartReference) : -2;
    ints[i++] = this.str(14, e.origin?.file);
    ints[i++] = e.origin?.line ?? 0;
    this.ni = i;
    const nums = this.nums;
    nums[this.nn++] = e.quantity;
    nums[this.nn++] = occurredMs;
    nums[this.nn++] = recordedMs;
    if (this.n === BATCH_RECORDS) this.flush();
  }

  item(item: Item): void {
    const aliases = item.aliases === undefined ? undefined : Object.entries(item.aliases);
    const need = ITEM_INTS + 2 * (aliases?.length ?? 0);
    if (this.ni + need > this.ints.length) {
      const ints = new Int32Array(Math.max(this.ints.length * 2, this.ni + need));
      ints.set(this.ints.subarray(0, this.ni));
      this.ints = ints;
    }
    this.ops[this.n++] = ITEM;
    const ints = this.ints;
    let i = this.ni;
    ints[i++] = this.text(1, item.sku);
    ints[i++] = this.str(2, item.skuClass);
    ints[i++] = this.str(3, item.category);
    ints[i++] = this.str(4, item.baseUnit);
    ints[i++] = this.str(5, item.unitCost);
    ints[i++] = this.str(0, item.source);
    ints[i++] = this.str(6, item.origin?.file);
    ints[i++] = item.origin?.line ?? 0;
    if (item.packs === undefined) ints[i++] = -1;
    else {
      ints[i++] = 1;
      this.objects.push(item.packs);
    }
    ints[i++] = aliases === undefined ? -1 : aliases.length;
    for (const [source, alias] of aliases ?? []) {
      ints[i++] = this.str(7, source);
      ints[i++] = this.unique(alias);
    }
    this.ni = i;
    if (this.n === BATCH_RECORDS) this.flush();
  }

  reject(r: RejectedRecord): void {
    this.object(REJECT, r);
  }

  expect(kind: 'items' | 'opening' | 'positions' | 'events', rows: number): void {
    this.object(EXPECT, [kind, rows]);
  }

  progress(p: ReadProgress): void {
    this.object(PROGRESS, p);
  }

  /** Sends what is buffered. */
  flush(): void {
    if (this.n === 0) return;
    const batch: WireBatch = {
      ops: this.ops.slice(0, this.n),
      ints: this.ints.slice(0, this.ni),
      nums: this.nums.slice(0, this.nn),
      strings: this.strings,
      words: this.words,
      texts: {
        bytes: this.textBytes.slice(0, this.nb),
        ends: this.textEnds.slice(0, this.nt),
        hashes: this.textHashes.slice(0, this.nt),
      },
      objects: this.objects,
    };
    this.strings = [];
    this.words = [];
    this.ids = new Map();
    this.lastText.fill(undefined);
    this.objects = [];
    this.n = this.ni = this.nn = this.nt = this.nb = 0;
    const { texts } = batch;
    this.send(batch, [
      batch.ops.buffer,
      batch.ints.buffer,
      batch.nums.buffer,
      texts.bytes.buffer,
      texts.ends.buffer,
      texts.hashes.buffer,
    ] as ArrayBuffer[]);
  }

  private positionOp(op: number, p: RawPosition): void {
    this.ops[this.n++] = op;
    const ints = this.ints;
    let i = this.ni;
    ints[i++] = this.str(0, p.source);
    ints[i++] = this.text(1, p.sku);
    ints[i++] = this.str(2, p.location);
    ints[i++] = this.str(3, p.status);
    ints[i++] = this.str(4, p.unit);
    ints[i++] = this.text(5, p.asOf);
    ints[i++] = this.str(6, p.origin?.file);
    ints[i++] = p.origin?.line ?? 0;
    this.ni = i;
    this.nums[this.nn++] = p.quantity;
    if (this.n === BATCH_RECORDS) this.flush();
  }

  private object(op: number, value: unknown): void {
    this.ops[this.n++] = op;
    this.objects.push(value);
    if (this.n === BATCH_RECORDS) this.flush();
  }

  /**
   * An event id or a reference: its Latin-1 bytes and hash into the batch's byte texts (copied
   * and hashed here, so the receiving thread makes no string of it), else sent as unique().
   */
  private byteText(v: string | undefined): number {
    if (v === undefined || !isByteText(v)) return this.unique(v);
    const length = v.length;
    if (this.nb + length > this.textBytes.length) {
      const bytes = new Uint8Array(Math.max(this.textBytes.length * 2, this.nb + length));
      bytes.set(this.textBytes.subarray(0, this.nb));
      this.textBytes = bytes;
    }
    if (this.nt === this.textEnds.length) {
      const ends = new Int32Array(this.nt * 2);
      ends.set(this.textEnds);
      this.textEnds = ends;
      const hashes = new Int32Array(this.nt * 2);
      hashes.set(this.textHashes);
      this.textHashes = hashes;
    }
    const bytes = this.textBytes;
    let at = this.nb;
    // textHash's FNV-1a, made while the characters are copied
    let h = 0x811c9dc5 | 0;
    for (let k = 0; k < length; k++) {
      const c = v.charCodeAt(k);
      bytes[at++] = c;
      h = Math.imul(h ^ c, 16777619);
    }
    this.nb = at;
    this.textEnds[this.nt] = at;
    this.textHashes[this.nt] = h;
    return BYTE_TEXT - this.nt++;
  }

  /**
   * A time's milliseconds when it is written as toISOString writes it (what the connectors'
   * date parsers give), else NaN. The parsers hand the same string for a repeated time: the
   * last one is a pointer compare, the others a lookup of a hash the string keeps.
   */
  private timeMs(v: string): number {
    if (v === this.lastTime) return this.lastTimeMs;
    let ms = this.timesMs.get(v);
    if (ms === undefined) {
      ms = canonicalTimeMs(v);
      if (this.timesMs.size >= TIMES_KEPT) this.timesMs.clear();
      this.timesMs.set(v, ms);
    }
    this.lastTime = v;
    this.lastTimeMs = ms;
    return ms;
  }

  /** A text that seldom repeats (an event id, a reference): sent as it is, not looked up. */
  private unique(v: string | undefined): number {
    if (v === undefined) return -1;
    this.strings.push(v);
    return this.strings.length - 1;
  }

  /**
   * A text of few values (a source, a status, a location, a unit): sent once per batch. The
   * row above's text in the same field is checked first: the parser hands the very same string
   * for a repeated cell, so that check is a pointer compare where the map would hash.
   */
  private str(slot: number, v: string | undefined): number {
    if (v === undefined) return -1;
    if (v === this.lastText[slot]) return this.lastId[slot]!;
    let id = this.ids.get(v);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(v);
      this.words.push(id);
      this.ids.set(v, id);
    }
    this.lastText[slot] = v;
    this.lastId[slot] = id;
    return id;
  }

  /**
   * A text of many values (a sku, a time): sent once while it repeats row after row (a sku's
   * statuses, a snapshot's time), else as it is: a map of a batch's skus would mostly miss.
   */
  private text(slot: number, v: string | undefined): number {
    if (v === undefined) return -1;
    if (v === this.lastText[slot]) return this.lastId[slot]!;
    const id = this.strings.length;
    this.strings.push(v);
    this.lastText[slot] = v;
    this.lastId[slot] = id;
    return id;
  }
}
