/**
 * A streaming parser for CSV and TSV text (RFC 4180 quoting), fed decoded text chunk by chunk.
 * Hand-rolled because it sits on the hot path: lines without a quote are split with indexOf and
 * String#split, which is several times faster than a general parser; only lines holding a quote
 * take the character-level path. Quoting rule: a quote opens a quoted field only at the start of
 * a field; inside, `""` is a quote and a lone `"` closes the field. Line feeds and CRLF both end
 * a record; a line feed inside quotes belongs to the field.
 *
 * A stray quote must not swallow the lines after it. A record whose quoted field spans several
 * lines is kept only when it is well formed (the quote closes cleanly, the record has the
 * header's shape, and its consumer's `accepts` says so) and spans at most `maxRecordLines`
 * lines. Otherwise the quote is taken as stray: its first line alone is reported as a problem
 * and parsing resumes on the next line, so every physical line is accounted for once.
 */
import { DEFAULT_LIMITS } from './limits.ts';
import type { ReadLimits } from './limits.ts';

/**
 * Called once per non-empty record. `line` is the physical line where the record starts;
 * `raw` is its text without the line ending; `problem` is set when the record is unusable
 * (malformed quoting, a stray quote, a line over the length limit).
 */
export type RecordHandler = (fields: string[], line: number, raw: string, problem?: string) => void;

type Parsed = {
  fields: string[];
  next: number;
  contentEnd: number;
  newlines: number;
  problem?: string;
};

/** Characters of an over-long line kept in its reject. */
const SHOWN_CHARS = 200;
const NEVER_CLOSED = 'a quoted field is never closed';
const TOO_MANY_LINES = 'too many lines';

export class DelimitedParser {
  private carry = '';
  /** Physical line number of the first character of `carry`. */
  private line = 1;
  private readonly limits: Pick<ReadLimits, 'maxLineChars' | 'maxRecordLines'>;
  /** Whether a multi-line record has the shape of a row; set once the header is known. */
  accepts: (fields: string[]) => boolean = () => true;
  /**
   * Lines before this one are not records: passed over as they are, quotes and all (a report's
   * title and date lines above its header, headerLine). Read as CSV, a quote a title leaves
   * open would open a field that a later quote closes, one record taking the header along.
   */
  recordsFrom = 1;

