import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../demo/index.ts';

const root = mkdtempSync(join(tmpdir(), 'tally-gen-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const DATA_FILES = [
  'erp/items.csv',
  'erp/stock.csv',
  'erp/stock_ledger.csv',
  'wms-east/opening.csv',
  'wms-east/inventory.csv',
  'wms-east/transactions.csv',
  '3pl-west/opening.tsv',
  '3pl-west/inventory.tsv',
  '3pl-west/activity.jsonl',
  'shop/inventory_levels.jsonl',
  'shop/fulfillments.jsonl',
  'pos/opening.csv',
  'pos/store_stock.csv',
  'pos/transactions.csv',
];

function digest(dir: string): string {
  const h = createHash('sha256');
  for (const f of [...DATA_FILES, 'ground-truth.json']) h.update(readFileSync(join(dir, f)));
  return h.digest('hex');
}

const lines = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8').trimEnd().split('\n');

describe('demo generator', () => {
  it('gives the same files for the same seed and different files for another', async () => {
    const a = await generateDemo({ dir: join(root, 'a'), seed: 7 });
    const b = await generateDemo({ dir: join(root, 'b'), seed: 7 });
    const c = await generateDemo({ dir: join(root, 'c'), seed: 8 });
    expect(digest(a.dir)).toBe(digest(b.dir));
    expect(digest(a.dir)).not.toBe(digest(c.dir));
  });

  it('writes every file in the deployment spec with its header, and the rules next to them', async () => {
    const demo = await generateDemo({ dir: join(root, 'shape') });
    const headers: Record<string, string> = {
      'erp/items.csv':
        'item_code,item_name,item_group,category,stock_uom,valuation_rate,shopify_inventory_item_id',
      'erp/stock.csv': 'item_code,warehouse,stock_status,actual_qty,stock_uom,as_of',
      'erp/stock_ledger.csv':
        'name,voucher_type,voucher_no,item_code,warehouse,actual_qty,stock_uom,posting_date,posting_time,from_status,to_status,counterpart_warehouse,remarks',
      'wms-east/inventory.csv': 'Item,Bin,Status,Qty,UOM,SnapshotTime',
      'wms-east/transactions.csv':
        'TxnId,TxnType,Item,Bin,FromStatus,ToStatus,Qty,UOM,TxnTime,RecordedTime,Reference,ToLocation',
      '3pl-west/inventory.tsv':
        'sku\twarehouse\tavailable\tallocated\tdamaged\thold\tinbound\tuom\tas_of',
      'pos/store_stock.csv': 'store,sku,status,qty,counted_at',
      'pos/transactions.csv': 'txn_id,store,sku,kind,qty,at,ref',
    };
    for (const [file, header] of Object.entries(headers)) {
      expect(lines(demo.dir, file)[0], file).toBe(header);
    }
    for (const f of DATA_FILES) expect(lines(demo.dir, f).length, f).toBeGreaterThan(5);
    expect(readdirSync(demo.rulesDir)).toContain('sources.yaml');
    const level = JSON.parse(lines(demo.dir, 'shop/inventory_levels.jsonl')[0]!);
    expect(level.inventory_item_id).toMatch(/^gid:\/\/shopify\/InventoryItem\/\d+$/);
    expect(lines(demo.dir, 'wms-east/inventory.csv')[1]).toMatch(/,WH-EAST-[AB]-\d\d,/);
  });

  it('never reports negative stock in a snapshot', async () => {
    for (const seed of [1, 2, 3]) {
      const demo = await generateDemo({ dir: join(root, `neg-${seed}`), seed });
      for (const row of lines(demo.dir, 'wms-east/inventory.csv').slice(1)) {
        expect(Number(row.split(',')[3]), row).toBeGreaterThanOrEqual(0);
      }
      for (const row of lines(demo.dir, 'pos/store_stock.csv').slice(1)) {
        expect(Number(row.split(',')[3]), row).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('records every injected cause in the ground truth, each on its own SKU', async () => {
    const demo = await generateDemo({ dir: join(root, 'truth'), seed: 3 });
    const injected = demo.truth.entries.filter((e) => e.cause);
    const causes = new Set(injected.map((e) => e.cause));
    for (const cause of [
      'pending-posting',
      'late-event',
      'late-out-of-order',
      'in-transit',
      'status-mismatch',
      'uom-times-12',
      'uom-div-12',
      'uom-rounding',
      'returns-oversell',
      'manual-adjustment-erp',
      'missing-posting',
      'duplicate-event',
      'phantom-stock',
      'unrecorded-shrinkage',
      'bin-roll-up',
    ]) {
      expect(causes, cause).toContain(cause);
    }
    const skusByCause = new Map<string, Set<string>>();
    for (const e of injected) {
      const set = skusByCause.get(e.sku) ?? new Set<string>();
      set.add(e.cause!);
      skusByCause.set(e.sku, set);
    }
    for (const [sku, set] of skusByCause) expect(set.size, sku).toBe(1);
    const plain = demo.truth.entries.filter((e) => !e.cause);
    expect(plain.length).toBeGreaterThan(500);
    expect(plain.every((e) => e.expected.type === 'match')).toBe(true);
  });

  it('writes a late store sale after later sales (out of order)', async () => {
    const demo = await generateDemo({ dir: join(root, 'order') });
    const late = demo.truth.entries.find((e) => e.cause === 'late-event')!;
    const rows = lines(demo.dir, 'pos/transactions.csv').slice(1);
    const last = rows[rows.length - 1]!.split(',');
    expect(last[2]).toBe(late.sku);
    const times = rows.map((r) => r.split(',')[5]!);
    expect(times.at(-1)! < times.at(-2)!).toBe(true);
  });
});
