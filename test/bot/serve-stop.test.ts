/**
 * A stop refuses new requests at once and lets a request in flight (a click being applied)
 * finish within the grace; one that outlives the grace is cut, so a stop stays bounded.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../engine/services/store/db.ts';
import { serve, type Served } from '../../server/serve.ts';
import { buildRuleset } from '../support/engine/ruleset.ts';
import { DEMO_RULES } from '../support/engine/demo-rules.ts';
import { ITEMS } from '../support/engine/scenario.ts';
import { testDatabases } from '../support/databases.ts';

/** A GET that resolves with the status, or with the socket error's code. */
function get(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    req.end();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(testDatabases())('serve stop on $name', (engine) => {
  let db: Db | undefined;
  let served: Served | undefined;

  afterEach(async () => {
    await served?.stop(0).catch(() => {});
    await engine.close();
    db = undefined;
    served = undefined;
  });

  async function start(slowMs: number) {
    db = await engine.open();
    served = await serve({
      db,
      ruleset: buildRuleset({ items: ITEMS, rules: DEMO_RULES }),
      port: 0,
      slack: null,
      digestCron: '0 8 * * *',
      reminderHours: 24,
      log: () => {},
      routes: (req, res) => {
        if (req.url !== '/slow') return false;
        setTimeout(() => res.writeHead(200).end('done'), slowMs);
        return true;
      },
    });
    return served;
  }

  it('refuses new requests at once and finishes the one in flight', async () => {
    const s = await start(400);
    const inFlight = get(`${s.url}/slow`);
    await sleep(50);
    const stopped = s.stop(5000);
    await sleep(20);
    expect(await get(`${s.url}/health`)).toBe('ECONNREFUSED');
    expect(await inFlight).toBe(200);
    await stopped;
  });

  it('cuts a request that outlives the grace', async () => {
    const s = await start(10_000);
    const inFlight = get(`${s.url}/slow`);
    await sleep(50);
    const t0 = Date.now();
    await s.stop(300);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(await inFlight).toBe('ECONNRESET');
  });
});
