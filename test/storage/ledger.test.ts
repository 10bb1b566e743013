import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.ts';
import { appendEvents, insertSnapshot } from '../../engine/services/store/ledger.ts';
import type { MovementEvent, Position } from '../../engine/core/model/types.ts';
import type { Db } from '../../engine/services/store/db.ts';

const event = (i: number): MovementEvent => ({
  source: 'wms',
  sourceEventId: `E${i}`,
  type: 'shipment',
  sku: `SKU-${i % 50}`,
  from: { kind: 'stock', location: 'WH1', bucket: 'sellable' },
  to: { kind: 'outside', account: 'customer' },
  quantity: 1 + (i % 5),
  occurredAt: '2026-11-01T10:00:00.000Z',
  recordedAt: '2026-11-01T10:01:00.000Z',
  reference: i % 3 === 0 ? `SO-${i}` : undefined,
  rawFromStatus: 'tab\there',
});

describe.each(testDatabases())('ledger bulk writes on $name', (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await engine.open();
  });
  afterAll(() => engine.close());

  it('appends events once per (source, source event id), small and COPY-sized batches alike', async () => {
    expect(await appendEvents(db, [event(1), event(2)])).toEqual({ inserted: 2, ignored: 0 });
    const big = Array.from({ length: 25_000 }, (_, i) => event(i));
    expect(await appendEvents(db, big)).toEqual({ inserted: 24_998, ignored: 2 });
    expect(await appendEvents(db, big.slice(0, 10))).toEqual({ inserted: 0, ignored: 10 });
    expect(Number((await db('events').count('* as n').first())!.n)).toBe(25_000);
    const e3 = await db('events').where({ source_event_id: 'E3' }).first();
    expect(e3).toMatchObject({
      from_location: 'WH1',
      from_bucket: 'sellable',
      to_outside: 'customer',
      reference: 'SO-3',
      raw_from_status: 'tab\there',
    });
    expect(Number(e3.quantity)).toBe(4);
  });

  it('takes a fresh COPY-sized batch straight in, and skips repeats inside one batch', async () => {
    const fresh = (i: number) => ({ ...event(i), source: 'fresh', sourceEventId: `F${i}` });
    const batch = Array.from({ length: 22_000 }, (_, i) => fresh(i));
    expect(await appendEvents(db, batch)).toEqual({ inserted: 22_000, ignored: 0 });
    expect(await appendEvents(db, batch)).toEqual({ inserted: 0, ignored: 22_000 });
    // a batch that repeats one of its own events, none of them stored yet
    const repeated = Array.from({ length: 21_000 }, (_, i) => ({
      ...event(i),
      source: 'twice',
      sourceEventId: `T${i}`,
    }));
    repeated.push({ ...repeated[7]!, quantity: 99 });
    expect(await appendEvents(db, repeated)).toEqual({ inserted: 21_000, ignored: 1 });
    const t7 = await db('events').where({ source: 'twice', source_event_id: 'T7' }).first();
    expect(Number(t7.quantity)).toBe(event(7).quantity);
    const special = await db('events').where({ source: 'fresh', source_event_id: 'F3' }).first();
    expect(special.raw_from_status).toBe('tab\there');
  });

  it('stores a snapshot of positions in bulk', async () => {
    const positions: Position[] = Array.from({ length: 21_000 }, (_, i) => ({
      source: 'erp',
      sku: `S${i}`,
      location: 'WH1',
      bucket: 'sellable',
      quantity: i,
      rawStatus: 'available',
      asOf: '2026-11-01T00:00:00.000Z',
    }));
    const id = await insertSnapshot(
      db,
      { source: 'erp', asOf: '2026-11-01T00:00:00.000Z' },
      positions,
    );
    expect(
      Number((await db('positions').where({ snapshot_id: id }).sum({ q: 'quantity' }).first())!.q),
    ).toBe((20_999 * 21_000) / 2);
  });
});
