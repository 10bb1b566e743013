/** Proposals for ERPNext CSV exports and generic delimited position / movement files. */
import type { Found, Sighting } from './types.ts';
import type { FilePlan, Plan, SourcePlan } from './plan.ts';
import { addCode, addLocation, addStatuses, guessBucket } from './plan.ts';
import { column, distinct, headerOf } from './table.ts';
import type { Table } from './table.ts';
import { LOCATION_HEADERS, QTY_HEADERS, SKU_HEADERS, TIME_HEADERS, TYPE_HEADERS } from './sniff.ts';

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
// actual_qty already holds what is reserved: counting reserved_qty too would count it twice
const ERP_IGNORE = new Set(['reserved_qty', 'reserved_qty_for_production']);

const VOUCHER_TYPES: Record<string, string> = {
  'Purchase Receipt': 'receipt',
  'Purchase Invoice': 'receipt',
  'Delivery Note': 'shipment',
  'Sales Invoice': 'shipment',
  'POS Invoice': 'shipment',
  'Stock Entry': 'transfer_out',
  'Stock Reconciliation': 'adjustment',
};

const MOVE_TYPES: [RegExp, string][] = [
  [/^(receipt|receive|rcv|recv)/i, 'receipt'],
  [/^putaway|^put_away/i, 'putaway'],
  [/^pick/i, 'pick'],
  [/^(ship|dispatch)/i, 'shipment'],
  [/^(transfer|xfer)_?in/i, 'transfer_in'],
  [/^(transfer|xfer)/i, 'transfer_out'],
  [/^return/i, 'return'],
  [/^(adjust|adj)/i, 'adjustment'],
  [/^(count|cycle)/i, 'cycle_count'],
  [/^(allocate|reserve)/i, 'reservation'],
  [/^(deallocate|release)/i, 'release'],
  [/^(status|hold|qc)/i, 'status_change'],
];

export function source(plan: Plan, id: string, make: () => SourcePlan): SourcePlan {
  const found = plan.sources.find((s) => s.id === id);
  if (found) return found;
  const made = make();
  plan.sources.push(made);
  return made;
}

const dec = (s: string) => Number(s.replace(/,/g, ''));
/** "9:05:00.000000" → "09:05". */
const hhmm = (t: string) => t.replace(/^(\d):/, '0$1:').slice(0, 5);

