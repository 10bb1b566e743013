/**
 * First of the two streaming passes over a file (see read-file.ts for why there are two).
 * It hashes the bytes and finds the faults that condemn the whole file — bytes that are not
 * UTF-8 and, for delimited files, a quoted field still open at the end — without building a
 * single row. Everything is done on bytes with indexOf, so a file without quotes costs little
 * more than its sha256.
 */
import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { InputError } from '../../engine/core/errors.ts';
import { forEachChunk } from './byte-stream.ts';

const QUOTE = 0x22;
const LF = 0x0a;
const BOM = [0xef, 0xbb, 0xbf];

export type PrescanResult = { sha256: string; bytes: number };

/** `delimiter` is the field separator of a delimited file, or undefined for line formats. */
export async function prescanFile(
  absPath: string,
  displayPath: string,
  delimiter: string | undefined,
  signal?: AbortSignal,
): Promise<PrescanResult> {
  const hash = createHash('sha256');
  const utf8 = new Utf8Checker();
  const quotes = delimiter === undefined ? undefined : new QuoteTracker(delimiter.charCodeAt(0));
  let bytes = 0;
  await forEachChunk(
    absPath,
    displayPath,
    (chunk) => {
      hash.update(chunk);
      utf8.push(chunk, bytes);
      quotes?.push(chunk, bytes);
      bytes += chunk.length;
    },
    signal,
  );
  const badUtf8 = utf8.end();
  if (badUtf8) {
    const line = await lineOfOffset(absPath, displayPath, badUtf8.offset);
    throw new InputError(
      'FILE_NOT_UTF8',
      'the file is not valid UTF-8 text (export or save it as UTF-8); the file was not read',
      {
        file: displayPath,
        line,
      },
    );
  }
  const openQuoteAt = quotes?.end();
  if (openQuoteAt !== undefined) {
    const line = await lineOfOffset(absPath, displayPath, openQuoteAt);
    throw new InputError(
      'UNCLOSED_QUOTE',
      `a quoted field opened on line ${line} is never closed; the file was not read`,
      { file: displayPath, line },
    );
  }
  return { sha256: hash.digest('hex'), bytes };
}

/**
 * Checks whole lines (a line feed never occurs inside a multi-byte character). The chunk is
 * only lent (byte-stream.ts), so the bytes after its last line feed are copied to wait for the
 * next one; only they and the next chunk's first line are joined, the rest is checked in place.
 */
class Utf8Checker {
  private carry: Buffer | undefined;
  private carryOffset = 0;
  private bad: { offset: number } | undefined;

  push(chunk: Buffer, chunkOffset: number): void {
    if (this.bad) return;
    const lastLf = chunk.lastIndexOf(LF);
    if (lastLf === -1) {
      if (!this.carry) this.carryOffset = chunkOffset;
      this.carry = this.carry ? Buffer.concat([this.carry, chunk]) : Buffer.from(chunk);
      return;
    }
    let start = 0;
    if (this.carry) {
      start = chunk.indexOf(LF) + 1;
      this.check(Buffer.concat([this.carry, chunk.subarray(0, start)]), this.carryOffset);
    }
    if (start <= lastLf) this.check(chunk.subarray(start, lastLf + 1), chunkOffset + start);
    this.carry = lastLf + 1 < chunk.length ? Buffer.from(chunk.subarray(lastLf + 1)) : undefined;
    this.carryOffset = chunkOffset + lastLf + 1;
  }

  end(): { offset: number } | undefined {
    if (this.carry) this.check(this.carry, this.carryOffset);
    return this.bad;
  }

  private check(lines: Buffer, offset: number): void {
    if (!this.bad && !isUtf8(lines)) this.bad = { offset: offset + firstBadLineStart(lines) };
  }
}

function firstBadLineStart(buf: Buffer): number {
  let start = 0;
  while (start < buf.length) {
    const lf = buf.indexOf(LF, start);
    const end = lf === -1 ? buf.length : lf + 1;
    if (!isUtf8(buf.subarray(start, end))) return start;
    start = end;
  }
  return 0;
}

/**
 * Follows the same quoting rule as the row parser (delimited.ts): a quote opens a quoted field
 * only at the start of a field; inside, a doubled quote is a literal quote and a single quote
 * closes the field. Returns the byte offset of a quote still open at the end.
 */
export class QuoteTracker {
  private inQuote = false;
  private pendingQuote = false;
  private prevByte = -1;
  private openAt = 0;
  /** The file's first bytes, to recognise a byte-order mark split across chunks. */
  private head: number[] = [];

  constructor(private readonly delimiter: number) {}

  push(chunk: Buffer, chunkOffset: number): void {
    for (let k = 0; this.head.length < 3 && k < chunk.length; k++) this.head.push(chunk[k]!);
    let i = 0;
    if (this.pendingQuote) {
      this.pendingQuote = false;
      if (chunk[0] === QUOTE) i = 1;
      else this.inQuote = false;
    }
    while (i < chunk.length) {
      const j = chunk.indexOf(QUOTE, i);
      if (j === -1) break;
      if (this.inQuote) {
        if (j + 1 === chunk.length) {
          this.pendingQuote = true;
          break;
        }
        if (chunk[j + 1] === QUOTE) {
          i = j + 2;
          continue;
        }
        this.inQuote = false;
      } else if (this.isFieldStart(chunk, j, chunkOffset)) {
        this.inQuote = true;
        this.openAt = chunkOffset + j;
      }
      i = j + 1;
    }
    this.prevByte = chunk[chunk.length - 1] ?? this.prevByte;
  }

  private isFieldStart(chunk: Buffer, j: number, chunkOffset: number): boolean {
    const offset = chunkOffset + j;
    if (offset === 0) return true;
    if (offset === 3 && this.head.join() === BOM.join()) return true;
    const prev = j > 0 ? chunk[j - 1] : this.prevByte;
    return prev === this.delimiter || prev === LF;
  }

  /** Offset of the quote left open, if any. A quote as the very last byte closes its field. */
  end(): number | undefined {
    return this.inQuote && !this.pendingQuote ? this.openAt : undefined;
  }
}

/** 1-based line holding a byte offset; only used to word an error, so a re-read is fine. */
async function lineOfOffset(absPath: string, displayPath: string, offset: number): Promise<number> {
  let line = 1;
  let seen = 0;
  await forEachChunk(absPath, displayPath, (chunk) => {
    if (seen >= offset) return;
    const end = Math.min(chunk.length, offset - seen);
    for (let i = chunk.indexOf(LF); i !== -1 && i < end; i = chunk.indexOf(LF, i + 1)) line++;
    seen += chunk.length;
  });
  return line;
}
