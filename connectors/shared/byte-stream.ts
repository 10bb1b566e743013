/**
 * Reading a file as a stream of byte chunks, with file-system failures turned into coded
 * errors: a missing or unreadable file is the user's to fix (InputError); anything else the
 * operating system reports is outside Tally (ExternalError).
 */
import { isAscii } from 'node:buffer';
import { open, type FileHandle } from 'node:fs/promises';
import { ExternalError, InputError } from '../../engine/core/errors.ts';
import { decoderFor, type TextEncoding } from './encoding.ts';

/** Large chunks keep per-chunk overhead negligible next to per-row work. */
export const CHUNK_BYTES = 1 << 20;

/**
 * Calls `onChunk` with the file's bytes in order. The chunk is one buffer reused for the whole
 * file (a fresh 1 MiB buffer per chunk made V8 collect garbage for the external memory, ~100
 * times a bench run): it is only valid during the call, so a consumer copies what it keeps.
 */
export async function forEachChunk(
  absPath: string,
  displayPath: string,
  onChunk: (chunk: Buffer) => void,
  signal?: AbortSignal,
): Promise<void> {
  let file: FileHandle;
  try {
    file = await open(absPath, 'r');
  } catch (error) {
    throw fileSystemError(error, displayPath);
  }
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  try {
    for (;;) {
      signal?.throwIfAborted();
      let bytes: number;
      // only the file's own failures are file-system errors; a consumer's error passes as is
      try {
        bytes = (await file.read(buffer, 0, CHUNK_BYTES, null)).bytesRead;
      } catch (error) {
        throw fileSystemError(error, displayPath);
      }
      if (bytes === 0) return;
      onChunk(buffer.subarray(0, bytes));
    }
  } finally {
    await file.close();
  }
}

/** What forEachText feeds: decoded text in order, and lines too long to decode. */
export type TextConsumer = {
  push(text: string): void;
  /**
   * When present, takes the place of `push`: the same pieces undecoded (whole lines ending
   * with a line feed, the file's unterminated last line alone), a leading BOM dropped. The
   * buffer may be the reused chunk: it is only valid during the call.
   */
  pushBytes?(bytes: Buffer): void;
  end(): void;
  /**
   * A physical line of more than `maxLineBytes` bytes, dropped undecoded: `prefix` is its
   * start (for the rejects file), `bytes` its length. Called in order between pushes.
   */
  overlong?(prefix: string, bytes: number): void;
};

/** Characters of a dropped line kept to show in its reject. */
const PREFIX_BYTES = 200;
/**
 * Text is decoded in pieces of about this many bytes, cut at line feeds: a string under V8's
 * 128 KiB bound for young objects dies cheaply, while a 1 MiB one went to the large-object
 * space, whose collections cost more than the decoding itself (~1 s for 168 MB of JSON Lines).
 */
const PIECE_BYTES = 1 << 16;

/** How forEachText reads a file's text. */
export type TextOptions = {
  signal?: AbortSignal;
  /** Lines longer are dropped as they stream (`overlong`). */
  maxLineBytes?: number;
  /** A legacy encoding the bytes are in; absent: UTF-8. */
  encoding?: TextEncoding;
  /**
   * The file ends its lines with a carriage return alone (Excel for Mac's "CSV (Macintosh)"),
   * as its first pass found: each is read as a line feed (a byte for a byte, so the lines and
   * their numbers are the file's).
   */
  crLines?: boolean;
};

/**
 * Decodes UTF-8 text cut at line feeds (a line feed is never part of a multi-byte character),
 * so each piece (PIECE_BYTES; `pushBytes` gets them whole) decodes with the fast whole-buffer
 * path; a leading BOM is dropped. The bytes after a chunk's last line feed wait for the next
 * chunk; only they and that chunk's first line are copied, the rest decodes straight from the
 * chunk. A line that grows past `maxLineBytes` is dropped as it streams (memory stays bounded)
 * and reported to `overlong`. A file in a legacy `encoding` is decoded the same way, with
 * its own decoder, and never through `pushBytes`.
 */
