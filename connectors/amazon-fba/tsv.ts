/**
 * Streaming reader for Amazon's tab-separated reports: one line at a time (reports run to
 * millions of rows), the file hashed as it streams, header names normalized so that the
 * documented spellings ("Event Type", "EventType", "afn-fulfillable-quantity") all match.
 * Amazon writes some marketplaces' reports in a legacy encoding (Windows-1252 in the Americas
 * and Europe, Shift_JIS in Japan; the download's Content-Type says which, a saved file does
 * not): the source's `encoding` setting names it. Read as UTF-8, a line whose bytes are not
 * UTF-8 is refused with that hint instead of read with its accents replaced.
 */
import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { access } from 'node:fs/promises';
import { InputError } from '../../engine/core/errors.ts';
import { forEachChunk } from '../shared/byte-stream.ts';
import { decoderFor, likelyText, NOT_UTF8, type TextEncoding } from '../shared/encoding.ts';

/**
 * `problem`: why the line is refused (its bytes are not in the report's encoding); its text
 * is then as they most likely read, to name the row's key, never taken as data.
 */
export type TsvRow = { line: number; raw: string; cells: string[]; problem?: string };
export type Header = { names: string[]; index: Map<string, number> };

/** "Fulfillment Center" → "fulfillmentcenter"; "afn-total-quantity" → "afntotalquantity". */
export function columnKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Amazon quotes some reports' cells ("Date"\t"FNSKU"); a doubled quote inside is one quote. */
function unquote(cell: string): string {
  const c = cell.trim();
  if (c.length >= 2 && c.startsWith('"') && c.endsWith('"'))
    return c.slice(1, -1).replace(/""/g, '"');
  return c;
}

export function splitLine(line: string): string[] {
  return line.split('\t').map(unquote);
}

export function header(cells: string[]): Header {
  return { names: cells, index: new Map(cells.map((c, i) => [columnKey(c), i])) };
}

export function requireColumns(h: Header, required: string[], file: string): void {
  const missing = required.filter((name) => !h.index.has(columnKey(name)));
  if (missing.length === 0) return;
  throw new InputError(
    'AMAZON_MISSING_COLUMNS',
    `${file}:1: missing column(s) ${missing.join(', ')}; the header has: ${h.names.join(', ')}`,
    { file, line: 1 },
  );
}

export function cell(h: Header, row: TsvRow, name: string): string | undefined {
  const i = h.index.get(columnKey(name));
  return i === undefined ? undefined : row.cells[i];
}

/**
 * Calls onHeader with the first non-empty line, then onRow for each later non-empty line.
 * Returns the file's sha256 (of its bytes as stored) and the number of data rows seen.
 */
export async function streamTsv(
  path: string,
  displayName: string,
  onHeader: (h: Header) => void,
  onRow: (row: TsvRow, h: Header) => void,
  signal?: AbortSignal,
  encoding: TextEncoding = 'utf-8',
): Promise<{ sha256: string; rows: number }> {
  try {
    await access(path);
  } catch {
    throw new InputError('AMAZON_REPORT_MISSING', `report file not found: ${displayName}`, {
      file: displayName,
    });
  }
  const hash = createHash('sha256');
  // a line feed is one byte 0x0a in each of these encodings, never part of a character
  const decode = encoding === 'utf-8' ? undefined : decoderFor(encoding);
  let h: Header | undefined;
  let lineNo = 0;
  let rows = 0;
  let carry: Buffer | undefined;
  const onLine = (bytes: Buffer) => {
    lineNo++;
    const end =
      bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
    const line = bytes.subarray(0, end);
    const valid = decode !== undefined || isUtf8(line);
    let raw = decode ? decode(line) : valid ? line.toString('utf8') : likelyText(line);
    if (lineNo === 1 && !decode) raw = raw.replace(/^\uFEFF/, '');
    if (raw.trim() === '') return;
    if (h === undefined) {
      if (!valid)
        throw new InputError('AMAZON_REPORT_ENCODING', `${displayName}:${lineNo}: ${NOT_UTF8}`, {
          file: displayName,
          line: lineNo,
        });
      h = header(splitLine(raw));
      onHeader(h);
      return;
    }
    rows++;
    const row: TsvRow = { line: lineNo, raw, cells: splitLine(raw) };
    if (!valid) row.problem = NOT_UTF8;
    onRow(row, h);
  };
  await forEachChunk(
    path,
    displayName,
    (chunk) => {
      hash.update(chunk);
      let start = 0;
      for (let lf = chunk.indexOf(0x0a); lf !== -1; lf = chunk.indexOf(0x0a, start)) {
        const piece = chunk.subarray(start, lf);
        onLine(carry ? Buffer.concat([carry, piece]) : piece);
        carry = undefined;
        start = lf + 1;
      }
      // the chunk is reused: what waits for the next one is copied
      if (start < chunk.length) {
        const rest = chunk.subarray(start);
        carry = carry ? Buffer.concat([carry, rest]) : Buffer.from(rest);
      }
    },
    signal,
  );
  if (carry?.length) onLine(carry);
  if (h === undefined) {
    throw new InputError(
      'AMAZON_EMPTY_REPORT',
      `${displayName}: the report is empty (no header line)`,
      {
        file: displayName,
        line: 1,
      },
    );
  }
  return { sha256: hash.digest('hex'), rows };
}

/** A whole number written the way Amazon writes it ("12", "-3", "+1"); undefined otherwise. */
export function parseInteger(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (!/^[+-]?\d+$/.test(t)) return undefined;
  return Number(t);
}
