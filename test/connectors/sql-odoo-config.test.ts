import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { sqlConnector } from '../../connectors/sql/index.ts';
import { ExternalError, InputError } from '../../engine/core/errors.ts';
import type { RawPosition } from '../../engine/core/model/types.ts';
import type { SourceDef } from '../../engine/core/rules/types.ts';
import {
  closeErpEngine,
  createOdooTables,
  erpEngines,
  openErpEngine,
  tableOf,
} from './sql-tables.ts';
import type { ErpEngine } from './sql-tables.ts';
import { collect } from '../support/collect-sink.ts';

function source(settings: Record<string, unknown>): SourceDef {
  return {
    id: 'odoo',
    connector: 'sql',
    role: 'erp',
    owner: 'ops',
    timezone: 'Europe/Brussels',
    cutoffMinutes: 1200,
    expectedLagMinutes: 30,
    systemOfRecord: [],
    locations: [],
    group: 'default',
    files: [],
    file: 'rules/sources.yaml',
    line: 12,
    settings,
  };
}

async function fill(e: ErpEngine) {
  await createOdooTables(e);
  await tableOf(e, 'stock_location').insert([
    { id: 1, name: 'Vendors', complete_name: 'Partners/Vendors', usage: 'supplier' },
    { id: 2, name: 'Customers', complete_name: 'Partners/Customers', usage: 'customer' },
    {
      id: 3,
      name: 'Inventory adjustment',
      complete_name: 'Virtual Locations/Inventory adjustment',
      usage: 'inventory',
    },
    { id: 8, name: 'Stock', complete_name: 'WH/Stock', usage: 'internal' },
    { id: 9, name: 'Shelf 1', complete_name: 'WH/Stock/Shelf 1', usage: 'internal' },
  ]);
  await tableOf(e, 'product_product').insert([
    { id: 41, default_code: 'DESK-01' },
    { id: 42, default_code: null },
  ]);
  await tableOf(e, 'stock_quant').insert([
    { id: 1, product_id: 41, location_id: 8, lot_id: 1, quantity: 30, reserved_quantity: 4 },
    { id: 2, product_id: 41, location_id: 8, lot_id: 2, quantity: 12, reserved_quantity: 0 },
    { id: 3, product_id: 42, location_id: 9, quantity: 7, reserved_quantity: 7 },
    // quants in virtual locations go negative by design; they are not stock
    { id: 4, product_id: 41, location_id: 2, quantity: -20, reserved_quantity: 0 },
  ]);
  const move = (
    id: number,
    src: number,
    dst: number,
    qty: number,
    state: string,
    date: string,
    extra = {},
  ) => ({
    id,
    product_id: 41,
    product_uom_qty: qty,
    quantity: qty,
    product_uom: 1,
    location_id: src,
    location_dest_id: dst,
    state,
    origin: `P0000${id}`,
    is_inventory: false,
    date,
    ...extra,
  });
  await tableOf(e, 'stock_move').insert([
    move(1, 1, 8, 50, 'done', '2026-11-20 08:00:00'),
    move(2, 8, 2, 20, 'done', '2026-11-20 13:00:00'),
    move(3, 8, 9, 5, 'done', '2026-11-21 09:00:00'),
    move(4, 3, 8, 2, 'done', '2026-11-21 10:00:00', { is_inventory: true }),
    move(5, 8, 2, 9, 'assigned', '2026-11-21 11:00:00'),
    move(6, 8, 2, 3, 'cancel', '2026-11-21 11:00:00'),
  ]);
}

