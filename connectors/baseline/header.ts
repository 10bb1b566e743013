/**
 * Which column of a team's list holds which field: named by `--columns sku=Item,…` (like a
 * connector's `columns`), otherwise recognised from the headers teams write.
 */
import { InputError } from '../../engine/core/errors.ts';
import { BASELINE_FIELDS, type BaselineField } from '../../engine/services/pilot/baseline.ts';

const USUAL: Record<BaselineField, string[]> = {
  sku: ['sku', 'item', 'item code', 'item_code', 'article', 'product', 'part', 'part number'],
  location: ['location', 'warehouse', 'site', 'store', 'wh', 'dc', 'loc'],
  variance: [
    'variance',
    'difference',
    'diff',
    'delta',
    'discrepancy',
    'qty variance',
    'variance qty',
  ],
  quantity: ['quantity', 'qty', 'units', 'count'],
  reason: ['reason', 'cause', 'root cause', 'comment', 'comments', 'note', 'notes', 'explanation'],
};

const normal = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');

/** `sku=Item Code,location=Site` → field → header. */
export function parseColumns(text: string | undefined): Partial<Record<BaselineField, string>> {
  const out: Partial<Record<BaselineField, string>> = {};
  if (!text) return out;
  for (const pair of text.split(',')) {
    const eq = pair.indexOf('=');
    const field = pair.slice(0, eq).trim() as BaselineField;
    if (eq < 1 || !BASELINE_FIELDS.includes(field)) {
      throw new InputError(
        'BAD_OPTION',
        `--columns: "${pair.trim()}" is not field=Header (fields: ${BASELINE_FIELDS.join(', ')})`,
      );
    }
    out[field] = pair.slice(eq + 1).trim();
  }
  return out;
}

export type HeaderMap = {
  index: Partial<Record<BaselineField, number>>;
  names: Partial<Record<BaselineField, string>>;
};

export function mapHeader(
  header: string[],
  given: Partial<Record<BaselineField, string>>,
  file: string,
  line: number,
): HeaderMap {
  const cells = header.map(normal);
  const index: Partial<Record<BaselineField, number>> = {};
  const names: Partial<Record<BaselineField, string>> = {};
  for (const field of BASELINE_FIELDS) {
    const named = given[field];
    const at =
      named !== undefined
        ? cells.indexOf(normal(named))
        : cells.findIndex((c) => USUAL[field].includes(c));
    if (named !== undefined && at < 0) {
      throw missing(
        file,
        line,
        header,
        `--columns names "${named}" for ${field}, but the header has no such column`,
      );
    }
    if (at >= 0) {
      index[field] = at;
      names[field] = header[at]!.trim();
    }
  }
  const lacking = (['sku', 'location'] as const).filter((f) => index[f] === undefined);
  if (lacking.length > 0) {
    throw missing(file, line, header, `no ${lacking.join(' or ')} column`);
  }
  if (index.variance === undefined && index.quantity === undefined) {
    throw missing(file, line, header, 'no variance or quantity column');
  }
  return { index, names };
}

function missing(file: string, line: number, header: string[], what: string): InputError {
  const seen = header
    .filter((h) => h.trim() !== '')
    .map((h) => `"${h.trim()}"`)
    .join(', ');
  return new InputError(
    'BASELINE_HEADER',
    `${file}:${line}: ${what} (header: ${seen || 'empty'}); name the columns with --columns sku=…,location=…,variance=…,reason=…`,
    { file, line },
  );
}
