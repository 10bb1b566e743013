/**
 * The fast lane for delimited files: plain lines read straight from the bytes. A line is plain
 * when it is ASCII, holds no quote and no carriage return, has exactly the header's number of
 * fields and is short enough that no limit can concern it; nearly every line of a machine
 * export is. Such a line is split where it lies in the chunk (no decoding, no array) and
 * handed on as a CellRow in byte form. Every other line, and every line while a quoted record
 * is open, goes as text to the DelimitedParser, so whatever is unusual about a line (its
 * quoting, its width, its length) is judged and reported by the same code as before. Line
 * numbers are the parser's: the lane counts the lines it reads there.
 */
import type { TextConsumer } from './byte-stream.ts';
import type { CellRow } from './cell-row.ts';
import type { DelimitedParser } from './delimited.ts';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const TEXT_PIECE_BYTES = 1 << 16;

export type ByteLaneOptions = {
  parser: DelimitedParser;
  delimiter: string;
  /** Longest line the lane reads; longer ones go to the parser (it applies the limits). */
  maxPlainBytes: number;
  /** Called for a plain line once `row` is set: the row is in byte form. */
  onRow: (row: CellRow, line: number) => void;
};

export class ByteLane implements TextConsumer {
  /** Set once the header is known; until then every line goes to the parser. */
  row: CellRow | undefined;
  private readonly parser: DelimitedParser;
  private readonly delimiter: number;

  constructor(private readonly options: ByteLaneOptions) {
    this.parser = options.parser;
    this.delimiter = options.delimiter.charCodeAt(0);
  }

  push(text: string): void {
    this.parser.push(text);
  }

  pushBytes(bytes: Buffer): void {
    const n = bytes.length;
    /** Start of the lines waiting to go to the parser, -1 when none. */
    let textFrom = -1;
    let pos = 0;
    while (pos < n) {
      const row = this.row;
      if (row === undefined) {
        // the header (and what precedes it) line by line: the lane opens once it is known
        const next = nextLine(bytes, pos);
        this.parser.push(bytes.toString('utf8', pos, next));
        pos = next;
        continue;
      }
      const end = this.split(bytes, pos, row);
      if (end < 0) {
        if (textFrom === -1) textFrom = pos;
        pos = -end;
        // a long run of such lines goes in pieces: a decoded string over 128 KiB would be a
        // large object, costly to collect (byte-stream.ts)
        if (pos - textFrom >= TEXT_PIECE_BYTES && pos < n) {
          this.parser.push(bytes.toString('utf8', textFrom, pos));
          textFrom = -1;
        }
        continue;
      }
      if (textFrom !== -1) {
        this.parser.push(bytes.toString('utf8', textFrom, pos));
        textFrom = -1;
      }
      const next = end < n ? end + 1 : n;
      if (this.parser.pending) {
        // an open quoted record may take this line: the parser decides
        textFrom = pos;
      } else {
        if (end > pos) {
          row.bytes = bytes;
          row.texts = undefined;
          row.lineStart = pos;
          row.lineEnd = end;
          this.options.onRow(row, this.parser.nextLine);
        }
        this.parser.skipLines(1);
      }
      pos = next;
    }
    if (textFrom !== -1) this.parser.push(bytes.toString('utf8', textFrom, n));
  }

  end(): void {
    this.parser.end();
  }

  overlong(prefix: string, bytes: number): void {
    this.parser.overlong(prefix, bytes);
  }

  /**
   * Splits the line at `pos` into the row's cell bounds. Returns where it ends (its line feed,
   * or the end of the bytes) when it is plain, else minus where the next line starts.
   */
  private split(b: Buffer, pos: number, row: CellRow): number {
    const delimiter = this.delimiter;
    const width = row.width;
    const starts = row.starts;
    const ends = row.ends;
    const hashes = row.hashes;
    const n = b.length;
    let field = 0;
    let start = pos;
    let plain = true;
    let hash = 0;
    let i = pos;
    for (; i < n; i++) {
      const c = b[i]!;
      if (c === delimiter) {
        if (field < width) {
          starts[field] = start;
          ends[field] = i;
          hashes[field] = hash;
        }
        field++;
        start = i + 1;
        hash = 0;
        continue;
      }
      if (c <= QUOTE || c >= 0x80) {
        if (c === LF) break;
        if (c === QUOTE || c === CR || c >= 0x80) plain = false;
      }
      // the cell's hash, for its text cache (cell-row.ts), costs little while the byte is here
      hash = (Math.imul(hash, 31) + c) | 0;
    }
    if (field < width) {
      starts[field] = start;
      ends[field] = i;
      hashes[field] = hash;
    }
    const empty = i === pos;
    if (empty || (plain && field + 1 === width && i - pos <= this.options.maxPlainBytes)) return i;
    return -(i < n ? i + 1 : n);
  }
}

/** Where the line after the one at `pos` starts. */
function nextLine(b: Buffer, pos: number): number {
  const lf = b.indexOf(LF, pos);
  return lf === -1 ? b.length : lf + 1;
}