for (const factory of erpEngines(['postgres', 'sqlite'])) {
  describe(`sql connector, Odoo query set on ${factory.name}`, () => {
    let engine: ErpEngine;
    const env = `TALLY_TEST_ODOO_${factory.name.toUpperCase()}_${process.pid}`;
    const settings = () => ({
      client: engine.client,
      connectionEnv: env,
      querySet: 'odoo',
      ...(engine.schema ? { schema: engine.schema } : {}),
    });
    beforeAll(async () => {
      engine = await openErpEngine(factory, env, fill);
    });
    afterAll(() => closeErpEngine(engine, env));

    it('sums quants per product and internal location into quantity, reserved and available', async () => {
      const { sink, ...got } = collect();
      await sqlConnector.read({ source: source(settings()), dataDir: '.' }, sink);
      const key = (p: RawPosition) => `${p.sku}@${p.location}:${p.status}`;
      expect(Object.fromEntries(got.positions.map((p) => [key(p), p.quantity]))).toEqual({
        'DESK-01@WH/Stock:quantity': 42,
        'DESK-01@WH/Stock:reserved_quantity': 4,
        'DESK-01@WH/Stock:available_quantity': 38,
        '42@WH/Stock/Shelf 1:quantity': 7,
        '42@WH/Stock/Shelf 1:reserved_quantity': 7,
        '42@WH/Stock/Shelf 1:available_quantity': 0,
      });
    });

    it('turns done moves into events by the usage of their locations', async () => {
      const { sink, ...got } = collect();
      await sqlConnector.read({ source: source(settings()), dataDir: '.' }, sink);
      expect(got.events.map((e) => [e.sourceEventId, e.type, e.location, e.quantity])).toEqual([
        ['1', 'receipt', 'WH/Stock', 50],
        ['2', 'shipment', 'WH/Stock', 20],
        ['3:out', 'transfer_out', 'WH/Stock', 5],
        ['3:in', 'transfer_in', 'WH/Stock/Shelf 1', 5],
        ['4', 'adjustment', 'WH/Stock', 2],
      ]);
      expect(got.events[0]).toMatchObject({
        toStatus: 'available_quantity',
        occurredAt: '2026-11-20T08:00:00.000Z',
        reference: 'P00001',
      });
      expect(got.events[2]).toMatchObject({
        counterpartLocation: 'WH/Stock/Shelf 1',
        fromStatus: 'available_quantity',
      });
      expect(got.events[4]).toMatchObject({ reasonCode: 'PHYSICAL_COUNT' });
    });

    it('continues from the (date, id) cursor', async () => {
      const first = collect();
      const r1 = await sqlConnector.read({ source: source(settings()), dataDir: '.' }, first.sink);
      await tableOf(engine, 'stock_move')
        .where({ id: 5 })
        .update({ state: 'done', date: '2026-11-22 07:00:00' });
      const second = collect();
      await sqlConnector.read(
        { source: source(settings()), dataDir: '.', cursor: r1.cursor },
        second.sink,
      );
      expect(second.events.map((e) => e.sourceEventId)).toEqual(['5']);
    });
  });
}

describe('sql connector configuration and connection errors', () => {
  const base = { client: 'pg', connectionEnv: 'TALLY_TEST_NO_SUCH_VAR', querySet: 'erpnext' };

  it('names every settings problem at once', () => {
    expect(sqlConnector.checkSettings(source({ client: 'oracle', querySet: 'sap' }))).toEqual([
      expect.stringMatching(/settings.client: expected one of pg, mysql2, better-sqlite3/),
      expect.stringMatching(/settings.connectionEnv/),
      expect.stringMatching(/settings.querySet: unknown query set "sap"/),
    ]);
    expect(sqlConnector.checkSettings(source({ ...base, querySet: 'custom' }))).toEqual([
      expect.stringMatching(/querySet custom needs queries/),
    ]);
    expect(sqlConnector.checkSettings(source(base))).toEqual([]);
  });

  it('refuses an unknown query set with a coded input error', async () => {
    const err = await sqlConnector
      .read({ source: source({ ...base, querySet: 'sap' }), dataDir: '.' }, collect().sink)
      .catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err).toMatchObject({
      code: 'SQL_UNKNOWN_QUERY_SET',
      where: { file: 'rules/sources.yaml', line: 12 },
    });
  });

  it('names the missing environment variable', async () => {
    delete process.env.TALLY_TEST_NO_SUCH_VAR;
    const err = await sqlConnector
      .read({ source: source(base), dataDir: '.' }, collect().sink)
      .catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.code).toBe('SQL_MISSING_ENV');
    expect(err.message).toMatch(/TALLY_TEST_NO_SUCH_VAR/);
  });

  it('reports a refused connection as an external, retryable failure', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    for (const [client, scheme] of [
      ['pg', 'postgres'],
      ['mysql2', 'mysql'],
    ] as const) {
      process.env.TALLY_TEST_REFUSED = `${scheme}://u@127.0.0.1:${port}/erp`;
      const err = await sqlConnector
        .read(
          {
            source: source({ ...base, client, connectionEnv: 'TALLY_TEST_REFUSED' }),
            dataDir: '.',
          },
          collect().sink,
        )
        .catch((e) => e);
      expect(err, client).toBeInstanceOf(ExternalError);
      expect(err, client).toMatchObject({
        code: 'SQL_CONNECTION_FAILED',
        system: 'sql',
        retryable: true,
      });
    }
    delete process.env.TALLY_TEST_REFUSED;
  });

  it('reports a missing SQLite file as a connection failure, never creating it', async () => {
    process.env.TALLY_TEST_SQLITE = '/nonexistent/dir/erp.db';
    const err = await sqlConnector
      .read(
        {
          source: source({ ...base, client: 'better-sqlite3', connectionEnv: 'TALLY_TEST_SQLITE' }),
          dataDir: '.',
        },
        collect().sink,
      )
      .catch((e) => e);
    expect(err).toBeInstanceOf(ExternalError);
    expect(err.code).toBe('SQL_CONNECTION_FAILED');
    delete process.env.TALLY_TEST_SQLITE;
  });
});
