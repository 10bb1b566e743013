/**
 * The event endpoint under `tally serve`: a Shopify webhook raises an exception on the touched
 * key only and its message lands in the owner's channel (named #inv-east in the rules, posted
 * to its id); a later webhook resolves it and the same message is updated in place. The generic
 * signed form appends to the ledger once, and refuses bad signatures, replays and bad payloads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveLedger } from '../../server/live.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { baseline } from '../support/engine/scenario.ts';
import { testDatabases } from '../support/databases.ts';
import { NOW, at, postGeneric, postLevel, startRealtime, until } from './support.ts';

describe.each(testDatabases())('event endpoint on $name', (engine) => {
  let db: Db;
  let rt: Awaited<ReturnType<typeof startRealtime>>;

  beforeAll(async () => {
    db = await engine.open();
    rt = await startRealtime(db);
  });
  afterAll(async () => {
    await rt.stop();
    await engine.close();
  });

  const shopException = () =>
    db('exceptions').where({ sku: 'SKU-1', location: 'WH-EAST', source: 'shop' }).first();

  it('re-reconciles the touched key of a Shopify webhook and posts the exception', async () => {
    const res = await postLevel(rt.served.url, 1, 90, at(30));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ok: true, received: 1, fresh: 1, keys: 4 });
    const run = await db('runs').where({ id: res.json.runId }).first();
    expect(run.mode).toBe('incremental');
    const results = await db('run_results').where({ run_id: res.json.runId });
    expect(new Set(results.map((r) => `${r.sku}|${r.location}`))).toEqual(
      new Set(['SKU-1|WH-EAST']),
    );
    const exc = await until(shopException, 'the exception');
    expect(Number(exc.variance)).toBe(-10);
    const posted = await until(async () => {
      const list = rt.slack.channelMessages('C0EAST').filter((m) => !m.threadTs);
      return list.length ? list : null;
    }, 'the message in C0EAST');
    expect(posted).toHaveLength(1);
    expect(posted[0]!.metadata?.event_payload.exception_id).toBe(String(exc.id));
    expect(rt.slack.channelMessages('#inv-east')).toHaveLength(0);
  });

  it('adds nothing for a redelivered webhook', async () => {
    const before = await db('runs').count({ n: '*' });
    const res = await postLevel(rt.served.url, 1, 90, at(30));
    expect(res.json).toMatchObject({ fresh: 0, runId: null });
    expect(await db('runs').count({ n: '*' })).toEqual(before);
  });

  it('resolves the exception when the difference goes away and updates its message', async () => {
    const res = await postLevel(rt.served.url, 1, 100, at(40));
    expect(res.status).toBe(200);
    // one exception touched, one update queued (the run's history already names the resolved)
    expect(res.json).toMatchObject({ fresh: 1, notified: 1 });
    const exc = await until(
      async () => ((await shopException()).state === 'resolved' ? shopException() : null),
      'resolution',
    );
    const update = await until(
      async () =>
        rt.slack.calls.find(
          (c) => c.method === 'chat.update' && c.status === 200 && c.args.ts === exc.slack_ts,
        ),
      'chat.update of the message',
    );
    expect(update.args.channel).toBe('C0EAST');
    expect(rt.slack.channelMessages('C0EAST').filter((m) => !m.threadTs)).toHaveLength(1);
  });

  it("says what a webhook held that it could not take, and leaves an untracked item's key incomplete until its next level", async () => {
    const notCompared = async (runId: unknown) =>
      JSON.parse((await db('runs').where({ id: runId }).first()).not_compared) as {
        source: string;
        sku: string;
        reason: string;
        rows: { file: string; line: number }[];
      }[];
    // SKU-1 matches at 100 (the test before); Shopify stops tracking it
    const res = await postLevel(rt.served.url, 1, null, at(42));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ok: true, received: 1, fresh: 1, keys: 4 });
    expect(res.json.problems).toEqual([
      expect.stringMatching(/available is null .* no position taken$/),
    ]);
    // the 100 it sent before is not a position confirmed: the key is not compared for the shop
    expect(await notCompared(res.json.runId)).toEqual([
      expect.objectContaining({
        source: 'shop',
        sku: 'SKU-1',
        reason: 'rejected_rows',
        rows: [{ file: 'webhook:inventory_levels/update', line: 1 }],
      }),
    ]);
    const runResults = await db('run_results').where({ run_id: res.json.runId, source: 'shop' });
    expect(runResults).toEqual([]);
    // the same delivery again is one refusal
    expect((await postLevel(rt.served.url, 1, null, at(42))).json).toMatchObject({ fresh: 0 });
    // tracked again: its next level takes the refusal's place and the key is compared again
    const back = await postLevel(rt.served.url, 1, 100, at(44));
    expect(back.json).toMatchObject({ fresh: 1, keys: 4 });
    expect(await notCompared(back.json.runId)).toEqual([]);
  });

  it('names a level at a location the shop source does not read, and takes nothing from it', async () => {
    const res = await postLevel(rt.served.url, 2, 5, at(43), undefined, 2);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ok: true, received: 0 });
    expect(res.json.outside).toEqual([
      'inventory item gid://shopify/InventoryItem/2 at gid://shopify/Location/2: the location is not in settings.locations, which lists the ones this source reads; not read',
    ]);
    expect(res.json.problems).toBeUndefined();
  });

  it('refuses a webhook whose HMAC does not match', async () => {
    const res = await postLevel(rt.served.url, 1, 50, at(45), 'not-the-secret');
    expect(res.status).toBe(401);
    expect(res.json.code).toBe('SHOPIFY_WEBHOOK_SIGNATURE');
  });

  it('appends generic signed events to the ledger once', async () => {
    const event = {
      source: 'wms-east',
      sourceEventId: 'WMS-SHIP-1',
      type: 'shipment',
      sku: 'SKU-2',
      location: 'WH-EAST-A-01',
      fromStatus: 'AVAILABLE',
      quantity: 5,
      occurredAt: at(20),
      reference: 'SO-1',
    };
    const first = await postGeneric(rt.served.url, { events: [event] });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ fresh: 1, keys: 4 });
    const again = await postGeneric(rt.served.url, [event]);
    expect(again.json).toMatchObject({ fresh: 0 });
    const rows = await db('events').where({ source: 'wms-east', source_event_id: 'WMS-SHIP-1' });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      sku: 'SKU-2',
      from_location: 'WH-EAST-A-01',
      from_bucket: 'sellable',
      to_outside: 'customer',
      raw_from_status: 'AVAILABLE',
      reference: 'SO-1',
    });
    expect(Number(rows[0].quantity)).toBe(5);
  });

  it('refuses a wrong secret, a replayed or future timestamp, and names each bad field', async () => {
    const ok = { source: 'wms-east', sourceEventId: 'X', type: 'receipt', sku: 'SKU-1' };
    const nowSec = Math.floor(Date.now() / 1000);
    const wrong = await postGeneric(rt.served.url, ok, { secret: 'guess' });
    expect([wrong.status, wrong.json.code]).toEqual([401, 'EVENT_SIGNATURE']);
    const old = await postGeneric(rt.served.url, ok, { timestampSec: nowSec - 301 });
    expect([old.status, old.json.code]).toEqual([401, 'EVENT_REPLAY']);
    // read the clock again: on a loaded machine seconds pass between the requests
    const future = await postGeneric(rt.served.url, ok, {
      timestampSec: Math.floor(Date.now() / 1000) + 310,
    });
    expect([future.status, future.json.code]).toEqual([401, 'EVENT_REPLAY']);
    const bad = await postGeneric(rt.served.url, [
      { ...ok, type: 'teleport', location: 'WH-EAST-A-01', quantity: 1, occurredAt: at(1) },
      { ...ok, source: 'nowhere', location: 'WH-EAST-A-01', quantity: 'x', occurredAt: 'soon' },
    ]);
    expect(bad.status).toBe(400);
    expect(bad.json.error).toContain('events[0].type: expected one of receipt');
    expect(bad.json.error).toContain('events[1].source: "nowhere" is not a source in the rules');
    expect(bad.json.error).toContain('events[1].quantity: expected a number');
    expect(bad.json.error).toContain('events[1].occurredAt: expected an ISO-8601 time');
  });

  it('rebuilds the live ledger after a restart from what the endpoint received', async () => {
    const before = await postLevel(rt.served.url, 2, 80, at(50));
    const shopResult = (runId: unknown) =>
      db('run_results')
        .where({ run_id: String(runId), sku: 'SKU-2', source: 'shop', bucket: 'sellable' })
        .first();
    const seen = await shopResult(before.json.runId);
    expect(seen).toBeDefined();
    const restarted = new LiveLedger({
      db,
      ruleset: rt.ruleset,
      seed: (intake) => baseline(intake, ['SKU-1', 'SKU-2']),
      now: () => NOW,
      notify: async () => 0,
    });
    await restarted.load();
    // a new position elsewhere re-runs SKU-2 at WH-EAST; shop's 80 must come from the replay
    const after = await restarted.accept({
      events: [],
      positions: [
        {
          source: 'erp',
          sku: 'SKU-2',
          location: 'East DC - TC',
          status: 'Unrestricted',
          quantity: 100,
          asOf: at(55),
        },
      ],
    });
    const again = await shopResult(after.runId);
    expect(Number(again?.variance)).toBe(Number(seen.variance));
  });
});
