/**
 * Streaming reader for Amazon's tab-separated reports: one line at a time (reports run to
 * millions of rows), the file hashed as it streams, header names normalized so that the
 * documented spellings ("Event Type", "EventType", "afn-fulfillable-quantity") all match.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { InputError } from '../../engine/core/errors.ts';

export type TsvRow = { line: number; raw: string; cells: string[] };
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
 * Returns the file's sha256 and the number of data rows seen.
 */
export async function streamTsv(
  path: string,
  displayName: string,
  onHeader: (h: Header) => void,
  onRow: (row: TsvRow, h: Header) => void,
  signal?: AbortSignal,
): Promise<{ sha256: string; rows: number }> {
  try {
    await access(path);
  } catch {
    throw new InputError('AMAZON_REPORT_MISSING', `report file not found: ${displayName}`, {
      file: displayName,
    });
  }
  const hash = createHash('sha256');
  const stream = createReadStream(path);
  stream.on('data', (chunk) => hash.update(chunk));
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let h: Header | undefined;
  let lineNo = 0;
  let rows = 0;
  for await (const text of lines) {
    signal?.throwIfAborted();
    lineNo++;
    const raw = lineNo === 1 ? text.replace(/^\uFEFF/, '') : text;
    if (raw.trim() === '') continue;
    if (h === undefined) {
      h = header(splitLine(raw));
      onHeader(h);
      continue;
    }
    rows++;
    onRow({ line: lineNo, raw, cells: splitLine(raw) }, h);
  }
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
