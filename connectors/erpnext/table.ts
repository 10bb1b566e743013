/**
 * An ERPNext CSV export (Report view or Data Export) read as rows of named fields. The header
 * may use the field names (`actual_qty`) or their labels (`Actual Qty`, `Qty Change`); names
 * are matched ignoring case, spaces and punctuation. Files are streamed and hashed as read.
 */
import { createHash } from 'node:crypto';
import { InputError } from '../../engine/core/errors.ts';
import { forEachText } from '../shared/byte-stream.ts';
import { DelimitedParser } from '../shared/delimited.ts';
export { insideData } from '../shared/data-path.ts';

/** field name → the labels ERPNext versions have exported it under. */
export type FieldLabels = Record<string, readonly string[]>;

export type Row = {
  line: number;
  raw: string;
  get(field: string): string | undefined;
};

export const key = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

export type Table = { sha256: string; fields: Set<string> };

export async function readTable(
  absPath: string,
  display: string,
  labels: FieldLabels,
  required: readonly string[],
  onRow: (row: Row) => void,
  signal?: AbortSignal,
): Promise<Table> {
  const hash = createHash('sha256');
  let index: Map<string, number> | undefined;
  let width = 0;
  const parser = new DelimitedParser(',', (cells, line, raw, problem) => {
    if (index === undefined) {
      index = headerIndex(cells, labels);
      width = cells.length;
      const missing = required.filter((f) => !index!.has(f));
      if (missing.length > 0) {
        throw new InputError(
          'ERPNEXT_MISSING_COLUMNS',
          `${display}:${line}: missing column(s) ${missing.join(', ')}; the header has: ${cells.join(', ')}`,
          { file: display, line },
        );
      }
      return;
    }
    const at = index;
    const bad =
      problem ??
      (cells.length !== width ? `expected ${width} fields, found ${cells.length}` : undefined);
    onRow({
      line,
      raw,
      get: (field) => {
        if (bad !== undefined) throw new RowProblem(bad);
        const i = at.get(field);
        if (i === undefined) return undefined;
        const v = cells[i]!.trim();
        return v === '' ? undefined : v;
      },
    });
  });
  await forEachText(
    absPath,
    display,
    {
      push: (text) => {
        hash.update(text);
        parser.push(text);
      },
      end: () => parser.end(),
    },
    { signal },
  );
  if (index === undefined) {
    throw new InputError('ERPNEXT_EMPTY_EXPORT', `${display}: the file is empty (no header line)`, {
      file: display,
      line: 1,
    });
  }
  return { sha256: hash.digest('hex'), fields: new Set(index.keys()) };
}

/** Thrown by Row.get on a row whose shape is broken, so the caller rejects it with the reason. */
export class RowProblem extends Error {}

function headerIndex(cells: string[], labels: FieldLabels): Map<string, number> {
  const byKey = new Map<string, string>();
  for (const [field, names] of Object.entries(labels)) {
    byKey.set(key(field), field);
    for (const n of names) byKey.set(key(n), field);
  }
  const index = new Map<string, number>();
  cells.forEach((cell, i) => {
    const field = byKey.get(key(cell));
    if (field !== undefined && !index.has(field)) index.set(field, i);
  });
  return index;
}

/**
 * The key of a refused row, when its item and warehouse can still be read (a row of the wrong
 * width has no cell one can trust).
 */
export function keyOf(row: Row): { sku?: string; location?: string } {
  try {
    const sku = row.get('item_code');
    const location = row.get('warehouse');
    return sku && location ? { sku, location } : {};
  } catch (e) {
    if (e instanceof RowProblem) return {};
    throw e;
  }
}