export function proposeErpnext(
  plan: Plan,
  id: string,
  f: Of<'erpnext-sle' | 'erpnext-bin' | 'erpnext-item'>,
  sightings: Sighting[],
  latest: () => string,
) {
  const s = source(plan, id, () => ({
    id,
    connector: 'csv',
    role: 'erp',
    systemOfRecord: ['item_master', 'financial_postings'],
    locations: new Set(),
    files: [],
    notes: [],
  }));
  const t = f.table;
  const h = (...n: string[]) => headerOf(t, ...n)!;
  const warehouses = distinct(t, column(t, 'warehouse'));
  for (const w of warehouses) addCode(plan, id, w, '', 'pending');
  if (f.kind === 'erpnext-item') {
    const file: FilePlan = {
      path: f.path,
      format: 'csv',
      kind: 'items',
      columns: { sku: h('item_code'), skuClass: h('item_group'), baseUnit: h('stock_uom') },
      notes: [],
    };
    const rate = headerOf(t, 'valuation_rate');
    if (rate) file.columns.unitCost = rate;
    s.files!.push(file);
    for (const c of distinct(t, column(t, 'item_group'))) plan.units.classes.add(c);
    for (const u of distinct(t, column(t, 'stock_uom'))) plan.units.aliases.set(u, 'each');
    casePacks(plan, t);
    return;
  }
  if (f.kind === 'erpnext-bin') {
    const statusColumns = BIN_QTY.map((c) => headerOf(t, c)).filter(
      (c): c is string => c !== undefined,
    );
    s.files!.push({
      path: f.path,
      format: 'csv',
      kind: 'positions',
      columns: {
        sku: h('item_code'),
        location: h('warehouse'),
        ...(headerOf(t, 'stock_uom') ? { unit: h('stock_uom') } : {}),
      },
      constants: { asOf: latest() },
      statusColumns,
      notes: [
        'TODO: the Bin export has no time: asOf is the latest time found in the folder; set when it was exported',
      ],
    });
    plan.report.decide.push(
      `${f.path}: the ERPNext Bin has no time; asOf set to ${latest()} (the latest time in the folder): correct it`,
    );
    const list = plan.statusMaps.get(id) ?? [];
    for (const c of statusColumns)
      list.push(
        ERP_IGNORE.has(c)
          ? { word: c, bucket: 'ignore' }
          : c === 'actual_qty'
            ? { word: c, bucket: 'sellable' }
            : { ...guessBucket(c), bucket: 'ignore' },
      );
    plan.statusMaps.set(id, list);
    return;
  }
  const typeMap: Record<string, string> = {};
  for (const v of distinct(t, column(t, 'voucher_type'))) {
    typeMap[v] = VOUCHER_TYPES[v] ?? 'adjustment';
    if (!VOUCHER_TYPES[v])
      plan.report.guessed.push(`${f.path}: voucher type "${v}" read as an adjustment`);
  }
  const file: FilePlan = {
    path: f.path,
    format: 'csv',
    kind: 'events',
    dateFormat: 'yyyy-MM-dd HH:mm:ss',
    columns: {
      sourceEventId: h('name'),
      type: h('voucher_type'),
      reference: h('voucher_no'),
      sku: h('item_code'),
      location: h('warehouse'),
      quantity: h('actual_qty'),
      occurredAt: `${h('posting_date')}+${h('posting_time')}`,
    },
    typeMap,
    notes: [],
  };
  if (headerOf(t, 'stock_uom')) file.columns.unit = h('stock_uom');
  if (headerOf(t, 'creation')) file.columns.recordedAt = h('creation');
  s.files!.push(file);
  const qty = column(t, 'actual_qty')!;
  const negative = t.rows.filter((r) => dec(qty(r)) < 0).length;
  if (negative > 0)
    plan.report.decide.push(
      `${f.path}: ${negative} rows have a negative actual_qty (outbound); check that your Tally version reads signed quantities, else they are rejected`,
    );
  const [item, wh, date, time, vtype, vno, cancelled] = [
    'item_code',
    'warehouse',
    'posting_date',
    'posting_time',
    'voucher_type',
    'voucher_no',
    'is_cancelled',
  ].map((n) => column(t, n));
  for (const r of t.rows) {
    if (cancelled?.(r) === '1') continue;
    const q = dec(qty(r));
    const transit = /transit/i.test(wh!(r)) || (vtype!(r) === 'Stock Entry' ? undefined : false);
    sightings.push({
      system: id,
      reference: vno!(r),
      sku: item!(r),
      quantity: q,
      at: `${date!(r)} ${hhmm(time!(r))}`,
      ...(vtype!(r) === 'Stock Entry' || transit ? { leg: q < 0 ? 'out' : 'in' } : {}),
    });
  }
}

function casePacks(plan: Plan, t: Table): void {
  const col = t.header.find((x) => /case|pack|carton|inner/i.test(x) && !/id$/i.test(x));
  const sku = column(t, 'item_code');
  if (!col || !sku) return;
  const get = column(t, col)!;
  for (const r of t.rows) {
    const n = Number(get(r));
    if (Number.isInteger(n) && n > 1) plan.units.skus.set(sku(r), { case: n });
  }
  plan.units.note = `case sizes from ${col}`;
  plan.units.aliases.set('CS', 'case');
  plan.units.aliases.set('Case', 'case');
  plan.report.recognized.push(
    `case pack per item from column ${col} (${plan.units.skus.size} items) → units`,
  );
}

const pick = (t: Table, names: string[]) => headerOf(t, ...names);

