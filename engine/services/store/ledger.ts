/**
 * Bulk writes of what connectors read: ledger events (idempotent on source + source event id:
 * a re-read file or an overlapping API page inserts nothing twice) and position snapshots.
 */
import type { Knex } from 'knex';
import type { Account, MovementEvent, Position } from '../../core/model/types.ts';
import { dialectOf, insertedId, inTransaction } from './db.ts';
import {
  bulkInsert,
  copyCell,
  pgCopyIgnore,
  PG_COPY_MIN_ROWS,
  sqliteInsertFilled,
  type Cell,
  type Column,
} from './bulk.ts';
import { nowIso } from '../../core/model/canonical.ts';

const t = (name: string): Column => ({ name, pgType: 'text' });

const EVENT_COLUMNS: Column[] = [
  t('source'),
  t('source_event_id'),
  t('type'),
  t('sku'),
  t('from_location'),
  t('from_bucket'),
  t('from_outside'),
  t('to_location'),
  t('to_bucket'),
  t('to_outside'),
  { name: 'quantity', pgType: 'bigint' },
  t('raw_from_status'),
  t('raw_to_status'),
  t('occurred_at'),
  t('recorded_at'),
  t('reference'),
  t('reason_code'),
];

/** The unique key that makes appending idempotent. */
const EVENT_KEY = ['source', 'source_event_id'];

const POSITION_COLUMNS: Column[] = [
  { name: 'snapshot_id', pgType: 'int' },
  t('source'),
  t('sku'),
  t('location'),
  t('bucket'),
  { name: 'quantity', pgType: 'bigint' },
  t('raw_status'),
  t('as_of'),
];

function account(a: Account): [string | null, string | null, string | null] {
  return a.kind === 'stock' ? [a.location, a.bucket, null] : [null, null, a.account];
}

export function eventRow(e: MovementEvent): Cell[] {
  return [
    e.source,
    e.sourceEventId,
    e.type,
    e.sku,
    ...account(e.from),
    ...account(e.to),
    e.quantity,
    e.rawFromStatus ?? null,
    e.rawToStatus ?? null,
    e.occurredAt,
    e.recordedAt,
    e.reference ?? null,
    e.reasonCode ?? null,
  ];
}

/** eventRow without the row array: writes the values into `params` from `at`. */
function fillEvent(e: MovementEvent, params: Cell[], at: number): void {
  params[at] = e.source;
  params[at + 1] = e.sourceEventId;
  params[at + 2] = e.type;
  params[at + 3] = e.sku;
  fillAccount(e.from, params, at + 4);
  fillAccount(e.to, params, at + 7);
  params[at + 10] = e.quantity;
  params[at + 11] = e.rawFromStatus ?? null;
  params[at + 12] = e.rawToStatus ?? null;
  params[at + 13] = e.occurredAt;
  params[at + 14] = e.recordedAt;
  params[at + 15] = e.reference ?? null;
  params[at + 16] = e.reasonCode ?? null;
}

function fillAccount(a: Account, params: Cell[], at: number): void {
  const stock = a.kind === 'stock';
  params[at] = stock ? a.location : null;
  params[at + 1] = stock ? a.bucket : null;
  params[at + 2] = stock ? null : a.account;
}

export type AppendResult = { inserted: number; ignored: number };

/** Inserts events, skipping any (source, source event id) already in the ledger. */
export async function appendEvents(db: Knex, events: MovementEvent[]): Promise<AppendResult> {
  if (events.length === 0) return { inserted: 0, ignored: 0 };
  const inserted = await inTransaction(db, (trx) => {
    if (dialectOf(trx) === 'sqlite') {
      const fill = (i: number, params: Cell[], at: number): void =>
        fillEvent(events[i]!, params, at);
      return sqliteInsertFilled(trx, 'events', EVENT_COLUMNS, events.length, fill, 'ignore');
    }
    if (events.length >= PG_COPY_MIN_ROWS)
      return pgCopyIgnore(trx, 'events', EVENT_COLUMNS, EVENT_KEY, () => eventCopyText(events));
    return bulkInsert(trx, 'events', EVENT_COLUMNS, events.map(eventRow), 'ignore');
  });
  return { inserted, ignored: events.length - inserted };
}

const COPY_CHUNK_EVENTS = 2_000;

/**
 * COPY text for events in EVENT_COLUMNS order, built straight from the events a chunk at a time
 * (no row array per event; PostgreSQL ingests one chunk while the next is built).
 */
export function* eventCopyText(events: MovementEvent[]): Generator<string> {
  for (let i = 0; i < events.length; i += COPY_CHUNK_EVENTS) {
    let text = '';
    const end = Math.min(i + COPY_CHUNK_EVENTS, events.length);
    for (let k = i; k < end; k++) text += eventLine(events[k]!);
    yield text;
  }
}

function eventLine(e: MovementEvent): string {
  return (
    copyCell(e.source) +
    '\t' +
    copyCell(e.sourceEventId) +
    '\t' +
    copyCell(e.type) +
    '\t' +
    copyCell(e.sku) +
    '\t' +
    accountText(e.from) +
    '\t' +
    accountText(e.to) +
    '\t' +
    String(e.quantity) +
    '\t' +
    copyCell(e.rawFromStatus ?? null) +
    '\t' +
    copyCell(e.rawToStatus ?? null) +
    '\t' +
    copyCell(e.occurredAt) +
    '\t' +
    copyCell(e.recordedAt) +
    '\t' +
    copyCell(e.reference ?? null) +
    '\t' +
    copyCell(e.reasonCode ?? null) +
    '\n'
  );
}

/** location, bucket, outside account: the three account columns of one side. */
function accountText(a: Account): string {
  return a.kind === 'stock'
    ? `${copyCell(a.location)}\t${copyCell(a.bucket)}\t\\N`
    : `\\N\t\\N\t${copyCell(a.account)}`;
}

export type SnapshotInput = { source: string; asOf: string; fileSha256?: string; runId?: string };

/** Stores one source's positions as a snapshot; returns the snapshot id. */
export async function insertSnapshot(
  db: Knex,
  snapshot: SnapshotInput,
  positions: Position[],
): Promise<number> {
  return inTransaction(db, async (trx) => {
    const inserted = await trx('snapshots')
      .insert({
        source: snapshot.source,
        as_of: snapshot.asOf,
        file_sha256: snapshot.fileSha256 ?? '',
        run_id: snapshot.runId ?? null,
        row_count: positions.length,
        loaded_at: nowIso(),
      })
      .returning('id');
    const id = insertedId(inserted);
    const rows = positions.map((p): Cell[] => [
      id,
      p.source,
      p.sku,
      p.location,
      p.bucket,
      p.quantity,
      p.rawStatus,
      p.asOf,
    ]);
    await bulkInsert(trx, 'positions', POSITION_COLUMNS, rows);
    return id;
  });
}
