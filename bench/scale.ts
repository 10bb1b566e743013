/**
 * The benchmark's data at scale, in the bundled deployment's file shapes: one warehouse
 * (WH-EAST, bin-level WMS) seen by three sources (wms-east, erp, shop), `keys` SKU × location ×
 * bucket keys (4 buckets per SKU), 8 events per SKU (2M at 1M keys) and about `diffRate` of the
 * keys differing. The other sources' files exist with headers only.
 */
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLED_RULES_DIR, DEFAULT_AS_OF } from '../demo/index.ts';
import { openLines, type LineFile } from '../demo/files.ts';
import { createRng } from '../demo/prng.ts';
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  isoSeconds,
  localMinute,
  utcDateAndTime,
} from '../demo/time.ts';
import { shopAlias } from '../demo/world.ts';

export type ScaleOptions = { dir: string; seed?: number; keys?: number; diffRate?: number };
export type ScaleResult = {
  dir: string;
  rulesDir: string;
  asOf: string;
  keys: number;
  snapshotRows: number;
  events: number;
  differingKeys: number;
  generateMs: number;
  cached: boolean;
};

const NY = 'America/New_York';
const BUCKET_WORDS = {
  wms: ['AVAILABLE', 'ALLOCATED', 'DAMAGED', 'INBOUND'],
  erp: ['Unrestricted', 'Reserved', 'Blocked', 'In Transit'],
  shop: ['available', 'committed', 'damaged', 'incoming'],
} as const;

/** Generates once per (seed, keys, diffRate); a folder with a matching marker is reused. */
export async function generateScale(options: ScaleOptions): Promise<ScaleResult> {
  const params = {
    seed: options.seed ?? 1,
    keys: options.keys ?? 1_000_000,
    diffRate: options.diffRate ?? 0.03,
  };
  const marker = join(options.dir, '.complete.json');
  if (existsSync(marker)) {
    const done = JSON.parse(readFileSync(marker, 'utf8')) as ScaleResult & {
      params: typeof params;
    };
    if (JSON.stringify(done.params) === JSON.stringify(params)) {
      // the data is kept, the rules are the bundled ones as they are now
      copyRules(done.rulesDir);
      return { ...done, cached: true };
    }
  }
  rmSync(options.dir, { recursive: true, force: true });
  const started = performance.now();
  const counts = await writeAll(options.dir, params);
  const rulesDir = join(options.dir, 'rules');
  copyRules(rulesDir);
  const result: ScaleResult = {
    dir: options.dir,
    rulesDir,
    asOf: DEFAULT_AS_OF,
    keys: counts.skus * 4,
    snapshotRows: counts.snapshotRows,
    events: counts.events,
    differingKeys: counts.differing,
    generateMs: Math.round(performance.now() - started),
    cached: false,
  };
  writeFileSync(marker, JSON.stringify({ ...result, params }));
  return result;
}

/** The bundled rules into the data folder (the generated files stay; the rules may have moved). */
function copyRules(rulesDir: string): void {
  rmSync(rulesDir, { recursive: true, force: true });
  cpSync(BUNDLED_RULES_DIR, rulesDir, { recursive: true, filter: (src) => !src.endsWith('.ts') });
}

type Files = Record<
  'items' | 'erpStock' | 'erpLedger' | 'wmsOpen' | 'wmsInv' | 'wmsTx' | 'shopLevels' | 'shopFul',
  LineFile
>;

function openAll(dir: string): Files {
  return {
    items: openLines(
      dir,
      'erp/items.csv',
      'item_code,item_name,item_group,category,stock_uom,valuation_rate,shopify_inventory_item_id',
    ),
    erpStock: openLines(
      dir,
      'erp/stock.csv',
      'item_code,warehouse,stock_status,actual_qty,stock_uom,as_of',
    ),
    erpLedger: openLines(
      dir,
      'erp/stock_ledger.csv',
      'name,voucher_type,voucher_no,item_code,warehouse,actual_qty,stock_uom,posting_date,posting_time,from_status,to_status,counterpart_warehouse,remarks',
    ),
    wmsOpen: openLines(dir, 'wms-east/opening.csv', 'Item,Bin,Status,Qty,UOM,SnapshotTime'),
    wmsInv: openLines(dir, 'wms-east/inventory.csv', 'Item,Bin,Status,Qty,UOM,SnapshotTime'),
    wmsTx: openLines(
      dir,
      'wms-east/transactions.csv',
      'TxnId,TxnType,Item,Bin,FromStatus,ToStatus,Qty,UOM,TxnTime,RecordedTime,Reference,ToLocation',
    ),
    shopLevels: openLines(dir, 'shop/inventory_levels.jsonl'),
    shopFul: openLines(dir, 'shop/fulfillments.jsonl'),
  };
}

async function writeEmptySources(dir: string): Promise<void> {
  const empty: [string, string | undefined][] = [
    [
      '3pl-west/opening.tsv',
      'sku\twarehouse\tavailable\tallocated\tdamaged\thold\tinbound\tuom\tas_of',
    ],
    [
      '3pl-west/inventory.tsv',
      'sku\twarehouse\tavailable\tallocated\tdamaged\thold\tinbound\tuom\tas_of',
    ],
    ['3pl-west/activity.jsonl', undefined],
    ['pos/opening.csv', 'store,sku,status,qty,counted_at'],
    ['pos/store_stock.csv', 'store,sku,status,qty,counted_at'],
    ['pos/transactions.csv', 'txn_id,store,sku,kind,qty,at,ref'],
  ];
  for (const [path, header] of empty) await openLines(dir, path, header).close();
}

