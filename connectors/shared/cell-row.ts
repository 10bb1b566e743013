/**
 * One row of a delimited file as the row handler sees it, in either of two forms: the cells
 * as text (a record the text parser split, delimited.ts) or the row's bytes with the bounds
 * of each cell (a plain ASCII line the byte lane split, byte-lane.ts). A cell reads the same
 * either way: trimmed, and undefined when empty. One object is reused for every row of a file,
 * so a row costs no array and decodes only the cells the mapping reads.
 */
import type { Resolve } from './columns.ts';

export class CellRow {
  /** The record's cells when it came through the text parser; undefined in byte form. */
  texts: string[] | undefined;
  /** The bytes holding the line, in byte form. Valid only while the row is handled. */
  bytes: Buffer = Buffer.alloc(0);
  /** Byte bounds of each cell: [starts[i], ends[i]). */
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** A hash of each cell's bytes, as hashOf gives it. */
  readonly hashes: Int32Array;
  /** Byte bounds of the whole line, for the rejects file. */
  lineStart = 0;
  lineEnd = 0;
  private readonly caches: TextCache[];

  constructor(readonly width: number) {
    this.starts = new Int32Array(width);
    this.ends = new Int32Array(width);
    this.hashes = new Int32Array(width);
    this.caches = Array.from({ length: width }, () => new TextCache());
  }

  /** The trimmed cell `index`, undefined when empty or absent. */
  cell(index: number): string | undefined {
    const texts = this.texts;
    if (texts !== undefined) {
      const v = texts[index];
      if (v === undefined || v === '') return undefined;
      const t = v.trim();
      return t === '' ? undefined : t;
    }
    const b = this.bytes;
    let s = this.starts[index]!;
    let e = this.ends[index]!;
    // the byte lane only takes ASCII lines: these are all the characters String#trim drops
    if (s === e) return undefined;
    if (isSpace(b[s]!) || isSpace(b[e - 1]!)) {
      while (s < e && isSpace(b[s]!)) s++;
      while (e > s && isSpace(b[e - 1]!)) e--;
      if (s === e) return undefined;
      return this.caches[index]!.text(b, s, e, hashOf(b, s, e));
    }
    return this.caches[index]!.text(b, s, e, this.hashes[index]!);
  }

  /** The line as text, as the text parser gives it in a reject. */
  raw(): string {
    return latin1(this.bytes, this.lineStart, this.lineEnd);
  }
}

/** The hash the byte lane computes while it splits a line. */
export function hashOf(b: Buffer, s: number, e: number): number {
  let h = 0;
  for (let k = s; k < e; k++) h = (Math.imul(h, 31) + b[k]!) | 0;
  return h;
}

type Latin1 = { latin1Slice(start: number, end: number): string };

/**
 * ASCII bytes as text: Buffer's own slice method, without toString's argument checks (a
 * measurable share of a row when most of its cells are decoded).
 */
export function latin1(b: Buffer, s: number, e: number): string {
  return (b as unknown as Latin1).latin1Slice(s, e);
}

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** Getters over a CellRow by header index (the delimited counterpart of propertyResolver). */
export function cellResolver(header: string[]): Resolve<CellRow> {
  return (name) => {
    const index = header.indexOf(name);
    if (index === -1) return undefined;
    return (row) => row.cell(index);
  };
}

const SLOTS = 4096;
/** Lookups after which a column that mostly misses (ids, references) stops being cached. */
const TRIAL = 8192;

/**
 * Recent texts of one column by a hash of their bytes: skus, locations, statuses, units and
 * timestamps repeat from row to row, and a repeated cell then costs no new string (and the
 * date parser's cache finds the very same string). A column whose texts do not repeat is
 * decoded directly once the trial shows it.
 */
export class TextCache {
  private readonly slots: (string | undefined)[] = new Array<string | undefined>(SLOTS);
  private hits = 0;
  private lookups = 0;
  private off = false;

  /** ASCII bytes [s, e) as text; `hash` is hashOf(b, s, e). */
  text(b: Buffer, s: number, e: number, hash: number): string {
    if (this.off) return latin1(b, s, e);
    const slot = (hash ^ (hash >>> 13) ^ (e - s)) & (SLOTS - 1);
    const known = this.slots[slot];
    if (++this.lookups === TRIAL) this.off = this.hits * 4 < TRIAL;
    if (known !== undefined && sameText(known, b, s, e)) {
      this.hits++;
      return known;
    }
    const t = latin1(b, s, e);
    this.slots[slot] = t;
    return t;
  }
}

function sameText(t: string, b: Buffer, s: number, e: number): boolean {
  if (t.length !== e - s) return false;
  for (let k = 0; k < t.length; k++) if (t.charCodeAt(k) !== b[s + k]) return false;
  return true;
}
