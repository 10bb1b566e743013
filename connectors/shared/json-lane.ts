/**
 * The fast lane for JSON Lines: a plain line read straight from the bytes. A line is plain when
 * it is ASCII, one flat object (no nested object or array), without a backslash in any key or
 * string, and short enough that no limit can concern it; nearly every line of a machine export
 * is. Such a line is checked against JSON's grammar where it lies in the chunk and handed on as
 * a JsonRow holding where each mapped property's value lies: no decoding, no object, and a text
 * only for the values the mapping reads. Every other line goes as text to the LineSplitter and
 * JSON.parse, as before, so whatever is unusual about a line (an escape, a nested value, a
 * syntax error and its message, its length) is judged and reported by the same code. Line
 * numbers are the splitter's: the lane counts the lines it reads there.
 */
import type { TextConsumer } from './byte-stream.ts';
import { TextCache, hashOf, latin1 } from './cell-row.ts';
import type { Getter, Resolve } from './columns.ts';
import { propertyResolver } from './columns.ts';
import type { LineSplitter } from './lines.ts';

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const TEXT_PIECE_BYTES = 1 << 16;

/** What a mapped property holds on a plain line. */
const ABSENT = 0;
const STRING = 1;
/** A number whose literal is its own text (an integer of at most 15 digits, not -0). */
const INTEGER = 2;
const NUMBER = 3;
const TRUE = 4;
const FALSE = 5;
const NULL = 6;

/**
 * One line of a JSON Lines file as the row handler sees it: the parsed object (a line JSON.parse
 * read) or, in byte form, the bounds of each mapped property's value on the line. A property
 * reads the same either way (propertyResolver's text). One object is reused for every line.
 */
export class JsonRow {
  /** The parsed line when it came through JSON.parse; undefined in byte form. */
  object: Record<string, unknown> | undefined;
  /** The bytes holding the line, in byte form. Valid only while the row is handled. */
  bytes: Buffer = Buffer.alloc(0);
  lineStart = 0;
  lineEnd = 0;
  /** Per mapped property (its slot): what its value is and where it lies. */
  readonly kinds: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** A string value's hash (hashOf), taken while the line was scanned. */
  readonly hashes: Int32Array;
  private readonly caches: TextCache[];

  constructor(readonly names: readonly string[]) {
    this.kinds = new Uint8Array(names.length);
    this.starts = new Int32Array(names.length);
    this.ends = new Int32Array(names.length);
    this.hashes = new Int32Array(names.length);
    this.caches = names.map(() => new TextCache());
  }

  /** The value of slot `k` in byte form, as propertyResolver's text of the parsed value. */
  value(k: number): string | undefined {
    const kind = this.kinds[k]!;
    if (kind === ABSENT || kind === NULL) return undefined;
    const b = this.bytes;
    let s = this.starts[k]!;
    let e = this.ends[k]!;
    if (kind === STRING) {
      // a plain string holds no control character: spaces are all String#trim can drop
      if (s === e) return undefined;
      if (b[s] !== SPACE && b[e - 1] !== SPACE)
        return this.caches[k]!.text(b, s, e, this.hashes[k]!);
      while (s < e && b[s] === SPACE) s++;
      while (e > s && b[e - 1] === SPACE) e--;
      if (s === e) return undefined;
    } else if (kind === TRUE) return 'true';
    else if (kind === FALSE) return 'false';
    const text = this.caches[k]!.text(b, s, e, hashOf(b, s, e));
    if (kind !== NUMBER) return text;
    const n = Number(text);
    return Number.isFinite(n) ? String(n) : undefined;
  }

  /** The line as text, as the splitter would have handed it on. */
  raw(): string {
    return latin1(this.bytes, this.lineStart, this.lineEnd);
  }
}

/**
 * Getters over a JsonRow by property name: propertyResolver's over the parsed object, the
 * byte form's value otherwise. `plainNames` collects the names (a dotted path is read from
 * nested objects, which a plain line never has: then no line of the file is plain).
 */
export function jsonRowResolver(plainNames: string[]): Resolve<JsonRow> & { nested: boolean } {
  const parsed = propertyResolver();
  const resolve = (name: string): Getter<JsonRow> => {
    const get = parsed(name)!;
    if (name.includes('.')) resolve.nested = true;
    let slot = plainNames.indexOf(name);
    if (slot === -1) slot = plainNames.push(name) - 1;
    return (row) => (row.object !== undefined ? get(row.object) : row.value(slot));
  };
  resolve.nested = false;
  return resolve;
}

