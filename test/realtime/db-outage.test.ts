/**
 * PostgreSQL lost while `tally serve` runs: the connection to it goes through a TCP proxy the test
 * cuts (every open connection reset, new ones refused), as a failover or a network partition
 * would. The server stays up; the event endpoint answers 503 with Retry-After (nothing kept, so
 * the sender's retry is not taken for a duplicate), /health answers 503; once the database is
 * back the retried batch is applied once and nothing received before the outage is lost.
 */
import { createServer, Socket, type Server } from 'node:net';
import { randomBytes } from 'node:crypto';
import knex from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../engine/services/store/db.ts';
import { postGeneric, startRealtime, shipment } from './support.ts';

const url = process.env.TEST_DATABASE_URL;

/** A TCP proxy to PostgreSQL that can be cut and restored. */
async function pgProxy(target: URL) {
  const sockets = new Set<Socket>();
  let down = false;
  const server: Server = createServer((client) => {
    if (down) return void client.destroy();
    const upstream = new Socket();
    upstream.connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const proxied = new URL(target);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(port);
  return {
    url: proxied.toString(),
    cut() {
      down = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      down = false;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const event = (id: string) => shipment(id, 3, 20);

describe.runIf(url || process.env.TALLY_REQUIRE_PG === '1')('PostgreSQL lost mid-serve', () => {
  const schema = `outage_${randomBytes(5).toString('hex')}`;
  let proxy: Awaited<ReturnType<typeof pgProxy>>;
  let db: Db;
  let rt: Awaited<ReturnType<typeof startRealtime>>;
  const admin = () => knex({ client: 'pg', connection: url!, pool: { min: 0, max: 1 } });

  beforeAll(async () => {
    const a = admin();
    await a.raw('create schema ??', [schema]);
    await a.destroy();
    proxy = await pgProxy(new URL(url!));
    db = await openDb({ url: proxy.url, schema, poolMax: 4, acquireTimeoutMs: 2000 });
    rt = await startRealtime(db, { slackChannels: false });
  });
  afterAll(async () => {
    proxy?.restore();
    await rt?.stop();
    await db?.destroy();
    await proxy?.close();
    const a = admin();
    await a.raw('drop schema if exists ?? cascade', [schema]);
    await a.destroy();
  });

  const inLedger = async (id: string) => {
    const a = admin();
    try {
      return (
        await a
          .withSchema(schema)
          .from('events')
          .where({ source: 'wms-east', source_event_id: id })
          .select('id')
      ).length;
    } finally {
      await a.destroy();
    }
  };

  it('answers 503 while the database is gone and applies the retry once it is back', async () => {
    const before = await postGeneric(rt.served.url, [event('O-1')]);
    expect([before.status, before.json.fresh]).toEqual([200, 1]);

    proxy.cut();
    const t0 = Date.now();
    const res = await fetch(`${rt.served.url}/events`, { method: 'GET' }).catch(() => null);
    expect(res?.status).toBe(404); // the server itself is up
    const during = await postGeneric(rt.served.url, [event('O-2')]);
    expect(during.status).toBe(503);
    expect(during.json.code).toBe('DB_UNAVAILABLE');
    expect(Date.now() - t0).toBeLessThan(15_000);
    const health = await fetch(`${rt.served.url}/health`);
    expect(health.status).toBe(503);

    proxy.restore();
    const retried = await postGeneric(rt.served.url, [event('O-2')]);
    expect([retried.status, retried.json.fresh]).toEqual([200, 1]);
    const again = await postGeneric(rt.served.url, [event('O-2')]);
    expect([again.status, again.json.fresh]).toEqual([200, 0]);
    expect(await inLedger('O-1')).toBe(1);
    expect(await inLedger('O-2')).toBe(1);
    expect((await fetch(`${rt.served.url}/health`)).status).toBe(200);
  }, 60_000);
});
