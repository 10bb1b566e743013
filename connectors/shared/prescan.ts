/**
 * First of the two streaming passes over a file (see read-file.ts for why there are two).
 * It hashes the bytes and finds the fault that condemns the whole file — bytes that are not
 * UTF-8 — without building a single row. Quoting faults are not file faults: the row parser
 * (delimited.ts) confines a stray or unclosed quote to its line. A line longer than the byte
 * bound is skipped here (the row pass rejects it for its length), so memory stays bounded.
 */
import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { InputError } from '../../engine/core/errors.ts';
import type { FileMapping } from '../../engine/core/rules/types.ts';
import { crToLf, forEachChunk } from './byte-stream.ts';
import { limitsOf, maxLineBytes } from './limits.ts';

const LF = 0x0a;
const CR = 0x0d;

/**
 * `lines`: line feeds, plus one for a last line without one (what progress counts against).
 * `crLines`: the file ends its lines with a carriage return alone (its first chunk holds one
 * and no line feed): Excel for Mac's "CSV (Macintosh)"; they are counted and read as lines.
 */
export type PrescanResult = {
  sha256: string;
  bytes: number;
  lines: number;
  crLines?: true;
  /** The last line holding more than whitespace (where a footer ends: footerLines); 0: none. */
  lastLine: number;
};

/** `utf8` false: the file is mapped in another encoding, its bytes are not checked as UTF-8. */
export type PrescanOptions = { signal?: AbortSignal; maxLineBytes?: number; utf8?: boolean };

/** A mapped file's first-pass options: its line bound, and whether its bytes must be UTF-8. */
export function prescanOptionsOf(mapping: FileMapping, signal?: AbortSignal): PrescanOptions {
  const options: PrescanOptions = { maxLineBytes: maxLineBytes(limitsOf(mapping)) };
  if (signal) options.signal = signal;
  if (!isUtf8Mapping(mapping)) options.utf8 = false;
  return options;
}

/** Whether a mapped file is read as UTF-8 (no other encoding named). */
export function isUtf8Mapping(mapping: Pick<FileMapping, 'encoding'>): boolean {
  return (mapping.encoding ?? 'utf-8') === 'utf-8';
}

/**
 * First passes made ahead of the reading, so the sink learns a phase's row count across all
 * its files at once (one allocation per column instead of a copy of every earlier file's rows
 * at each new file). Each result is taken once, by the read of its file; a file whose prescan
 * failed here has no entry and is prescanned again by its read, which reports the fault.
 */
export class Prescans {
  private readonly done = new Map<string, PrescanResult>();

  /** Prescans the file and keeps the result; undefined (and nothing kept) when it fails. */
  async add(
    absPath: string,
    displayPath: string,
    opts: PrescanOptions,
  ): Promise<number | undefined> {
    try {
      const result = await prescanFile(absPath, displayPath, opts);
      this.done.set(Prescans.key(absPath, opts), result);
      return result.lines;
    } catch {
      return undefined;
    }
  }

  /** Keeps a result made elsewhere (another thread's prescan of the same file). */
  put(absPath: string, opts: PrescanOptions, result: PrescanResult): void {
    this.done.set(Prescans.key(absPath, opts), result);
  }

  take(absPath: string, opts: PrescanOptions): PrescanResult | undefined {
    const key = Prescans.key(absPath, opts);
    const result = this.done.get(key);
    this.done.delete(key);
    return result;
  }

  private static key(absPath: string, opts: PrescanOptions): string {
    return `${opts.maxLineBytes ?? ''}\u0000${opts.utf8 === false ? 'bytes' : 'utf8'}\u0000${absPath}`;
  }
}

