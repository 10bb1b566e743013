/** Small accessors over node-x12 segments, and the error that rejects one transaction set. */
import type { X12Settings } from './settings.ts';

/** A segment as the connector sees it: tag, element values (index 1 = XX01), text line. */
export type Seg = { tag: string; values: string[]; line: number };

/** Rejects the transaction set it is thrown from; the other sets of the file still count. */
export class SetError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.line = line;
  }
}

export type SetContext = {
  source: string;
  settings: X12Settings;
  timezone: string;
  cutoffMinutes: number;
  subElementDelimiter: string;
  /** Interchange and transaction control numbers, for ids when the document has no number. */
  controlId: string;
  file: string;
};

/** Element `n` (1-based, as in W19-01), trimmed; '' when absent. */
export function el(seg: Seg, n: number): string {
  return (seg.values[n - 1] ?? '').trim();
}

export function quantity(seg: Seg, n: number): number {
  const text = el(seg, n);
  const value = Number(text);
  if (text === '' || !Number.isFinite(value))
    throw new SetError(
      `${seg.tag}${pad(n)} quantity ${JSON.stringify(text)} is not a number`,
      seg.line,
    );
  return value;
}

export const pad = (n: number) => String(n).padStart(2, '0');

/** First component of a composite element such as QTY03 (C001). */
export function unit(seg: Seg, n: number, ctx: SetContext): string | undefined {
  const value = el(seg, n).split(ctx.subElementDelimiter)[0];
  return value ? value : undefined;
}

/**
 * The sku from qualifier/id pairs at the given element positions: the first qualifier of
 * settings.skuQualifiers that is present wins, then any pair, then a UPC case code.
 */
export function productId(
  seg: Seg,
  pairs: [number, number][],
  ctx: SetContext,
  upcAt?: number,
): string {
  const found = new Map<string, string>();
  for (const [q, id] of pairs) {
    const qualifier = el(seg, q);
    const value = el(seg, id);
    if (qualifier && value && !found.has(qualifier)) found.set(qualifier, value);
  }
  for (const q of ctx.settings.skuQualifiers) {
    const value = found.get(q);
    if (value) return value;
  }
  const first = [...found.values()][0] ?? (upcAt ? el(seg, upcAt) : '');
  if (!first) throw new SetError(`${seg.tag} names no product id (qualifier/id pair)`, seg.line);
  return first;
}

/** Warehouse named in the heading N1 loop (N104 code, else N102 name), else the default. */
export function warehouse(segments: Seg[], entities: string[], ctx: SetContext, at: Seg): string {
  const n1 = segments.find((s) => s.tag === 'N1' && entities.includes(el(s, 1)));
  const code = n1 ? el(n1, 4) || el(n1, 2) : ctx.settings.defaultLocation;
  if (!code)
    throw new SetError(
      `no warehouse: expected N1*${entities[0]} with N104 or N102, or settings.defaultLocation`,
      at.line,
    );
  return code;
}

export function requireSegment(segments: Seg[], tag: string, stLine: number): Seg {
  const seg = segments.find((s) => s.tag === tag);
  if (!seg) throw new SetError(`missing ${tag} segment`, stLine);
  return seg;
}
