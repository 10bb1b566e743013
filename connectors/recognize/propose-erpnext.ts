/**
 * Proposals for ERPNext's CSV exports (Stock Ledger Entry, Bin, Item): one `erpnext` source,
 * its warehouses, statuses, units, case packs and the movements it saw (for posting lags).
 */
import type { Found, Sighting } from './types.ts';
import type { Plan } from './plan.ts';
import { addCode, addStatuses, source } from './plan.ts';
import { column, distinct, headerOf } from './table.ts';
import type { Table } from './table.ts';

type Of<K extends Found['kind']> = Extract<Found, { kind: K }>;

const BIN_QTY = [
  'actual_qty',
  'reserved_qty',
  'ordered_qty',
  'indented_qty',
  'planned_qty',
  'projected_qty',
  'reserved_qty_for_production',
];
// actual_qty already holds what is reserved: every other Bin column is ignored at first

const dec = (s: string) => Number(s.replace(/,/g, ''));
/** "9:05:00.000000" → "09:05". */
const hhmm = (t: string) => t.replace(/^(\d):/, '0$1:').slice(0, 5);

/**
 * ERPNext's three exports feed one `erpnext` source: the connector reads signed quantities,
 * Stock Reconciliations, cancelled pairs, amendments and Goods In Transit legs itself.
 */
export function proposeErpnext(
  plan: Plan,
  id: string,
  f: Of<'erpnext-sle' | 'erpnext-bin' | 'erpnext-item'>,
  sightings: Sighting[],
  latest: () => string,
  asOfFromName: (path: string) => string | undefined,
) {
  const s = source(plan, id, () => ({
    id,
    connector: 'erpnext',
    role: 'erp',
    systemOfRecord: ['item_master', 'financial_postings'],
    locations: new Set(),
    settings: {},
    notes: [],
  }));
  const settings = s.settings!;
  const t = f.table;
  const warehouses = distinct(t, column(t, 'warehouse'));
  for (const w of warehouses) {
    addCode(plan, id, w, '', 'pending');
    const status = /transit/i.test(w)
      ? 'in_transit'
      : /quarantin|damag|reject|hold|scrap/i.test(w)
        ? 'quarantine'
        : undefined;
    if (!status) continue;
    settings.warehouseStatus = { ...(settings.warehouseStatus as object), [w]: status };
    addStatuses(plan, id, [status]);
  }
  if (f.kind === 'erpnext-item') {
    settings.items = f.path;
    for (const c of distinct(t, column(t, 'item_group'))) plan.units.classes.add(c);
    for (const u of distinct(t, column(t, 'stock_uom'))) plan.units.aliases.set(u, 'each');
    casePacks(plan, t, settings);
    shopifyIds(plan, t, f.path);
    return;
  }
  if (f.kind === 'erpnext-bin') {
    settings.bin = f.path;
    if (!asOfFromName(f.path)) {
      settings.binAsOf = latest();
      s.notes.push(
        'TODO: binAsOf: the Bin export has no time and its name no date; set when it was exported',
      );
      plan.report.decide.push(
        `${f.path}: the ERPNext Bin has no time; binAsOf set to ${latest()} (the latest time in the folder): correct it`,
      );
    }
    const present = BIN_QTY.filter((c) => headerOf(t, c) !== undefined);
    const list = plan.statusMaps.get(id) ?? [];
    for (const c of present)
      list.push({ word: c, bucket: c === 'actual_qty' ? 'sellable' : 'ignore' });
    plan.statusMaps.set(id, list);
    return;
  }
  const ledgers = (settings.stockLedger as string[] | undefined) ?? [];
  settings.stockLedger = [...ledgers, f.path];
  const [item, wh, date, time, vtype, vno, cancelled, qty] = [
    'item_code',
    'warehouse',
    'posting_date',
    'posting_time',
    'voucher_type',
    'voucher_no',
    'is_cancelled',
    'actual_qty',
  ].map((n) => column(t, n));
  for (const r of t.rows) {
    if (cancelled?.(r) === '1') continue;
    const q = dec(qty!(r));
    const leg =
      vtype!(r) === 'Stock Entry' || /transit/i.test(wh!(r))
        ? { leg: q < 0 ? ('out' as const) : ('in' as const) }
        : {};
    sightings.push({
      system: id,
      reference: vno!(r),
      sku: item!(r),
      quantity: q,
      at: `${date!(r)} ${hhmm(time!(r))}`,
      place: wh!(r),
      ...leg,
    });
  }
}

/** An item-master column of Shopify inventory item ids: the stable key of the shop's items. */
function shopifyIds(plan: Plan, t: Table, path: string): void {
  const sku = column(t, 'item_code');
  const col = t.header.find((h) =>
    t.rows.some((r) => /^gid:\/\/shopify\/InventoryItem\//.test(column(t, h)!(r))),
  );
  if (!col || !sku) return;
  for (const r of t.rows) {
    const gid = column(t, col)!(r);
    if (gid) plan.pending.shopifyIds.set(gid, sku(r));
  }
  plan.report.recognized.push(
    `${path}: column ${col} holds Shopify inventory item ids → skuAliases`,
  );
}

/** A column naming a case or pack size: the connector reads it per item (itemPacks). */
function casePacks(plan: Plan, t: Table, settings: Record<string, unknown>): void {
  const col = t.header.find((x) => /case|pack|carton|inner/i.test(x) && !/id$/i.test(x));
  const sku = column(t, 'item_code');
  if (!col || !sku) return;
  const get = column(t, col)!;
  for (const r of t.rows) {
    const n = Number(get(r));
    if (Number.isInteger(n) && n > 1) plan.units.casePacks.set(sku(r), n);
  }
  const sized = plan.units.casePacks.size;
  settings.itemPacks = { case: col };
  plan.units.aliases.set('CS', 'case');
  plan.units.aliases.set('Case', 'case');
  plan.report.recognized.push(
    `case pack per item from column ${col} (${sized} items) → itemPacks of the ERPNext source`,
  );
}
