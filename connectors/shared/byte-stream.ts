/**
 * Reading a file as a stream of byte chunks, with file-system failures turned into coded
 * errors: a missing or unreadable file is the user's to fix (InputError); anything else the
 * operating system reports is outside Tally (ExternalError).
 */
import { createReadStream } from 'node:fs';
import { ExternalError, InputError } from '../../engine/errors.ts';

/** Large chunks keep per-chunk overhead negligible next to per-row work. */
export const CHUNK_BYTES = 1 << 20;

export async function forEachChunk(
  absPath: string,
  displayPath: string,
  onChunk: (chunk: Buffer) => void,
  signal?: AbortSignal,
): Promise<void> {
  const stream = createReadStream(absPath, { highWaterMark: CHUNK_BYTES });
  const chunks = stream[Symbol.asyncIterator]();
  try {
    for (;;) {
      signal?.throwIfAborted();
      let next: IteratorResult<Buffer>;
      // only the stream's own failures are file-system errors; a consumer's error passes as is
      try {
        next = await chunks.next();
      } catch (error) {
        throw fileSystemError(error, displayPath);
      }
      if (next.done) return;
      onChunk(next.value);
    }
  } finally {
    stream.destroy();
  }
}

/**
 * Decodes UTF-8 text cut at line feeds (a line feed is never part of a multi-byte character),
 * so each piece decodes with the fast whole-buffer path; a leading BOM is dropped.
 */
export async function forEachText(
  absPath: string,
  displayPath: string,
  consumer: { push(text: string): void; end(): void },
  signal?: AbortSignal,
): Promise<void> {
  let carry: Buffer | undefined;
  let first = true;
  const push = (bytes: Buffer) => {
    let text = bytes.toString('utf8');
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    first = false;
    consumer.push(text);
  };
  await forEachChunk(
    absPath,
    displayPath,
    (chunk) => {
      const lastLf = chunk.lastIndexOf(0x0a);
      if (lastLf === -1) {
        carry = carry ? Buffer.concat([carry, chunk]) : chunk;
        return;
      }
      const head = chunk.subarray(0, lastLf + 1);
      push(carry ? Buffer.concat([carry, head]) : head);
      carry = chunk.subarray(lastLf + 1);
    },
    signal,
  );
  if (carry?.length) push(carry);
  consumer.end();
}

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