/** Precomputed time strings: formatting a date per row would dominate the generation time. */
function timeSlots(asOfMs: number) {
  const slots = (day: number, hour: number) =>
    Array.from({ length: 60 }, (_, m) => asOfMs - day * DAY_MS + hour * HOUR_MS + m * MINUTE_MS);
  const fmt = (ms: number[]) => ({
    ny: ms.map((t) => localMinute(t, NY)),
    iso: ms.map((t) => isoSeconds(t)),
    erp: ms.map((t) => utcDateAndTime(t + 30 * MINUTE_MS)),
  });
  return {
    receipt: fmt(slots(6, 0)),
    putaway: fmt(slots(6, 2)),
    reserve: fmt(slots(5, 0)),
    ship: fmt(slots(4, 0)),
    damage: fmt(slots(3, 0)),
  };
}

async function writeAll(dir: string, p: { seed: number; keys: number; diffRate: number }) {
  const rng = createRng(p.seed);
  const asOfMs = Date.parse(DEFAULT_AS_OF);
  const f = openAll(dir);
  await writeEmptySources(dir);
  const slots = timeSlots(asOfMs);
  const openNy = localMinute(asOfMs - 7 * DAY_MS, NY);
  const asOfNy = localMinute(asOfMs, NY);
  const asOfIso = isoSeconds(asOfMs);
  const skus = Math.ceil(p.keys / 4);
  const chance = Math.min(1, p.diffRate * 4);
  let differing = 0;
  for (let i = 0; i < skus; i++) {
    const sku = `SKU-${String(i + 1).padStart(6, '0')}`;
    const alias = shopAlias(sku);
    const bin = `WH-EAST-${i % 2 ? 'B' : 'A'}-${String(1 + (i % 50)).padStart(2, '0')}`;
    const s = i % 60;
    const opening = rng.int(50, 400);
    const [received, inbound, reserved, shipped, damaged] = [
      rng.int(20, 120),
      rng.int(1, 10),
      rng.int(5, 20),
      rng.int(1, 4),
      rng.int(1, 3),
    ];
    f.items.line(
      `${sku},Item ${i + 1},${['apparel', 'beverage', 'electronics'][i % 3]},General,Nos,${(1 + (i % 97)).toFixed(2)},${alias}`,
    );
    f.wmsOpen.line(`${sku},${bin},AVAILABLE,${opening},EA,${openNy}`);
    const tx = (
      n: number,
      type: string,
      from: string,
      to: string,
      qty: number,
      t: { ny: string[] },
      ref: string,
    ) =>
      f.wmsTx.line(
        `W${i}-${n},${type},${sku},${bin},${from},${to},${qty},EA,${t.ny[s]},${t.ny[s]},${ref},`,
      );
    const po = `PO-${i}`;
    const so = `SO-W-${i}`;
    tx(1, 'RECEIVE', '', 'INBOUND', received, slots.receipt, po);
    tx(2, 'PUTAWAY', 'INBOUND', 'AVAILABLE', received - inbound, slots.putaway, po);
    tx(3, 'ALLOCATE', 'AVAILABLE', 'ALLOCATED', reserved, slots.reserve, so);
    tx(4, 'SHIP', 'ALLOCATED', '', shipped, slots.ship, so);
    tx(5, 'STATUS', 'AVAILABLE', 'DAMAGED', damaged, slots.damage, `QC-${i}`);
    const truth = [
      opening + received - inbound - reserved - damaged,
      reserved - shipped,
      damaged,
      inbound,
    ];
    const erp = [...truth];
    const wms = [...truth];
    const shop = [...truth];
    const kind = rng.next() < chance ? rng.int(0, 3) : -1;
    if (kind >= 0) differing++;
    if (kind === 0) erp[0]! += rng.int(1, 9);
    if (kind === 1) wms[0]! -= rng.int(1, 5);
    if (kind === 2) shop[0]! += rng.int(1, 5);
    if (kind === 3) erp[1]! += shipped; // the ERP never posted the shipment
    const [rd, rt] = slots.receipt.erp[s]!;
    f.erpLedger.line(
      `E${i}-1,Purchase Receipt,${po},${sku},East DC - TC,${received},Nos,${rd},${rt},,In Transit,,`,
    );
    if (kind !== 3) {
      const [sd, st] = slots.ship.erp[s]!;
      f.erpLedger.line(
        `E${i}-2,Delivery Note,${so},${sku},East DC - TC,${shipped},Nos,${sd},${st},Reserved,,,`,
      );
    }
    f.shopFul.line(
      `{"id":"gid://shopify/Fulfillment/${i}","order":"${so}","inventory_item_id":"${alias}","location_id":"gid://shopify/Location/1","quantity":${shipped},"created_at":"${slots.ship.iso[s]}","kind":"fulfillment"}`,
    );
    for (let b = 0; b < 4; b++) {
      f.wmsInv.line(`${sku},${bin},${BUCKET_WORDS.wms[b]},${wms[b]},EA,${asOfNy}`);
      f.erpStock.line(`${sku},East DC - TC,${BUCKET_WORDS.erp[b]},${erp[b]},Nos,${asOfIso}`);
      f.shopLevels.line(
        `{"inventory_item_id":"${alias}","location_id":"gid://shopify/Location/1","name":"${BUCKET_WORDS.shop[b]}","quantity":${shop[b]},"updated_at":"${asOfIso}"}`,
      );
    }
  }
  for (const file of Object.values(f)) await file.close();
  const events = f.wmsTx.rows + f.erpLedger.rows + f.shopFul.rows;
  return {
    skus,
    events,
    differing,
    snapshotRows: f.wmsInv.rows + f.erpStock.rows + f.shopLevels.rows,
  };
}
