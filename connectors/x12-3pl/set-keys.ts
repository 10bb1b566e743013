/**
 * The keys a refused transaction set covers: its warehouse and the product id of each item
 * line that still names one. A set is refused whole, so every one of these keys is missing a
 * record the 3PL sent; the run leaves them incomplete instead of comparing them without it.
 */
import type { RejectedKey } from '../types.ts';
import type { TransactionSet } from './envelope.ts';
import { LAYOUTS } from './layout.ts';
import { productId, SetError, warehouse, type SetContext } from './segments.ts';

export function keysOfSet(
  set: Pick<TransactionSet, 'type' | 'line' | 'segments'>,
  ctx: SetContext,
): RejectedKey[] {
  const layout = LAYOUTS[set.type as keyof typeof LAYOUTS];
  if (!layout) return [];
  const st = set.segments[0] ?? { tag: 'ST', values: [], line: set.line };
  const location = readable(() => warehouse(set.segments, layout.entities, ctx, st));
  if (location === undefined) return [];
  const skus = new Set<string>();
  for (const seg of set.segments) {
    if (seg.tag !== layout.itemTag) continue;
    const sku = readable(() => productId(seg, layout.pairs, ctx, layout.upcAt));
    if (sku !== undefined) skus.add(sku);
  }
  return [...skus].map((sku) => ({ sku, location }));
}

function readable<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof SetError) return undefined;
    throw error;
  }
}
