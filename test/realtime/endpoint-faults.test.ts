/**
 * The event endpoint when things go wrong: a failing ledger insert leaves no trace of the event
 * (the sender's retry applies it), a reused sourceEventId with other content is refused with
 * 409 and audited, and an over-limit body gets 413 rather than a reset connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../engine/services/store/db.ts';
import { dialectOf } from '../../engine/services/store/db.ts';
import { verifyAudit } from '../../engine/services/audit/verify.ts';
import { testDatabases } from '../support/databases.ts';
import { postGeneric, startRealtime, shipment } from './support.ts';

const event = (id: string, quantity = 5) => shipment(id, quantity);

/** Makes the ledger insert of one source event id fail, as a full disk or a constraint would. */
async function failLedgerInsertOf(db: Db, id: string): Promise<() => Promise<void>> {
  if (dialectOf(db) === 'sqlite') {
    await db.raw(
      `create trigger fail_insert before insert on events when new.source_event_id = '${id}' begin select raise(abort, 'disk full'); end`,
    );
    return async () => void (await db.raw('drop trigger fail_insert'));
  }
  await db.raw(
    `create function fail_insert() returns trigger language plpgsql as $$ begin if new.source_event_id = '${id}' then raise exception 'disk full'; end if; return new; end $$`,
  );
  await db.raw(
    'create trigger fail_insert before insert on events for each row execute function fail_insert()',
  );
  return async () => {
    await db.raw('drop trigger fail_insert on events');
    await db.raw('drop function fail_insert()');
  };
}

describe.each(testDatabases())('event endpoint faults on $name', (engine) => {
  let db: Db;
  let rt: Awaited<ReturnType<typeof startRealtime>>;
  beforeAll(async () => {
    db = await engine.open();
    rt = await startRealtime(db, { slackChannels: false });
  });
  afterAll(async () => {
    await rt.stop();
    await engine.close();
  });

  const stored = (id: string) => ({
    inbound: () => db('inbound_events').where({ source: 'wms-east', external_id: id }),
    ledger: () => db('events').where({ source: 'wms-east', source_event_id: id }),
  });

  it('loses no event when the ledger insert fails: the retry applies it', async () => {
    const restore = await failLedgerInsertOf(db, 'F-1');
    const failed = await postGeneric(rt.served.url, [event('F-0'), event('F-1')]);
    expect(failed.status).toBe(500);
    expect(await stored('F-0').inbound()).toHaveLength(0);
    expect(await stored('F-1').inbound()).toHaveLength(0);
    await restore();
    const retried = await postGeneric(rt.served.url, [event('F-0'), event('F-1')]);
    expect([retried.status, retried.json.fresh]).toEqual([200, 2]);
    expect(await stored('F-0').ledger()).toHaveLength(1);
    expect(await stored('F-1').ledger()).toHaveLength(1);
    const again = await postGeneric(rt.served.url, [event('F-2')]);
    expect([again.status, again.json.fresh]).toEqual([200, 1]);
  });

  it('refuses a reused sourceEventId with other content (409), keeps the first, audits it', async () => {
    expect((await postGeneric(rt.served.url, [event('R-1', 5)])).status).toBe(200);
    const same = await postGeneric(rt.served.url, [event('R-1', 5)]);
    expect([same.status, same.json.fresh]).toEqual([200, 0]);
    const reused = await postGeneric(rt.served.url, [event('R-2', 1), event('R-1', 7)]);
    expect([reused.status, reused.json.code]).toEqual([409, 'EVENT_ID_REUSED']);
    expect(reused.json.error).toContain('"R-1"');
    const rows = await stored('R-1').ledger();
    expect(rows.map((r) => Number(r.quantity))).toEqual([5]);
    expect(await stored('R-2').inbound()).toHaveLength(0);
    const audit = await db('audit_log').where({ action: 'event.refused' });
    expect(audit.map((a) => a.entity_id)).toEqual(['wms-east:R-1']);
    expect((await verifyAudit(db)).ok).toBe(true);
    const fresh = await postGeneric(rt.served.url, [event('R-2', 1)]);
    expect([fresh.status, fresh.json.fresh]).toEqual([200, 1]);
  });

  it('answers 413 to a body over the limit', async () => {
    const huge = { events: [event('BIG')], pad: 'x'.repeat(6 * 1024 * 1024) };
    const res = await postGeneric(rt.served.url, huge);
    expect([res.status, res.json.code]).toEqual([413, 'EVENT_TOO_LARGE']);
    const chunked = await fetch(`${rt.served.url}/events`, {
      method: 'POST',
      body: new Blob(['x'.repeat(6 * 1024 * 1024)]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });
});
