/** The systems of record's files: the WMS (bins, New York), the 3PL (wide, Los Angeles), POS. */
import { BUCKETS, type Bucket } from '../engine/core/model/types.ts';
import { csvRow, jsonRow, openLines } from './files.ts';
import { binsOf } from './flows.ts';
import type { Sim } from './sim.ts';
import { isoSeconds, localMinute } from './time.ts';
import type { Views } from './views.ts';
import { CASE_SIZE, TIME_ZONES, homeBin, stocks, type Movement, type Sku } from './world.ts';
import {
  POS_KIND,
  POS_STATUS,
  POS_STORE,
  TPL_COLUMNS,
  TPL_STATUS,
  WMS_STATUS,
  WMS_TYPE,
} from './words.ts';

const NY = TIME_ZONES['wms-east'];

/** Beverage in the WMS is handled in cases where the quantity divides evenly. */
function wmsUnit(sku: Sku, qty: number): [number, string] {
  return sku.skuClass === 'beverage' && qty > 0 && qty % CASE_SIZE === 0
    ? [qty / CASE_SIZE, 'CS']
    : [qty, 'EA'];
}

/** Events in the order the source logged them; late uploads come last (out of order). */
function logged(sim: Sim, keep: (m: Movement) => boolean): Movement[] {
  const rank = (m: Movement) => (m.appendLast ? 1 : 0);
  return sim.movements
    .filter(keep)
    .sort((a, b) => rank(a) - rank(b) || a.recordedMs - b.recordedMs);
}

export async function writeWms(dir: string, sim: Sim, views: Views) {
  const header = 'Item,Bin,Status,Qty,UOM,SnapshotTime';
  for (const [path, book, ms] of [
    ['wms-east/opening.csv', sim.opening, sim.openingMs],
    ['wms-east/inventory.csv', views.sorSnapshot, sim.asOfMs],
  ] as const) {
    const file = openLines(dir, path, header);
    for (const s of sim.catalog) {
      for (const bin of binsOf(s)) {
        for (const bucket of BUCKETS) {
          const qty = book.get(`${s.sku}|${bin}|${bucket}`) ?? 0;
          if (qty === 0 && bin !== homeBin(s)) continue;
          const [q, uom] = wmsUnit(s, qty);
          file.line(csvRow([s.sku, bin, WMS_STATUS[bucket], q, uom, localMinute(ms, NY)]));
        }
      }
    }
    await file.close();
  }
  const tx = openLines(
    dir,
    'wms-east/transactions.csv',
    'TxnId,TxnType,Item,Bin,FromStatus,ToStatus,Qty,UOM,TxnTime,RecordedTime,Reference,ToLocation',
  );
  for (const m of logged(sim, (m) => m.warehouse === 'WH-EAST' && m.recordedMs <= sim.asOfMs)) {
    const [q, uom] = wmsUnit(m.sku, m.quantity);
    tx.line(
      csvRow([
        m.id,
        WMS_TYPE[m.type],
        m.sku.sku,
        m.bin ?? homeBin(m.sku),
        wmsWord(m, m.from, 'from'),
        wmsWord(m, m.to, 'to'),
        q,
        uom,
        localMinute(m.occurredMs, NY),
        localMinute(m.recordedMs, NY),
        m.reference,
        m.counterpart ?? '',
      ]),
    );
  }
  await tx.close();
}

/** Returns land in returns QA and leave it from there; other moves use the bucket's word. */
function wmsWord(m: Movement, bucket: Bucket | undefined, side: 'from' | 'to'): string {
  if (!bucket) return '';
  if (bucket !== 'non_sellable') return WMS_STATUS[bucket];
  if (side === 'to' && m.type === 'return') return 'RETURNS_QA';
  if (side === 'from' && (m.reason === 'restock' || m.reason === 'refurbish')) return 'RETURNS_QA';
  return WMS_STATUS[bucket];
}

export async function write3pl(dir: string, sim: Sim, views: Views) {
  const header = ['sku', 'warehouse', ...TPL_COLUMNS, 'uom', 'as_of'].join('\t');
  for (const [path, book, ms] of [
    ['3pl-west/opening.tsv', sim.opening, sim.openingMs],
    ['3pl-west/inventory.tsv', views.sorSnapshot, sim.asOfMs],
  ] as const) {
    const file = openLines(dir, path, header);
    for (const s of sim.catalog) {
      if (!stocks(s, 'WH-WEST')) continue;
      const q = (b: Bucket) => book.get(`${s.sku}|WH-WEST|${b}`) ?? 0;
      file.line(
        csvRow(
          [
            s.sku,
            'LAX1',
            q('sellable'),
            q('committed'),
            q('non_sellable'),
            0,
            q('in_transit'),
            'EA',
            isoSeconds(ms),
          ],
          '\t',
        ),
      );
    }
    await file.close();
  }
  const file = openLines(dir, '3pl-west/activity.jsonl');
  for (const m of logged(sim, (m) => m.warehouse === 'WH-WEST' && m.recordedMs <= sim.asOfMs)) {
    file.line(
      jsonRow({
        id: m.id,
        type: m.type,
        sku: m.sku.sku,
        warehouse: 'LAX1',
        qty: m.quantity,
        uom: 'EA',
        from: m.from ? TPL_STATUS[m.from] : null,
        to: m.to ? TPL_STATUS[m.to] : null,
        at: isoSeconds(m.occurredMs),
        recorded: isoSeconds(m.recordedMs),
        ref: m.reference,
        reason: m.reason ?? '',
      }),
    );
  }
  await file.close();
}

export async function writePos(dir: string, sim: Sim, views: Views) {
  const header = 'store,sku,status,qty,counted_at';
  for (const [path, book, ms] of [
    ['pos/opening.csv', sim.opening, sim.openingMs],
    ['pos/store_stock.csv', views.sorSnapshot, sim.asOfMs],
  ] as const) {
    const file = openLines(dir, path, header);
    for (const s of sim.catalog) {
      for (const store of ['STORE-NYC', 'STORE-SF'] as const) {
        if (!stocks(s, store)) continue;
        for (const bucket of ['sellable', 'non_sellable'] as const) {
          const qty = book.get(`${s.sku}|${store}|${bucket}`) ?? 0;
          file.line(
            csvRow([POS_STORE[store]!, s.sku, POS_STATUS[bucket]!, qty, localMinute(ms, NY)]),
          );
        }
      }
    }
    await file.close();
  }
  const file = openLines(dir, 'pos/transactions.csv', 'txn_id,store,sku,kind,qty,at,ref');
  for (const m of logged(
    sim,
    (m) => m.warehouse.startsWith('STORE') && m.recordedMs <= sim.asOfMs,
  )) {
    file.line(
      csvRow([
        m.id,
        POS_STORE[m.warehouse]!,
        m.sku.sku,
        POS_KIND[m.type]!,
        m.quantity,
        localMinute(m.occurredMs, NY),
        m.reference,
      ]),
    );
  }
  await file.close();
}
