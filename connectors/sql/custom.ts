/**
 * The custom query set: the deployment writes SQL that returns Tally's own column names
 * (snake_case). Events SQL may use `:cursor` (text, '' on the first pull) and must return a
 * `cursor` column that grows with each row; the largest one read becomes the next cursor.
 */
import { EVENT_TYPES } from '../../engine/core/model/types.ts';
import type { EventType, RawEvent, RawPosition } from '../../engine/core/model/types.ts';
import type { RejectedKey } from '../types.ts';
import { queryError, withTimeout } from './db.ts';
import type { Db } from './db.ts';
import type { Out } from './out.ts';
import { num, str } from './out.ts';
import type { EventCursor, QueryContext } from './query-set.ts';
import { wallTextToUtc } from './time.ts';

async function rawRows(db: Db, sql: string, cursor: string): Promise<Record<string, unknown>[]> {
  const bindings = sql.includes(':cursor') ? { cursor } : {};
  let result: unknown;
  try {
    result = await withTimeout(db.knex.raw(sql, bindings), db.settings);
  } catch (error) {
    throw queryError(error, 'custom query', db.settings);
  }
  if (db.settings.client === 'pg') return (result as { rows: Record<string, unknown>[] }).rows;
  if (db.settings.client === 'mysql2') return (result as [Record<string, unknown>[]])[0];
  return result as Record<string, unknown>[];
}

function time(value: unknown, timeZone: string): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  return str(value) ? wallTextToUtc(String(value), timeZone) : undefined;
}

export async function customPositions(db: Db, q: QueryContext, out: Out): Promise<void> {
  const sql = db.settings.queries.positions;
  if (!sql) return;
  const rows = await rawRows(db, sql, '');
  rows.forEach((row, i) => {
    const p = position(row, q, i + 1);
    if (typeof p === 'string')
      out.reject('custom:positions', i + 1, p, row, { kind: 'positions', keys: keysOf(row) });
    else out.accept('custom:positions', [p], []);
  });
}

/** The key of a refused row, when its sku and location columns can still be read. */
function keysOf(row: Record<string, unknown>): RejectedKey[] {
  const sku = str(row.sku);
  const location = str(row.location);
  return sku && location ? [{ sku, location }] : [];
}

function position(
  row: Record<string, unknown>,
  q: QueryContext,
  line: number,
): RawPosition | string {
  const sku = str(row.sku);
  const location = str(row.location);
  const status = str(row.status);
  const quantity = num(row.quantity);
  if (!sku || !location || !status) return 'sku, location and status are required';
  if (quantity === undefined) return `quantity ${JSON.stringify(row.quantity)} is not a number`;
  const asOf =
    row.as_of === undefined || row.as_of === null ? q.readAt : time(row.as_of, q.source.timezone);
  if (!asOf) return `as_of ${JSON.stringify(row.as_of)} unreadable`;
  return {
    source: q.source.id,
    sku,
    location,
    status,
    quantity,
    unit: str(row.unit),
    asOf,
    origin: { file: 'custom:positions', line },
  };
}

export async function customEvents(
  db: Db,
  q: QueryContext,
  out: Out,
  after?: EventCursor,
): Promise<EventCursor | undefined> {
  const sql = db.settings.queries.events;
  if (!sql) return after;
  const start = after ? String(after[0]) : '';
  const rows = await rawRows(db, sql, start);
  let cursor = after;
  let holding = false;
  rows.forEach((row, i) => {
    const e = event(row, q, i + 1);
    if (typeof e === 'string')
      out.reject('custom:events', i + 1, e, row, { kind: 'events', keys: keysOf(row) });
    else if (out.accept('custom:events', [], [e]).heldBack) holding = true;
    const c = str(row.cursor);
    if (!holding && c !== undefined && (cursor === undefined || c > String(cursor[0])))
      cursor = [c];
  });
  return cursor;
}

function event(row: Record<string, unknown>, q: QueryContext, line: number): RawEvent | string {
  const type = str(row.type);
  if (!type || !(EVENT_TYPES as readonly string[]).includes(type))
    return `type ${JSON.stringify(row.type)} is not one of ${EVENT_TYPES.join(', ')}`;
  const id = str(row.source_event_id);
  const sku = str(row.sku);
  const location = str(row.location);
  if (!id || !sku || !location) return 'source_event_id, sku and location are required';
  const quantity = num(row.quantity);
  if (quantity === undefined || quantity < 0)
    return `quantity ${JSON.stringify(row.quantity)} must be a number ≥ 0`;
  const occurredAt = time(row.occurred_at, q.source.timezone);
  if (!occurredAt) return `occurred_at ${JSON.stringify(row.occurred_at)} unreadable`;
  return {
    source: q.source.id,
    sourceEventId: id,
    type: type as EventType,
    sku,
    location,
    fromStatus: str(row.from_status),
    toStatus: str(row.to_status),
    counterpartLocation: str(row.counterpart_location),
    quantity,
    unit: str(row.unit),
    occurredAt,
    recordedAt: time(row.recorded_at, q.source.timezone),
    reference: str(row.reference),
    reasonCode: str(row.reason_code),
    origin: { file: 'custom:events', line },
  };
}
