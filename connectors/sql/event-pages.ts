/**
 * The read loop both vendor query sets share for their event tables: keyset pages, one line
 * number per row, rejects worded with the row's name, and a cursor that stops at the first
 * event held back for asOf so the next read starts from it again.
 */
import type { Knex } from 'knex';
import type { RawEvent } from '../../engine/core/model/types.ts';
import type { RejectedKey } from '../types.ts';
import type { Db } from './db.ts';
import type { Out } from './out.ts';
import type { EventCursor } from './query-set.ts';

type Row = Record<string, unknown>;

export type EventTable = {
  /** The label rows are counted and rejected under, e.g. 'odoo:stock_move'. */
  label: string;
  build: () => Knex.QueryBuilder;
  keys: { column: string; field: string }[];
  /** The row's events (origin is added here), why it is refused, or undefined to pass it over. */
  events(row: Row): RawEvent[] | string | undefined;
  /** The (sku, location) keys of a refused row that can still be read. */
  refusedKeys(row: Row): RejectedKey[];
  /** How a reject names the row, e.g. `stock_move 42`. */
  name(row: Row): string;
  /** The keyset position after this row, in the order of `keys`. */
  cursor(row: Row): EventCursor;
};

export async function readEventPages(
  db: Db,
  out: Out,
  table: EventTable,
  after?: EventCursor,
): Promise<EventCursor | undefined> {
  const { label } = table;
  let cursor = after;
  let holding = false;
  let line = 0;
  for await (const rows of db.pages<Row>(table.build, table.keys, after)) {
    for (const row of rows) {
      line++;
      const events = table.events(row);
      if (typeof events === 'string')
        out.reject(label, line, `${table.name(row)}: ${events}`, row, {
          kind: 'events',
          keys: table.refusedKeys(row),
        });
      else if (events) {
        const placed = events.map((e) => ({ ...e, origin: { file: label, line } }));
        if (out.accept(label, [], placed).heldBack) holding = true;
      }
      if (!holding) cursor = table.cursor(row);
    }
  }
  return cursor;
}