export type JsonLaneOptions = {
  splitter: LineSplitter;
  /** The row the plain lines are read into (its names: the mapped properties, by slot). */
  row: JsonRow;
  /** Longest line the lane reads; longer ones go to the splitter (it applies the limit). */
  maxPlainBytes: number;
  /** Called for a plain line: the row is in byte form. */
  onRow: (row: JsonRow, line: number) => void;
};

export class JsonLane implements TextConsumer {
  /** The mapped names as bytes, by slot. */
  private readonly keys: Uint8Array[];

  constructor(private readonly options: JsonLaneOptions) {
    this.keys = options.row.names.map((n) => Buffer.from(n, 'latin1'));
  }

  push(text: string): void {
    this.options.splitter.push(text);
  }

  pushBytes(bytes: Buffer): void {
    const { splitter, row } = this.options;
    const n = bytes.length;
    /** Start of the lines waiting to go to the splitter, -1 when none. */
    let textFrom = -1;
    let pos = 0;
    while (pos < n) {
      // where the line ends (its line feed, or the end of the bytes): found by the scan of a
      // plain line, searched for otherwise
      let stop = splitter.carried === 0 ? this.scan(bytes, pos, n, row) : -1;
      let plain = stop >= 0;
      if (!plain) {
        stop = bytes.indexOf(LF, pos);
        if (stop === -1) stop = n;
      }
      const next = stop < n ? stop + 1 : n;
      // the splitter's line: without its line feed and a carriage return before it
      const end = stop > pos && bytes[stop - 1] === CR ? stop - 1 : stop;
      if (end - pos > this.options.maxPlainBytes) plain = false;
      if (!plain && end > pos) {
        if (textFrom === -1) textFrom = pos;
        // a long run of such lines goes in pieces (a string over 128 KiB is a large object)
        if (next - textFrom >= TEXT_PIECE_BYTES || next === n) {
          splitter.push(bytes.toString('utf8', textFrom, next));
          textFrom = -1;
        }
        pos = next;
        continue;
      }
      if (textFrom !== -1) {
        splitter.push(bytes.toString('utf8', textFrom, pos));
        textFrom = -1;
      }
      if (end > pos) {
        row.object = undefined;
        row.bytes = bytes;
        row.lineStart = pos;
        row.lineEnd = end;
        this.options.onRow(row, splitter.nextLine);
      }
      splitter.skipLines(1);
      pos = next;
    }
  }

  end(): void {
    this.options.splitter.end();
  }

  overlong(prefix: string, bytes: number): void {
    this.options.splitter.overlong(prefix, bytes);
  }

  /**
   * Scans the line starting at `s` (bytes up to `n`): where it ends (its line feed, or `n`)
   * when it is one plain object, every mapped property's value placed in the row; -1 for
   * anything else (JSON.parse then judges the line).
   */
  private scan(b: Buffer, s: number, n: number, row: JsonRow): number {
    const { kinds, starts, ends, hashes } = row;
    for (let k = 0; k < kinds.length; k++) kinds[k] = ABSENT;
    let i = skipSpace(b, s, n);
    if (i >= n || b[i] !== OPEN) return -1;
    i = skipSpace(b, i + 1, n);
    if (i < n && b[i] === CLOSE) return lineEnd(b, i + 1, n);
    for (;;) {
      // the key
      if (i >= n || b[i] !== QUOTE) return -1;
      const keyStart = i + 1;
      const keyEnd = stringEnd(b, keyStart, n);
      if (keyEnd < 0) return -1;
      const slot = this.slotOf(b, keyStart, keyEnd);
      i = skipSpace(b, keyEnd + 1, n);
      if (i >= n || b[i] !== COLON) return -1;
      i = skipSpace(b, i + 1, n);
      if (i >= n) return -1;
      // the value; a repeated key's last value counts, as for JSON.parse
      const c = b[i]!;
      if (c === QUOTE) {
        // a plain string: no escape, no control character (invalid), nothing beyond ASCII
        let hash = 0;
        let j = i + 1;
        for (; j < n; j++) {
          const d = b[j]!;
          if (d === QUOTE) break;
          if (d === BACKSLASH || d < SPACE || d >= 0x80) return -1;
          hash = (Math.imul(hash, 31) + d) | 0;
        }
        if (j >= n) return -1;
        if (slot >= 0) {
          kinds[slot] = STRING;
          starts[slot] = i + 1;
          ends[slot] = j;
          hashes[slot] = hash;
        }
        i = j + 1;
      } else if (c === MINUS || (c >= ZERO && c <= NINE)) {
        const end = numberEnd(b, i, n);
        if (end < 0) return -1;
        if (slot >= 0) {
          kinds[slot] = isOwnText(b, i, end) ? INTEGER : NUMBER;
          starts[slot] = i;
          ends[slot] = end;
        }
        i = end;
      } else {
        const kind = literal(b, i, n);
        if (kind === ABSENT) return -1;
        const end = i + (kind === FALSE ? 5 : 4);
        if (slot >= 0) {
          kinds[slot] = kind;
          starts[slot] = i;
          ends[slot] = end;
        }
        i = end;
      }
      i = skipSpace(b, i, n);
      if (i >= n) return -1;
      if (b[i] === COMMA) {
        i = skipSpace(b, i + 1, n);
        continue;
      }
      if (b[i] !== CLOSE) return -1;
      return lineEnd(b, i + 1, n);
    }
  }

