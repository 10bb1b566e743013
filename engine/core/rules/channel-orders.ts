/**
 * A warning (the rules still load) where a channel's orders cannot be checked:
 *
 * - ORDERS_UNNAMED: a channel source (`ecommerce`, `marketplace`) reads movement events at a
 *   location whose book for physical movements is another source, and names none of its orders
 *   (`orderReferences`): no shipment booked there is asked of the channel, so an order the book
 *   shipped and the channel never fulfilled is not raised.
 */
import { isChannelRole } from '../model/types.ts';
import { booksOf } from './books.ts';
import type { Problem } from './problems.ts';
import type { Ruleset } from './types.ts';

export function ordersWarnings(ruleset: Ruleset): Problem[] {
  const books = booksOf(ruleset).get('physical_movements') ?? new Map<string, string>();
  const out: Problem[] = [];
  for (const source of ruleset.sources.values()) {
    if (!isChannelRole(source.role)) continue;
    if (source.orderReferences?.length) continue;
    if (!source.files.some((f) => f.kind === 'events')) continue;
    const booked = source.locations.filter((l) => {
      const book = books.get(l);
      return book !== undefined && book !== source.id;
    });
    if (booked.length === 0) continue;
    const bookIds = [...new Set(booked.map((l) => books.get(l)!))];
    out.push({
      file: source.file,
      line: source.line,
      column: source.column ?? 1,
      path: '',
      message:
        `Sources ${source.id}: reads events at ${booked.join(', ')}, where ` +
        `${bookIds.join(', ')} ${bookIds.length > 1 ? 'book' : 'books'} the movements, but ` +
        "names none of its orders: no shipment booked there is asked of it (declare its orders' " +
        "references as the books write them, e.g. orderReferences: ['SO-W*'])",
      code: 'ORDERS_UNNAMED',
    });
  }
  return out;
}
