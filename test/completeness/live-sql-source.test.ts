/**
 * A SQL database as a live source, failing the ways databases fail: the port refuses, the
 * server accepts and never answers, a table is missing, a query runs past its time. Each time
 * the run reconciles the rest, names the ERP first as SOURCE_FAILED with the database's reason
 * (never the URL or its password), and compares none of the ERP's keys (never a zero).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileFolder } from '../../server/pipeline.ts';
import type { RunResult } from '../../engine/core/recon/types.ts';
import {
  closeErpEngine,
  createErpnextTables,
  erpEngines,
  openErpEngine,
  type ErpEngine,
} from '../connectors/sql-tables.ts';
import { AS_OF, WMS_OPENING, WMS_SOURCE, sources, world } from './world.ts';

const ENV = `TALLY_TEST_LIVE_SQL_${process.pid}`;
const PASSWORD = 's3cret-pw-9f2';

function erpSource(client: string, extra = ''): string {
  return `
  - id: erp
    connector: sql
    role: erp
    owner: finance-ops
    timezone: UTC
    cutoff: '23:00'
    group: nightly
    systemOfRecord: [item_master, financial_postings]
    locations: [WH-EAST]
    settings:
      client: ${client}
      connectionEnv: ${ENV}
      connectTimeoutSeconds: 1
${extra}`;
}

async function reconcileWith(erp: string): Promise<RunResult> {
  const w = world(sources(erp, WMS_SOURCE), { 'wms-east/opening.csv': WMS_OPENING });
  const maps = join(w.rules, 'status-maps.yaml');
  writeFileSync(
    maps,
    readFileSync(maps, 'utf8').replace(
      /^ {2}erp: .*$/m,
      '  erp: { actual_qty: sellable, reserved_qty: committed, ordered_qty: ignore, indented_qty: ignore, planned_qty: ignore, projected_qty: ignore, reserved_qty_for_production: ignore }',
    ),
  );
  return (await reconcileFolder({ rulesDir: w.rules, dataDir: w.data, asOf: AS_OF })).run;
}

/** The common outcome of a failed ERP: first and loud, its keys not compared, the WMS read. */
function expectErpFailed(run: RunResult, reason: RegExp): void {
  expect(run.runFindings[0]).toMatchObject({ code: 'SOURCE_FAILED', source: 'erp' });
  expect(`${run.runFindings[0]!.file} ${run.runFindings[0]!.message}`).toMatch(reason);
  expect(JSON.stringify(run)).not.toContain(PASSWORD);
  expect(run.results.filter((k) => k.source === 'erp')).toEqual([]);
  expect(run.notCompared).toContainEqual(
    expect.objectContaining({ source: 'erp', location: 'WH-EAST', reason: 'source_failed' }),
  );
  const wms = run.inputs.find((f) => f.source === 'wms-east');
  expect(wms).toMatchObject({ read: 3, accepted: 3 });
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('a SQL source that cannot be reached', () => {
  let silent: Server;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    // accepts the connection and never says a word (a firewall half-open, a hung server)
    silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => silent.close(() => r()));
    delete process.env[ENV];
  });

  it('a refused connection: SOURCE_FAILED naming the refusal, the password never shown', async () => {
    process.env[ENV] = `postgres://tally:${PASSWORD}@127.0.0.1:${await closedPort()}/erp`;
    const run = await reconcileWith(erpSource('pg', '      querySet: erpnext\n'));
    expectErpFailed(run, /cannot connect to the database: .*ECONNREFUSED/);
  });

  it('a server that never answers: SOURCE_FAILED after connectTimeoutSeconds, not a hung run', async () => {
    const { port } = silent.address() as { port: number };
    process.env[ENV] = `postgres://tally:${PASSWORD}@127.0.0.1:${port}/erp`;
    const started = Date.now();
    const run = await reconcileWith(erpSource('pg', '      querySet: erpnext\n'));
    expect(Date.now() - started).toBeLessThan(15_000);
    expectErpFailed(run, /no answer within 1 s \(settings\.connectTimeoutSeconds\)/);
  });
});

describe('a SQL source whose queries fail', () => {
  let engine: ErpEngine;
  afterAll(() => closeErpEngine(engine, ENV));

  it('a missing table (SQLite file without the ERP tables): SOURCE_FAILED naming it', async () => {
    const [sqlite] = erpEngines(['sqlite']);
    engine = await openErpEngine(sqlite!, ENV, async (e) => {
      await e.admin.schema.createTable('unrelated', (t) => t.string('x'));
    });
    const run = await reconcileWith(erpSource('better-sqlite3', '      querySet: erpnext\n'));
    expectErpFailed(run, /query failed: .*no such table: tabBin/);
  });
});

for (const factory of erpEngines(['postgres'])) {
  describe(`a query that outlives queryTimeoutSeconds on ${factory.name}`, () => {
    let engine: ErpEngine;
    beforeAll(async () => {
      engine = await openErpEngine(factory, ENV, createErpnextTables);
    });
    afterAll(() => closeErpEngine(engine, ENV));

    it('SOURCE_FAILED within the timeout, the query cancelled on the server', async () => {
      const slow = `select 'SKU-1' as sku, 'East DC - TC' as location, 'actual_qty' as status, 1 as quantity, 'Nos' as unit, now()::text as as_of from pg_sleep(30)`;
      const erp = erpSource(
        'pg',
        `      querySet: custom\n      queryTimeoutSeconds: 1\n      queries:\n        positions: "${slow}"\n`,
      );
      const started = Date.now();
      const run = await reconcileWith(erp);
      expect(Date.now() - started).toBeLessThan(15_000);
      expectErpFailed(
        run,
        /custom query got no answer within 1 s \(settings\.queryTimeoutSeconds\)/,
      );
      const sleeping = await engine.admin.raw(
        "select count(*)::int as n from pg_stat_activity where query like '%pg_sleep(30)%' and state = 'active' and pid <> pg_backend_pid()",
      );
      expect((sleeping as { rows: { n: number }[] }).rows[0]!.n).toBe(0);
    });
  });
}