export async function forEachText(
  absPath: string,
  displayPath: string,
  consumer: TextConsumer,
  { signal, maxLineBytes = Number.MAX_SAFE_INTEGER, encoding, crLines }: TextOptions = {},
): Promise<void> {
  let carry: Buffer | undefined;
  let first = true;
  // a line feed is never part of a character in these either (Shift_JIS's second bytes are
  // 0x40 and above), so the pieces are cut as UTF-8's are; the byte lanes read UTF-8 only
  const legacy = encoding === undefined || encoding === 'utf-8' ? undefined : decoderFor(encoding);
  const pushBytes = legacy ? undefined : consumer.pushBytes?.bind(consumer);
  /** While a too-long line is being dropped: its start and the bytes seen so far. */
  let dropping: { prefix: Buffer; bytes: number } | undefined;
  const pushPiece = (bytes: Buffer) => {
    // ASCII (most exports) decodes byte for byte, twice as fast; a BOM is not ASCII
    if (isAscii(bytes)) {
      first = false;
      return consumer.push(bytes.toString('latin1'));
    }
    let text = legacy ? legacy(bytes) : bytes.toString('utf8');
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    first = false;
    consumer.push(text);
  };
  const push = (bytes: Buffer) => {
    if (pushBytes) {
      const bom = first && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
      first = false;
      pushBytes(bom ? bytes.subarray(3) : bytes);
      return;
    }
    for (let from = 0; from < bytes.length;) {
      let to = bytes.length;
      if (to - from > PIECE_BYTES) {
        const lf = bytes.lastIndexOf(0x0a, from + PIECE_BYTES - 1);
        to = lf >= from ? lf + 1 : bytes.indexOf(0x0a, from + PIECE_BYTES) + 1 || bytes.length;
      }
      pushPiece(to - from === bytes.length ? bytes : bytes.subarray(from, to));
      from = to;
    }
  };
  const dropped = () => {
    const { prefix, bytes } = dropping!;
    dropping = undefined;
    first = false;
    const text = legacy ? legacy(prefix) : prefix.toString('utf8');
    consumer.overlong?.(text.replace(/\uFFFD$/, ''), bytes);
  };
  const onChunk = (chunk: Buffer) => {
    if (crLines) crToLf(chunk);
    let start = 0;
    if (dropping) {
      const lf = chunk.indexOf(0x0a);
      if (lf === -1) {
        dropping.bytes += chunk.length;
        return;
      }
      dropping.bytes += lf;
      dropped();
      start = lf + 1;
    }
    const lastLf = chunk.lastIndexOf(0x0a);
    if (lastLf < start) {
      const size = (carry?.length ?? 0) + chunk.length - start;
      if (size > maxLineBytes) {
        const head = carry ? Buffer.concat([carry, chunk.subarray(start)]) : chunk.subarray(start);
        dropping = { prefix: Buffer.from(head.subarray(0, PREFIX_BYTES)), bytes: size };
        carry = undefined;
        return;
      }
      const rest = chunk.subarray(start);
      carry = carry ? Buffer.concat([carry, rest]) : Buffer.from(rest);
      return;
    }
    if (carry) {
      const lf = chunk.indexOf(0x0a, start);
      push(Buffer.concat([carry, chunk.subarray(start, lf + 1)]));
      start = lf + 1;
    }
    if (start <= lastLf) push(chunk.subarray(start, lastLf + 1));
    carry = lastLf + 1 < chunk.length ? Buffer.from(chunk.subarray(lastLf + 1)) : undefined;
  };
  await forEachChunk(absPath, displayPath, onChunk, signal);
  if (dropping) dropped();
  if (carry?.length) push(carry);
  consumer.end();
}

/** Each carriage return of a chunk (this reader's own buffer) made a line feed, in place. */
export function crToLf(chunk: Buffer): void {
  for (let at = chunk.indexOf(CR); at !== -1; at = chunk.indexOf(CR, at + 1)) chunk[at] = LF;
}

const CR = 0x0d;
const LF = 0x0a;

export function fileSystemError(error: unknown, displayPath: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') {
    return new InputError('FILE_NOT_FOUND', 'file not found', { file: displayPath });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EISDIR') {
    return new InputError('FILE_UNREADABLE', `cannot read the file (${code})`, {
      file: displayPath,
    });
  }
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    return new ExternalError('filesystem', 'FILE_READ_FAILED', `${displayPath}: ${code}`, {
      cause: error,
      retryable: true,
    });
  }
  return error;
}