  /** The slot of the key [s, e), -1 when the mapping does not read it. */
  private slotOf(b: Buffer, s: number, e: number): number {
    const keys = this.keys;
    const length = e - s;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      if (key.length !== length) continue;
      let same = true;
      for (let j = 0; j < length; j++) {
        if (key[j] !== b[s + j]) {
          same = false;
          break;
        }
      }
      if (same) return k;
    }
    return -1;
  }
}

/** Where the line ends when only whitespace follows `i` on it (its line feed, or `n`); else -1. */
function lineEnd(b: Buffer, i: number, n: number): number {
  i = skipSpace(b, i, n);
  return i === n || b[i] === LF ? i : -1;
}

/** JSON's whitespace within a line (a line feed ends the line). */
function skipSpace(b: Buffer, i: number, e: number): number {
  while (i < e) {
    const c = b[i]!;
    if (c !== SPACE && c !== TAB && c !== CR) break;
    i++;
  }
  return i;
}

/**
 * Where the key whose characters start at `i` closes (its quote), or -1 when it is not plain:
 * an escape, a control character (invalid; a line feed among them), a byte beyond ASCII, or no
 * closing quote.
 */
function stringEnd(b: Buffer, i: number, e: number): number {
  for (; i < e; i++) {
    const c = b[i]!;
    if (c === QUOTE) return i;
    if (c === BACKSLASH || c < SPACE || c >= 0x80) return -1;
  }
  return -1;
}

/** Where the number starting at `i` ends, per JSON's grammar; -1 when it is not one. */
function numberEnd(b: Buffer, i: number, e: number): number {
  if (b[i] === MINUS) i++;
  if (i >= e) return -1;
  if (b[i] === ZERO) i++;
  else if (b[i]! > ZERO && b[i]! <= NINE) i = digits(b, i, e);
  else return -1;
  if (i < e && b[i] === DOT) {
    const from = i + 1;
    i = digits(b, from, e);
    if (i === from) return -1;
  }
  if (i < e && (b[i] === 0x65 || b[i] === 0x45)) {
    i++;
    if (i < e && (b[i] === 0x2b || b[i] === MINUS)) i++;
    const from = i;
    i = digits(b, from, e);
    if (i === from) return -1;
  }
  return i;
}

function digits(b: Buffer, i: number, e: number): number {
  while (i < e && b[i]! >= ZERO && b[i]! <= NINE) i++;
  return i;
}

/** Whether String(Number(literal)) is the literal itself: an integer of ≤ 15 digits, not -0. */
function isOwnText(b: Buffer, s: number, e: number): boolean {
  const negative = b[s] === MINUS;
  const from = negative ? s + 1 : s;
  if (e - from > 15) return false;
  for (let i = from; i < e; i++) if (b[i]! < ZERO || b[i]! > NINE) return false;
  return !(negative && b[from] === ZERO);
}

/** TRUE, FALSE or NULL for the literal at `i`; ABSENT when there is none. */
function literal(b: Buffer, i: number, e: number): number {
  const c = b[i];
  if (c === 0x74 && i + 4 <= e && b[i + 1] === 0x72 && b[i + 2] === 0x75 && b[i + 3] === 0x65)
    return TRUE;
  if (c === 0x6e && i + 4 <= e && b[i + 1] === 0x75 && b[i + 2] === 0x6c && b[i + 3] === 0x6c)
    return NULL;
  if (
    c === 0x66 &&
    i + 5 <= e &&
    b[i + 1] === 0x61 &&
    b[i + 2] === 0x6c &&
    b[i + 3] === 0x73 &&
    b[i + 4] === 0x65
  )
    return FALSE;
  return ABSENT;
}