export async function prescanFile(
  absPath: string,
  displayPath: string,
  opts: PrescanOptions = {},
): Promise<PrescanResult> {
  const hash = createHash('sha256');
  const utf8 =
    opts.utf8 === false ? undefined : new Utf8Checker(opts.maxLineBytes ?? Number.MAX_SAFE_INTEGER);
  let bytes = 0;
  let lines = 0;
  let lastByte = LF;
  let crLines = false;
  let lastLine = 0;
  await forEachChunk(
    absPath,
    displayPath,
    (chunk) => {
      hash.update(chunk);
      const binary = bytes === 0 ? notText(chunk) : undefined;
      if (binary)
        throw new InputError(
          'FILE_NOT_UTF8',
          `the file is ${binary}, which Tally does not read as text; the file was not read (save or export it as UTF-8: Excel's "CSV UTF-8")`,
          { file: displayPath, line: 1 },
        );
      if (bytes === 0) crLines = chunk.includes(CR) && !chunk.includes(LF);
      // the bytes as stored are hashed; the lines are checked and counted as they are read
      if (crLines) crToLf(chunk);
      utf8?.push(chunk, bytes);
      bytes += chunk.length;
      // the chunk's last byte that is not whitespace: its line is the last with content so far
      let content = chunk.length - 1;
      while (content >= 0 && isBlank(chunk[content]!)) content--;
      let before = lines;
      for (let at = chunk.indexOf(LF); at !== -1; at = chunk.indexOf(LF, at + 1)) {
        lines++;
        if (at < content) before = lines;
      }
      if (content >= 0) lastLine = before + 1;
      if (chunk.length) lastByte = chunk[chunk.length - 1]!;
    },
    opts.signal,
  );
  if (lastByte !== LF) lines++;
  const badUtf8 = utf8?.end();
  if (badUtf8) {
    const line = await lineOfOffset(absPath, displayPath, badUtf8.offset, crLines ? CR : LF);
    throw new InputError(
      'FILE_NOT_UTF8',
      `line ${line} holds bytes that are not UTF-8 text; the file was not read (export or save it as UTF-8, or, if its system writes a legacy encoding such as Excel's CSV on Windows, name it on the file's mapping: encoding: windows-1252, iso-8859-1 or shift_jis)`,
      { file: displayPath, line },
    );
  }
  const result: PrescanResult = { sha256: hash.digest('hex'), bytes, lines, lastLine };
  if (crLines) result.crLines = true;
  return result;
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === LF || c === CR;
}

/** What a file's first bytes say it is when it is not text Tally reads, else undefined. */
function notText(first: Buffer): string | undefined {
  if (isUtf16(first)) return `UTF-16 text (Excel's "Unicode Text" saves so)`;
  const starts = (...magic: number[]) => magic.every((b, i) => first[i] === b);
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'a zip archive (an Excel .xlsx workbook is one)';
  if (starts(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1))
    return 'an Office binary document (an Excel .xls workbook)';
  if (starts(0x25, 0x50, 0x44, 0x46)) return 'a PDF document';
  return undefined;
}

/**
 * Whether a file's first bytes are UTF-16: its byte-order mark, or (without one) ASCII written
 * two bytes a character, every other byte zero. Read as UTF-8 the zeros would pass; named, the
 * refusal says what to do instead of naming a line.
 */
function isUtf16(first: Buffer): boolean {
  if (
    first.length >= 2 &&
    ((first[0] === 0xff && first[1] === 0xfe) || (first[0] === 0xfe && first[1] === 0xff))
  )
    return true;
  const n = Math.min(first.length, 64);
  if (n < 8) return false;
  let zeros = 0;
  for (let i = 0; i < n; i++) if (first[i] === 0) zeros++;
  return zeros * 3 >= n;
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
  /** Inside a line longer than the bound, which is not checked. */
  private skipping = false;

  constructor(private readonly maxLineBytes: number) {}

  push(chunk: Buffer, chunkOffset: number): void {
    if (this.bad) return;
    let from = 0;
    if (this.skipping) {
      const lf = chunk.indexOf(LF);
      if (lf === -1) return;
      this.skipping = false;
      from = lf + 1;
    }
    const lastLf = chunk.lastIndexOf(LF);
    if (lastLf < from) {
      if ((this.carry?.length ?? 0) + chunk.length - from > this.maxLineBytes) {
        this.carry = undefined;
        this.skipping = true;
        return;
      }
      if (!this.carry) this.carryOffset = chunkOffset + from;
      const rest = chunk.subarray(from);
      this.carry = this.carry ? Buffer.concat([this.carry, rest]) : Buffer.from(rest);
      return;
    }
    let start = from;
    if (this.carry) {
      start = chunk.indexOf(LF, from) + 1;
      this.check(Buffer.concat([this.carry, chunk.subarray(from, start)]), this.carryOffset);
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

/** 1-based line holding a byte offset; only used to word an error, so a re-read is fine. */
async function lineOfOffset(
  absPath: string,
  displayPath: string,
  offset: number,
  lineEnd: number,
): Promise<number> {
  let line = 1;
  let seen = 0;
  await forEachChunk(absPath, displayPath, (chunk) => {
    if (seen >= offset) return;
    const end = Math.min(chunk.length, offset - seen);
    for (let i = chunk.indexOf(lineEnd); i !== -1 && i < end; i = chunk.indexOf(lineEnd, i + 1))
      line++;
    seen += chunk.length;
  });
  return line;
}
