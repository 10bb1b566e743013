/**
 * The baseline: DuckDB doing the plain diff of the same snapshot files (ERP, WMS, shop) with
 * one full outer join per source pair on (sku, location, bucket). Only the mapping a plain SQL
 * diff needs: warehouse and status words, bins rolled up, the shop's alias through the items.
 * Loaded dynamically: the CLI works without the dev dependency installed.
 */
import { join } from 'node:path';

const q = (path: string) => `'${path.replace(/'/g, "''")}'`;

export function diffSql(dir: string): string {
  const csv = (f: string) => `read_csv(${q(join(dir, f))}, header = true, all_varchar = false)`;
  return `
WITH erp AS (
  SELECT item_code AS sku,
    CASE warehouse WHEN 'East DC - TC' THEN 'WH-EAST' WHEN 'West 3PL - TC' THEN 'WH-WEST'
      WHEN 'Store NYC - TC' THEN 'STORE-NYC' ELSE 'STORE-SF' END AS loc,
    CASE stock_status WHEN 'Unrestricted' THEN 'sellable' WHEN 'Reserved' THEN 'committed'
      WHEN 'Blocked' THEN 'non_sellable' ELSE 'in_transit' END AS bucket,
    SUM(actual_qty * CASE stock_uom WHEN 'Case' THEN 12 ELSE 1 END) AS q
  FROM ${csv('erp/stock.csv')} GROUP BY ALL),
wms AS (
  SELECT Item AS sku, 'WH-EAST' AS loc,
    CASE Status WHEN 'AVAILABLE' THEN 'sellable' WHEN 'ALLOCATED' THEN 'committed'
      WHEN 'INBOUND' THEN 'in_transit' ELSE 'non_sellable' END AS bucket,
    SUM(Qty * CASE UOM WHEN 'CS' THEN 12 ELSE 1 END) AS q
  FROM ${csv('wms-east/inventory.csv')} GROUP BY ALL),
items AS (SELECT item_code AS sku, shopify_inventory_item_id AS alias FROM ${csv('erp/items.csv')}),
shop AS (
  SELECT i.sku,
    CASE s.location_id WHEN 'gid://shopify/Location/1' THEN 'WH-EAST' ELSE 'WH-WEST' END AS loc,
    CASE s.name WHEN 'available' THEN 'sellable' WHEN 'committed' THEN 'committed'
      WHEN 'incoming' THEN 'in_transit' ELSE 'non_sellable' END AS bucket,
    SUM(s.quantity) AS q
  FROM read_json(${q(join(dir, 'shop/inventory_levels.jsonl'))}, format = 'newline_delimited') s
  JOIN items i ON i.alias = s.inventory_item_id
  WHERE s.name <> 'on_hand' GROUP BY ALL),
erp_wms AS (
  SELECT coalesce(e.sku, w.sku) AS sku, coalesce(e.loc, w.loc) AS loc,
    coalesce(e.bucket, w.bucket) AS bucket, e.q AS erp_q, w.q AS wms_q
  FROM erp e FULL OUTER JOIN wms w ON e.sku = w.sku AND e.loc = w.loc AND e.bucket = w.bucket
  WHERE coalesce(e.loc, w.loc) = 'WH-EAST')
SELECT count(*) AS differing
FROM erp_wms x FULL OUTER JOIN (SELECT * FROM shop WHERE loc = 'WH-EAST') s
  ON x.sku = s.sku AND x.loc = s.loc AND x.bucket = s.bucket
WHERE coalesce(x.erp_q, 0) <> coalesce(x.wms_q, 0) OR coalesce(s.q, 0) <> coalesce(x.wms_q, 0)`;
}

export async function duckDbDiff(dir: string, threads = 2): Promise<{ differing: number }> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(diffSql(dir));
    return { differing: Number(reader.getRows()[0]?.[0] ?? 0) };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