  constructor(
    private readonly delimiter: string,
    private readonly onRecord: RecordHandler,
    limits: Partial<ReadLimits> = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Whether a record is open (a quoted field waiting for its next lines). */
  get pending(): boolean {
    return this.carry !== '';
  }

  /** The physical line the next record starts on. */
  get nextLine(): number {
    return this.line;
  }

  /** Counts lines read by another reader (the byte lane, byte-lane.ts) between records. */
  skipLines(n: number): void {
    this.line += n;
  }

  push(text: string): void {
    this.run(this.carry ? this.carry + text : text, false);
  }

  end(): void {
    this.run(this.carry, true);
  }

  /** A line dropped undecoded by the byte reader for its length (byte-stream.ts). */
  overlong(prefix: string, bytes: number): void {
    // the carry is an open quoted record the long line belongs to: settle it first
    if (this.carry) this.run(this.carry, true);
    this.carry = '';
    this.onRecord([], this.line, prefix, tooLong(bytes, 'bytes', this.limits.maxLineChars));
    this.line++;
  }

  private run(s: string, final: boolean): void {
    const len = s.length;
    const maxChars = this.limits.maxLineChars;
    let pos = 0;
    let nextQuote = s.indexOf('"');
    while (pos < len) {
      let nl = s.indexOf('\n', pos);
      if (this.line < this.recordsFrom) {
        if (nl === -1) {
          if (!final) break;
          nl = len;
        }
        this.line++;
        pos = nl + 1;
        continue;
      }
      // nextQuote is cached: re-searching from every line would be quadratic in the chunk
      if (nextQuote !== -1 && nextQuote < pos) nextQuote = s.indexOf('"', pos);
      if (nextQuote === -1 || (nl !== -1 && nextQuote > nl)) {
        if (nl === -1) {
          if (!final) break;
          nl = len;
        }
        const end = nl > pos && s.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        if (end - pos > maxChars) this.tooLongLine(s, pos, end);
        else if (end > pos)
          this.onRecord(splitLine(s, pos, end, this.delimiter), this.line, s.slice(pos, end));
        this.line++;
        pos = nl + 1;
        continue;
      }
      const parsed = parseQuotedRecord(s, pos, this.delimiter, final, this.limits.maxRecordLines);
      if (parsed === undefined) break;
      if (parsed.newlines > 0 && (parsed.problem !== undefined || !this.accepts(parsed.fields))) {
        pos = this.strayQuote(s, pos, parsed);
        continue;
      }
      if (parsed.newlines === 0 && parsed.contentEnd - pos > maxChars) {
        this.tooLongLine(s, pos, parsed.contentEnd);
      } else {
        this.onRecord(parsed.fields, this.line, s.slice(pos, parsed.contentEnd), parsed.problem);
      }
      this.line += 1 + parsed.newlines;
      pos = parsed.next;
    }
    this.carry = pos < len ? s.slice(pos) : '';
  }

  /** Rejects the first line of a record that is not one; returns where parsing resumes. */
  private strayQuote(s: string, pos: number, parsed: Parsed): number {
    const nl = s.indexOf('\n', pos);
    const end = nl > pos && s.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    const first = this.line;
    const why =
      parsed.problem === undefined
        ? 'does not give a row of the header’s shape'
        : parsed.problem === TOO_MANY_LINES
          ? `is not closed within ${this.limits.maxRecordLines} lines (limits.maxRecordLines)`
          : parsed.problem === NEVER_CLOSED
            ? 'is never closed'
            : `gives ${parsed.problem}`;
    const reason =
      `stray quote: the quoted field opened on line ${first} ${why} when read as a record of ` +
      `lines ${first}..${first + parsed.newlines}; line ${first} is rejected and the lines ` +
      `after it are read on their own`;
    if (end - pos > this.limits.maxLineChars) this.tooLongLine(s, pos, end);
    else this.onRecord([], first, s.slice(pos, end), reason);
    this.line++;
    return nl + 1;
  }

  private tooLongLine(s: string, pos: number, end: number): void {
    const shown = s.slice(pos, Math.min(end, pos + SHOWN_CHARS));
    this.onRecord([], this.line, shown, tooLong(end - pos, 'characters', this.limits.maxLineChars));
  }
}

function tooLong(size: number, unit: string, maxChars: number): string {
  return `the line is ${size} ${unit} long, over the limit of ${maxChars} characters (limits.maxLineChars); the line is rejected`;
}

/**
 * The fields of s[start, end) (no quote in it), as `s.slice(start, end).split(delimiter)` gives
 * them; indexOf and slice on the chunk are ~30 % faster than slicing the line and splitting it.
 */
function splitLine(s: string, start: number, end: number, delimiter: string): string[] {
  const fields: string[] = [];
  for (let at = start; ;) {
    const d = s.indexOf(delimiter, at);
    if (d === -1 || d >= end) {
      fields.push(s.slice(at, end));
      return fields;
    }
    fields.push(s.slice(at, d));
    at = d + 1;
  }
}

/**
 * Line feeds in s[from, to), counting no further than `cap + 1`: callers only need to know
 * whether a quoted field stays within its budget of lines.
 */
function lineFeedsUpTo(s: string, from: number, to: number, cap: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', from); i !== -1 && i < to && n <= cap; i = s.indexOf('\n', i + 1))
    n++;
  return n;
}

/**
 * Parses one record that holds a quote; undefined when the text ends before the record does.
 * A quoted field that would take the record past `maxLines` lines ends the record there with
 * the problem TOO_MANY_LINES (the caller then treats the quote as stray).
 */
function parseQuotedRecord(
  s: string,
  start: number,
  delimiter: string,
  final: boolean,
  maxLines: number,
): Parsed | undefined {
  const len = s.length;
  const delim = delimiter.charCodeAt(0);
  const fields: string[] = [];
  let newlines = 0;
  let problem: string | undefined;
  let i = start;
  for (;;) {
    if (s.charCodeAt(i) !== 34) {
      let nl = s.indexOf('\n', i);
      if (nl === -1) {
        if (!final) return undefined;
        nl = len;
      }
      const dl = s.indexOf(delimiter, i);
      if (dl !== -1 && dl < nl) {
        fields.push(s.slice(i, dl));
        i = dl + 1;
        continue;
      }
      const end = nl > i && s.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      fields.push(s.slice(i, end));
      return { fields, next: nl + 1, contentEnd: end, newlines, problem };
    }
    const budget = maxLines - 1 - newlines;
    let value = '';
    let seg = i + 1;
    for (;;) {
      const q = s.indexOf('"', seg);
      const to = q === -1 ? len : q;
      const nl = s.indexOf('\n', seg);
      const spanned = nl !== -1 && nl < to ? lineFeedsUpTo(s, seg, to, budget) : 0;
      if (spanned > budget) {
        return { fields, next: len, contentEnd: len, newlines: spanned, problem: TOO_MANY_LINES };
      }
      if (q === -1 || (q + 1 === len && !final)) {
        if (!final) return undefined;
        // a line ending at the very end is not part of the field: the record is the last line
        value += s.slice(seg).replace(/\r?\n$/, '');
        i = len;
        problem ??= NEVER_CLOSED;
        break;
      }
      if (s.charCodeAt(q + 1) === 34) {
        value += s.slice(seg, q + 1);
        seg = q + 2;
        continue;
      }
      value += s.slice(seg, q);
      i = q + 1;
      break;
    }
    newlines += countLineFeeds(value);
    let c = s.charCodeAt(i);
    if (c === 13 && i + 1 >= len && !final) return undefined;
    if (c === 13 && s.charCodeAt(i + 1) === 10) c = 10;
    else if (i < len && c !== delim && c !== 10) {
      problem ??= 'text after a closing quote';
      let k = i;
      while (k < len && s.charCodeAt(k) !== delim && s.charCodeAt(k) !== 10) k++;
      value += s.slice(i, k);
      i = k;
      c = s.charCodeAt(i);
    }
    fields.push(value);
    if (c === delim) {
      i++;
      continue;
    }
    if (i >= len && !final) return undefined;
    const lf = c === 10 ? s.indexOf('\n', i) : len;
    const contentEnd = lf > start && s.charCodeAt(lf - 1) === 13 ? lf - 1 : Math.min(lf, len);
    return { fields, next: lf + 1, contentEnd, newlines, problem };
  }
}

function countLineFeeds(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
