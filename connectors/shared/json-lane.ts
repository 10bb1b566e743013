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
  private readonly caches: TextCache[];

  constructor(readonly names: readonly string[]) {
    this.kinds = new Uint8Array(names.length);
    this.starts = new Int32Array(names.length);
    this.ends = new Int32Array(names.length);
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
  /** Longest line the lane reads; longer ones go to the splitter (it applies the limit). */
  maxPlainBytes: number;
  /** Called for a plain line: the row is in byte form. */
  onRow: (row: JsonRow, line: number) => void;
};

export class JsonLane implements TextConsumer {
  /** Set once the mapping's properties are known; until then every line goes to the splitter. */
  row: JsonRow | undefined;
  /** The mapped names as bytes, by slot. */
  private keys: Uint8Array[] = [];

  constructor(private readonly options: JsonLaneOptions) {}

  /** Opens the lane for rows of these property slots. */
  open(row: JsonRow): void {
    this.row = row;
    this.keys = row.names.map((n) => Buffer.from(n, 'latin1'));
  }

  push(text: string): void {
    this.options.splitter.push(text);
  }

  pushBytes(bytes: Buffer): void {
    const splitter = this.options.splitter;
    const row = this.row;
    if (row === undefined) return splitter.push(bytes.toString('utf8'));
    const n = bytes.length;
    /** Start of the lines waiting to go to the splitter, -1 when none. */
    let textFrom = -1;
    let pos = 0;
    while (pos < n) {
      const lf = bytes.indexOf(LF, pos);
      const next = lf === -1 ? n : lf + 1;
      // the splitter's line: without its line feed and a carriage return before it
      const stop = lf === -1 ? n : lf;
      const end = stop > pos && bytes[stop - 1] === CR ? stop - 1 : stop;
      const plain =
        splitter.carried === 0 &&
        end - pos <= this.options.maxPlainBytes &&
        this.scan(bytes, pos, end, row);
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
   * Whether the line [s, e) is one plain object, every mapped property's value placed in the
   * row. False for anything else (JSON.parse then judges the line).
   */
  private scan(b: Buffer, s: number, e: number, row: JsonRow): boolean {
    const kinds = row.kinds;
    kinds.fill(ABSENT);
    let i = skipSpace(b, s, e);
    if (i >= e || b[i] !== OPEN) return false;
    i = skipSpace(b, i + 1, e);
    if (i < e && b[i] === CLOSE) return skipSpace(b, i + 1, e) === e;
    for (;;) {
      // the key
      if (i >= e || b[i] !== QUOTE) return false;
      const keyStart = i + 1;
      const keyEnd = stringEnd(b, keyStart, e);
      if (keyEnd < 0) return false;
      i = skipSpace(b, keyEnd + 1, e);
      if (i >= e || b[i] !== COLON) return false;
      i = skipSpace(b, i + 1, e);
      if (i >= e) return false;
      // the value
      const c = b[i]!;
      let kind: number;
      let valueStart = i;
      let valueEnd: number;
      if (c === QUOTE) {
        valueStart = i + 1;
        valueEnd = stringEnd(b, valueStart, e);
        if (valueEnd < 0) return false;
        kind = STRING;
        i = valueEnd + 1;
      } else if (c === MINUS || (c >= ZERO && c <= NINE)) {
        valueEnd = numberEnd(b, i, e);
        if (valueEnd < 0) return false;
        kind = isOwnText(b, i, valueEnd) ? INTEGER : NUMBER;
        i = valueEnd;
      } else {
        kind = literal(b, i, e);
        if (kind === ABSENT) return false;
        valueEnd = i + (kind === FALSE ? 5 : 4);
        i = valueEnd;
      }
      const slot = this.slotOf(b, keyStart, keyEnd);
      if (slot >= 0) {
        // a repeated key: the last value counts, as for JSON.parse
        kinds[slot] = kind;
        row.starts[slot] = valueStart;
        row.ends[slot] = valueEnd;
      }
      i = skipSpace(b, i, e);
      if (i >= e) return false;
      if (b[i] === COMMA) {
        i = skipSpace(b, i + 1, e);
        continue;
      }
      if (b[i] !== CLOSE) return false;
      return skipSpace(b, i + 1, e) === e;
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

/** JSON's whitespace (a line holds no line feed). */
function skipSpace(b: Buffer, i: number, e: number): number {
  while (i < e) {
    const c = b[i]!;
    if (c !== SPACE && c !== TAB && c !== CR) break;
    i++;
  }
  return i;
}

/**
 * Where the string whose characters start at `i` closes (its quote), or -1 when it is not
 * plain: an escape, a control character (invalid), a byte beyond ASCII, or no closing quote.
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
