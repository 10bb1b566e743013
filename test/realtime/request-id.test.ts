/**
 * Every request to the event endpoint carries a request id (the sender's X-Request-Id, or a new
 * one) in its answer and in the JSON log lines it causes, with the id of the run it started, so
 * one delivery can be followed from the sender's log to the run and its exceptions.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../engine/services/store/db.ts';
import { signGeneric } from '../../server/generic.ts';
import { createLog } from '../../server/log.ts';
import { testDatabases } from '../support/databases.ts';
import { EVENTS_SECRET, startRealtime, shipment } from './support.ts';

const event = (id: string) => shipment(id, 2, 25);

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const raw = JSON.stringify(body);
  const ts = Math.floor(Date.now() / 1000);
  return fetch(`${url}/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-tally-timestamp': String(ts),
      'x-tally-signature': signGeneric(EVENTS_SECRET, ts, raw),
      ...headers,
    },
    body: raw,
  });
}

describe.each(testDatabases())('request ids on $name', (engine) => {
  let db: Db;
  let rt: Awaited<ReturnType<typeof startRealtime>>;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    db = await engine.open();
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        done();
      },
    });
    const log = createLog({ TALLY_LOG_FORMAT: 'json' }, stream);
    rt = await startRealtime(db, { slackChannels: false, log });
  });
  afterAll(async () => {
    await rt.stop();
    await engine.close();
  });

  const until = async <T>(find: () => T | undefined): Promise<T> => {
    for (let i = 0; i < 100; i++) {
      const found = find();
      if (found) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('no such log line');
  };

  it("echoes the sender's id and logs it with the run it started", async () => {
    const res = await post(rt.served.url, [event('R-1')], { 'x-request-id': 'wms-batch-0042' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('wms-batch-0042');
    const { runId } = (await res.json()) as { runId: string };
    expect(runId).toBeTruthy();
    const line = await until(() => lines.find((l) => l.requestId === 'wms-batch-0042'));
    expect(line).toMatchObject({ level: 30, runId, msg: expect.stringMatching(/1 new/) });
  });

  it('makes up an id when none (or a malformed one) is sent, refusals included', async () => {
    const res = await post(rt.served.url, [event('R-2')], {
      'x-request-id': 'bad id with spaces',
      'x-tally-signature': 'v0=forged',
    });
    expect(res.status).toBe(401);
    const id = res.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const line = await until(() => lines.find((l) => l.requestId === id));
    expect(String(line.msg)).toMatch(/refused 401 EVENT_SIGNATURE/);
  });
});
