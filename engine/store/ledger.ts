/**
 * Bulk writes of what connectors read: ledger events (idempotent on source + source event id:
 * a re-read file or an overlapping API page inserts nothing twice) and position snapshots.
 */
import type { Knex } from 'knex';
import type { Account, MovementEvent, Position } from '../model/types.ts';
import { inTransaction } from './db.ts';
import { bulkInsert, type Cell, type Column } from './bulk.ts';
import { nowIso } from './canonical.ts';

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

export type AppendResult = { inserted: number; ignored: number };

/** Inserts events, skipping any (source, source event id) already in the ledger. */
export async function appendEvents(db: Knex, events: MovementEvent[]): Promise<AppendResult> {
  if (events.length === 0) return { inserted: 0, ignored: 0 };
  const inserted = await inTransaction(db, (trx) =>
    bulkInsert(trx, 'events', EVENT_COLUMNS, events.map(eventRow), 'ignore'),
  );
  return { inserted, ignored: events.length - inserted };
}

export type SnapshotInput = { source: string; asOf: string; fileSha256?: string; runId?: string };

/** Stores one source's positions as a snapshot; returns the snapshot id. */
export async function insertSnapshot(
  db: Knex,
  snapshot: SnapshotInput,
  positions: Position[],
): Promise<number> {
  return inTransaction(db, async (trx) => {
    const [row] = (await trx('snapshots')
      .insert({
        source: snapshot.source,
        as_of: snapshot.asOf,
        file_sha256: snapshot.fileSha256 ?? '',
        run_id: snapshot.runId ?? null,
        row_count: positions.length,
        loaded_at: nowIso(),
      })
      .returning('id')) as ({ id: number } | number)[];
    const id = Number(typeof row === 'object' ? row.id : row);
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
