/**
 * Real ERP-shaped tables for the sql connector tests: a fresh PostgreSQL schema, a fresh
 * MariaDB database, or a temp SQLite file, each with a random name so parallel test files
 * never meet, dropped afterwards. PostgreSQL runs when TEST_DATABASE_URL is set; with
 * TALLY_REQUIRE_PG=1 a missing URL or a refused connection fails, never skips. MariaDB runs
 * when TEST_MARIADB_URL is set.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import type { Knex } from 'knex';

export type ErpEngine = {
  name: 'postgres' | 'mariadb' | 'sqlite';
  client: 'pg' | 'mysql2' | 'better-sqlite3';
  /** The URL the connector reads (through an env var). */
  url: string;
  schema?: string;
  /** A writable handle for creating and filling the tables. */
  admin: Knex;
  drop(): Promise<void>;
};

export type EngineFactory = { name: ErpEngine['name']; create(): Promise<ErpEngine> };

/** Creates the engine, fills it, and puts its URL in `env` where the connector reads it. */
export async function openErpEngine(
  factory: EngineFactory,
  env: string,
  fill: (e: ErpEngine) => Promise<void>,
): Promise<ErpEngine> {
  const engine = await factory.create();
  process.env[env] = engine.url;
  await fill(engine);
  return engine;
}

/** Undoes openErpEngine; safe when opening failed half-way. */
export async function closeErpEngine(engine: ErpEngine | undefined, env: string): Promise<void> {
  delete process.env[env];
  await engine?.drop();
}

const randomName = () => `tally_t_${randomBytes(5).toString('hex')}`;

export function erpEngines(kinds: ErpEngine['name'][]): EngineFactory[] {
  const out: EngineFactory[] = [];
  if (kinds.includes('sqlite')) out.push({ name: 'sqlite', create: sqlite });
  const pg = process.env.TEST_DATABASE_URL;
  if (kinds.includes('postgres') && (pg || process.env.TALLY_REQUIRE_PG === '1'))
    out.push({ name: 'postgres', create: () => postgres(pg) });
  const maria = process.env.TEST_MARIADB_URL;
  if (kinds.includes('mariadb') && maria)
    out.push({ name: 'mariadb', create: () => mariadb(maria) });
  return out;
}

async function sqlite(): Promise<ErpEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'tally-sql-'));
  const filename = join(dir, 'erp.db');
  const admin = knexFactory({
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
  });
  return {
    name: 'sqlite',
    client: 'better-sqlite3',
    url: filename,
    admin,
    async drop() {
      await admin.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgres(url: string | undefined): Promise<ErpEngine> {
  if (!url) throw new Error('TALLY_REQUIRE_PG=1 but TEST_DATABASE_URL is not set');
  const schema = randomName();
  const admin = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 2 } });
  await admin.raw('create schema ??', [schema]);
  return {
    name: 'postgres',
    client: 'pg',
    url,
    schema,
    admin,
    async drop() {
      await admin.raw('drop schema if exists ?? cascade', [schema]);
      await admin.destroy();
    },
  };
}

async function mariadb(url: string): Promise<ErpEngine> {
  const schema = randomName();
  const admin = knexFactory({ client: 'mysql2', connection: url, pool: { min: 0, max: 2 } });
  await admin.raw('create database ??', [schema]);
  return {
    name: 'mariadb',
    client: 'mysql2',
    url,
    schema,
    admin,
    async drop() {
      await admin.raw('drop database if exists ??', [schema]);
      await admin.destroy();
    },
  };
}

const schemaOf = (e: ErpEngine) =>
  e.schema ? e.admin.schema.withSchema(e.schema) : e.admin.schema;
export const tableOf = (e: ErpEngine, name: string) =>
  e.schema ? e.admin.withSchema(e.schema).table(name) : e.admin.table(name);

/** ERPNext's tabBin and tabStock Ledger Entry with the columns ERPNext documents. */
export async function createErpnextTables(e: ErpEngine): Promise<void> {
  await schemaOf(e).createTable('tabBin', (t) => {
    t.string('name', 140).primary();
    t.string('item_code', 140);
    t.string('warehouse', 140);
    for (const c of [
      'actual_qty',
      'reserved_qty',
      'ordered_qty',
      'indented_qty',
      'planned_qty',
      'projected_qty',
      'reserved_qty_for_production',
    ])
      t.decimal(c, 21, 9).defaultTo(0);
    t.string('stock_uom', 140);
  });
  await schemaOf(e).createTable('tabStock Ledger Entry', (t) => {
    t.string('name', 140).primary();
    t.string('item_code', 140);
    t.string('warehouse', 140);
    t.date('posting_date');
    t.time('posting_time');
    t.string('voucher_type', 140);
    t.string('voucher_no', 140);
    t.string('voucher_detail_no', 140);
    t.decimal('actual_qty', 21, 9);
    t.decimal('qty_after_transaction', 21, 9);
    t.decimal('incoming_rate', 21, 9);
    t.decimal('valuation_rate', 21, 9);
    t.decimal('stock_value_difference', 21, 9);
    t.string('stock_uom', 140);
    t.integer('is_cancelled').defaultTo(0);
    t.datetime('creation', { precision: 6, useTz: false });
    t.string('batch_no', 140);
    t.text('serial_no');
  });
}

/** Odoo's stock_location, product_product, stock_quant and stock_move (Odoo 17 columns). */
export async function createOdooTables(e: ErpEngine): Promise<void> {
  await schemaOf(e).createTable('stock_location', (t) => {
    t.integer('id').primary();
    t.string('name');
    t.string('complete_name');
    t.string('usage');
  });
  await schemaOf(e).createTable('product_product', (t) => {
    t.integer('id').primary();
    t.string('default_code');
  });
  await schemaOf(e).createTable('stock_quant', (t) => {
    t.integer('id').primary();
    for (const c of ['product_id', 'location_id', 'lot_id', 'package_id', 'owner_id']) t.integer(c);
    for (const c of [
      'quantity',
      'reserved_quantity',
      'inventory_quantity',
      'inventory_diff_quantity',
    ])
      t.decimal(c, 16, 4).defaultTo(0);
    t.datetime('in_date', { useTz: false });
  });
  await schemaOf(e).createTable('stock_move', (t) => {
    t.integer('id').primary();
    t.integer('product_id');
    t.decimal('product_uom_qty', 16, 4);
    t.decimal('quantity', 16, 4);
    t.integer('product_uom');
    t.integer('location_id');
    t.integer('location_dest_id');
    t.string('state');
    t.integer('picking_id');
    t.string('origin');
    t.boolean('is_inventory');
    t.datetime('date', { useTz: false });
  });
}
