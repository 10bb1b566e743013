/** The ERP's files: item master, warehouse-level stock and its stock ledger (UTC). */
import { BUCKETS } from '../engine/core/model/types.ts';
import { csvRow, openLines } from './files.ts';
import type { Overrides } from './inject.ts';
import type { Sim } from './sim.ts';
import { isoSeconds, utcDateAndTime } from './time.ts';
import type { Views } from './views.ts';
import { CASE_SIZE, WAREHOUSES, shopAlias, stocks, type Movement, type Sku } from './world.ts';
import { ERP_STATUS, ERP_VOUCHER, ERP_WAREHOUSE } from './words.ts';

const CATEGORY = { apparel: 'Tops', beverage: 'Drinks', electronics: 'Accessories' } as const;

export async function writeErp(dir: string, sim: Sim, views: Views, overrides: Overrides) {
  const items = openLines(
    dir,
    'erp/items.csv',
    'item_code,item_name,item_group,category,stock_uom,valuation_rate,shopify_inventory_item_id',
  );
  for (const s of sim.catalog) {
    items.line(
      csvRow([
        s.sku,
        s.name,
        s.skuClass,
        CATEGORY[s.skuClass],
        'Nos',
        s.unitCost.toFixed(2),
        shopAlias(s.sku),
      ]),
    );
  }
  await items.close();
  await writeStock(dir, sim, views, overrides);
  await writeLedger(dir, sim);
}

/** Beverage at the warehouses is counted in whole cases where it divides evenly. */
function erpUnit(sku: Sku, warehouse: string, qty: number): [number, string] {
  const byCase =
    sku.skuClass === 'beverage' && warehouse.startsWith('WH-') && qty > 0 && qty % CASE_SIZE === 0;
  return byCase ? [qty / CASE_SIZE, 'Case'] : [qty, 'Nos'];
}

async function writeStock(dir: string, sim: Sim, views: Views, overrides: Overrides) {
  const file = openLines(
    dir,
    'erp/stock.csv',
    'item_code,warehouse,stock_status,actual_qty,stock_uom,as_of',
  );
  const asOf = isoSeconds(sim.asOfMs);
  for (const s of sim.catalog) {
    for (const wh of WAREHOUSES) {
      const phantom = BUCKETS.some((b) => (views.erp.get(`${s.sku}|${wh}|${b}`) ?? 0) !== 0);
      if (!stocks(s, wh) && !phantom) continue;
      for (const bucket of BUCKETS) {
        const key = `${s.sku}|${wh}|${bucket}`;
        const forced = overrides.erpRows.get(key);
        const [qty, uom] = forced
          ? [forced.quantity, forced.uom]
          : erpUnit(s, wh, views.erp.get(key) ?? 0);
        if (!stocks(s, wh) && qty === 0) continue;
        file.line(csvRow([s.sku, ERP_WAREHOUSE[wh], ERP_STATUS[bucket], qty, uom, asOf]));
      }
    }
  }
  await file.close();
}

type LedgerRow = { ms: number; cells: (string | number)[] };

async function writeLedger(dir: string, sim: Sim) {
  const rows: LedgerRow[] = [];
  let n = 0;
  const name = () => `MAT-SLE-${String(++n).padStart(6, '0')}`;
  for (const m of sim.movements) {
    if (m.erpMs === null || m.erpMs > sim.asOfMs || !ERP_VOUCHER[m.type]) continue;
    rows.push({ ms: m.erpMs, cells: ledgerCells(m, m.erpMs) });
    for (let i = 1; i <= (m.erpDuplicates ?? 0); i++) {
      // a duplicate is the same movement posted again a little later under a new id (and,
      // when set, a new voucher number)
      const ms = m.erpMs + i * (m.erpDuplicateDelayMs ?? 3_600_000);
      const again = { ...m, reference: m.erpDuplicateReference ?? m.reference };
      rows.push({ ms, cells: ledgerCells(again, ms) });
    }
  }
  for (const e of sim.erpOnly) {
    if (e.postedMs > sim.asOfMs) continue;
    const [date, time] = utcDateAndTime(e.postedMs);
    rows.push({
      ms: e.postedMs,
      cells: [
        e.sku.sku,
        ERP_WAREHOUSE[e.warehouse],
        ...[e.quantity, 'Nos', date, time],
        e.from ? ERP_STATUS[e.from] : '',
        e.to ? ERP_STATUS[e.to] : '',
        '',
        e.reference,
        '',
        ERP_VOUCHER[e.type]!,
      ],
    });
  }
  rows.sort((a, b) => a.ms - b.ms);
  const file = openLines(
    dir,
    'erp/stock_ledger.csv',
    'name,voucher_type,voucher_no,item_code,warehouse,actual_qty,stock_uom,posting_date,posting_time,from_status,to_status,counterpart_warehouse,remarks',
  );
  for (const r of rows) file.line(csvRow(orderCells(name(), r.cells)));
  await file.close();
}

/** Cells in an internal order, re-ordered to the file's columns by `orderCells`. */
function ledgerCells(m: Movement, postedMs: number): (string | number)[] {
  const [qty, uom] = erpUnit(m.sku, m.warehouse, m.quantity);
  const [date, time] = utcDateAndTime(postedMs);
  const counterpart = m.counterpart ? ERP_WAREHOUSE[m.counterpart] : '';
  const from = m.from ? ERP_STATUS[m.from] : m.type === 'transfer_in' ? ERP_STATUS.in_transit : '';
  const to = m.to ? ERP_STATUS[m.to] : m.type === 'transfer_out' ? ERP_STATUS.in_transit : '';
  return [
    m.sku.sku,
    ERP_WAREHOUSE[m.warehouse],
    qty,
    uom,
    date,
    time,
    from,
    to,
    counterpart,
    ...erpReference(m),
    ERP_VOUCHER[m.type]!,
  ];
}

/**
 * The ERP's own voucher number where it differs from the system of record's reference, as
 * ERPNext numbers its documents: the east WMS's adjustment ADJ-n is posted as the stock
 * reconciliation MAT-RECO-n (the rules' crosswalk pattern links them), the west 3PL's receipt
 * ASN-n as the purchase receipt MAT-PRE-n whose remarks name the ASN (the crosswalk's
 * counterpartReference). Returns [voucher number, remarks].
 */
function erpReference(m: Movement): [string, string] {
  const number = /^(?:ADJ|ASN)-(\d+)$/.exec(m.reference)?.[1];
  if (number && m.type === 'adjustment' && m.warehouse === 'WH-EAST') {
    return [`MAT-RECO-${number}`, ''];
  }
  if (number && m.type === 'receipt' && m.warehouse === 'WH-WEST') {
    return [`MAT-PRE-${number}`, `Against ${m.reference}`];
  }
  return [m.reference, ''];
}

function orderCells(id: string, c: (string | number)[]): (string | number)[] {
  const [sku, wh, qty, uom, date, time, from, to, counterpart, reference, remarks, voucher] = c;
  return [
    id,
    voucher!,
    reference!,
    sku!,
    wh!,
    qty!,
    uom!,
    date!,
    time!,
    from!,
    to!,
    counterpart!,
    remarks!,
  ];
}