export function proposeDelimited(
  plan: Plan,
  id: string,
  f: Of<'positions-csv' | 'movements-csv'>,
  sightings: Sighting[],
  dateFormat: (t: Table, col: string) => string | undefined,
) {
  const s = source(plan, id, () => ({
    id,
    connector: 'csv',
    role: 'wms',
    systemOfRecord: ['physical_movements'],
    locations: new Set(),
    files: [],
    notes: [],
  }));
  const t = f.table;
  const format = t.delimiter === '\t' ? 'tsv' : 'csv';
  const sku = pick(t, SKU_HEADERS)!;
  const qty = pick(t, QTY_HEADERS)!;
  const unit = pick(t, ['uom', 'unit', 'stock_uom']);
  const site = pick(t, ['warehouse', 'site', 'dc']);
  for (const u of distinct(t, unit ? column(t, unit) : undefined))
    if (!plan.units.aliases.has(u))
      plan.units.aliases.set(u, /^(cs|case|ctn|carton)$/i.test(u) ? 'case' : 'each');
  if (f.kind === 'positions-csv') {
    const bin = pick(t, ['bin', 'bin_code', 'slot']);
    const loc = bin ?? pick(t, LOCATION_HEADERS)!;
    const status = pick(t, ['status', 'stock_status', 'disposition', 'condition']);
    const asOf = pick(t, [
      'snapshot_at',
      'as_of',
      'asof',
      'snapshot_time',
      'counted_at',
      'updated_at',
    ]);
    const file: FilePlan = {
      path: f.path,
      format,
      kind: 'positions',
      columns: { sku, location: loc, quantity: qty },
      constants: {},
      notes: [],
    };
    if (status) file.columns.status = status;
    else file.constants!.status = 'available';
    if (unit) file.columns.unit = unit;
    if (asOf) {
      file.columns.asOf = asOf;
      const df = dateFormat(t, asOf);
      if (df) file.dateFormat = df;
    }
    if (!asOf)
      plan.report.decide.push(
        `${f.path}: no time column: say when the snapshot was taken (constants.asOf)`,
      );
    if (Object.keys(file.constants!).length === 0) delete file.constants;
    s.files!.push(file);
    addStatuses(plan, id, distinct(t, status ? column(t, status) : undefined));
    const siteOf = site ? column(t, site) : undefined;
    for (const r of t.rows) {
      const w = siteOf?.(r);
      if (w) addLocation(plan, { id: w, level: 'warehouse', type: 'own_warehouse' });
      const code = column(t, loc)!(r);
      if (bin && w) addLocation(plan, { id: code, level: 'bin', type: 'bin', parent: w });
      if (w) s.locations.add(w);
      else if (!bin) s.locations.add(code);
    }
    return;
  }
  const from = pick(t, ['from_location', 'from_bin', 'source_location']);
  const to = pick(t, ['to_location', 'to_bin', 'destination_location']);
  const loc = pick(t, ['bin', 'location']) ?? from ?? pick(t, LOCATION_HEADERS);
  const type = pick(t, TYPE_HEADERS)!;
  const time = pick(t, TIME_HEADERS)!;
  const file: FilePlan = {
    path: f.path,
    format,
    kind: 'events',
    columns: { type, sku, quantity: qty, occurredAt: time },
    notes: [],
  };
  const idCol = pick(t, ['move_id', 'txn_id', 'transaction_id', 'id', 'event_id']);
  if (idCol) file.columns.sourceEventId = idCol;
  else
    plan.report.decide.push(
      `${f.path}: no movement id column: Tally needs one per row (sourceEventId)`,
    );
  if (loc) file.columns.location = loc;
  if (to && loc === from) file.columns.counterpartLocation = to;
  for (const [field, names] of [
    ['unit', ['uom', 'unit']],
    ['reference', ['reference', 'ref', 'document', 'order']],
    ['reasonCode', ['reason_code', 'reason']],
    ['fromStatus', ['from_status']],
    ['toStatus', ['to_status']],
  ] as const) {
    const c = pick(t, [...names]);
    if (c) file.columns[field] = c;
  }
  const df = dateFormat(t, time);
  if (df) file.dateFormat = df;
  const typeMap: Record<string, string> = {};
  for (const v of distinct(t, column(t, type))) {
    const hit = MOVE_TYPES.find(([re]) => re.test(v));
    typeMap[v] = hit?.[1] ?? 'adjustment';
    if (!hit) plan.report.guessed.push(`${f.path}: movement type "${v}" read as an adjustment`);
  }
  file.typeMap = typeMap;
  if (from && to) {
    file.notes.push(
      `one row per movement with ${from} and ${to}: ${loc} is where it happens; an empty ${from} (a receipt) is the site itself`,
    );
    plan.pending.sites.set(file, id);
  }
  s.files!.push(file);
  addStatuses(plan, id, [
    ...distinct(t, column(t, file.columns.fromStatus ?? '')),
    ...distinct(t, column(t, file.columns.toStatus ?? '')),
  ]);
  const get = (c?: string) => (c ? column(t, c) : undefined);
  const [gRef, gSku, gQty, gTime, gType, gUnit, gFrom, gTo] = [
    file.columns.reference,
    sku,
    qty,
    time,
    type,
    unit,
    from,
    to,
  ].map(get);
  for (const r of t.rows) {
    const kind = typeMap[gType!(r)];
    const q = Number(gQty!(r));
    const unitWord = gUnit?.(r) ?? '';
    const pack = plan.units.skus.get(gSku!(r))?.case;
    const units = plan.units.aliases.get(unitWord) === 'case' && pack ? q * pack : q;
    const leg = kind === 'transfer_out' ? 'out' : kind === 'transfer_in' ? 'in' : undefined;
    sightings.push({
      system: id,
      reference: gRef?.(r) ?? '',
      sku: gSku!(r),
      quantity: units,
      at: gTime!(r).slice(0, 16),
      ...(leg ? { leg, location: leg === 'out' ? `@${id}` : gTo?.(r) } : {}),
    });
    for (const c of [gFrom?.(r), gTo?.(r)])
      if (c && !plan.locations.has(c)) plan.pending.places.add(`${id}|${c}`);
  }
}
