/** Proposals for ERPNext CSV exports and generic delimited position / movement files. */
import type { Found, Sighting } from './types.ts';
import type { FilePlan, Plan, SourcePlan } from './plan.ts';
import { addCode, addLocation, addStatuses } from './plan.ts';
import { makeNumberParser } from '../shared/numbers.ts';
import { moveTypeOf } from './move-words.ts';
import { column, distinct, headerOf } from './table.ts';
import type { Table } from './table.ts';
import {
  BIN_HEADERS,
  LOCATION_HEADERS,
  MOVE_ID_HEADERS,
  QTY_HEADERS,
  SKU_HEADERS,
  TIME_HEADERS,
  TYPE_HEADERS,
} from './sniff.ts';

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

const pick = (t: Table, names: string[]) => headerOf(t, ...names);

/**
 * How a file writes its quantities, when they say it (a decimal comma, a thousands group, a
 * minus at the end): `1.204` in a file separated by semicolons is Excel's 1204 in most of
 * Europe, 1.204 elsewhere. Undefined when plain numbers leave the default right.
 */
export function numberFormatOf(values: string[], delimiter: string): string | undefined {
  // SAP's lists write a negative number's minus at its end (`12-`, `1.032,500-`)
  const trailing = values.filter((v) => /^\d[\d.,' ]*-$/.test(v.trim()));
  if (trailing.length) {
    const rest = values.map((v) => v.trim().replace(/-$/, ''));
    return `${groupingOf(rest, delimiter) ?? '1234.5'}-`;
  }
  return groupingOf(values, delimiter);
}

function groupingOf(values: string[], delimiter: string): string | undefined {
  const has = (re: RegExp) => values.some((v) => re.test(v.trim()));
  const europe = delimiter === ';';
  if (has(/^-?\d{1,3}( \d{3})+(,\d+)?$/)) return '1 234,5';
  if (has(/^-?\d{1,3}('\d{3})+(\.\d+)?$/)) return "1'234.5";
  if (has(/^-?\d{1,3}(\.\d{3})+,\d+$/) || (europe && has(/^-?\d{1,3}(\.\d{3})+$/)))
    return '1.234,5';
  if (has(/^-?\d{1,3}(,\d{3})+\.\d+$/) || (!europe && has(/^-?\d{1,3}(,\d{3})+$/)))
    return '1,234.5';
  if (has(/^-?\d+,\d+$/)) return europe ? '1.234,5' : '1234,5';
  return undefined;
}

/**
 * Whether a movements file's quantities are signed, and how. A minus means one of two things:
 * the movement the other way (a negative receipt ships back: `signedQuantity: true`), or where
 * the stock went, as stock ledgers and SAP's lists write a goods issue (`3-` shipped:
 * `signedQuantity: stock`). Its shipments and transfers out tell them apart: mostly negative,
 * the sign is the stock's. Read the wrong way, every goods issue would be a return.
 */
function signsOf(
  plan: Plan,
  file: FilePlan,
  t: Table,
  readNumber: (text: string) => number | undefined,
): void {
  const qty = column(t, file.columns.quantity!)!;
  const type = column(t, file.columns.type!)!;
  let negative: string | undefined;
  let outNegative = 0;
  let outPositive = 0;
  for (const r of t.rows) {
    const q = readNumber(qty(r).trim());
    if (q === undefined || q === 0) continue;
    if (q < 0) negative ??= qty(r);
    const kind = file.typeMap![type(r)];
    if (kind === 'shipment' || kind === 'transfer_out') {
      if (q < 0) outNegative++;
      else outPositive++;
    }
  }
  if (negative === undefined) return;
  if (outNegative > outPositive) {
    file.signedQuantity = 'stock';
    plan.report.decide.push(
      `${file.path}: quantities like "${negative}" are negative, its shipments and transfers out mostly so: read as where the stock went (signedQuantity: stock; a shipment written positive is its reversal): check it`,
    );
  } else {
    file.signedQuantity = true;
    plan.report.decide.push(
      `${file.path}: quantities like "${negative}" are negative: read as the movement the other way (signedQuantity: true; a negative receipt ships back, a negative adjustment decreases): check it`,
    );
  }
}

export function proposeDelimited(
  plan: Plan,
  id: string,
  f: Of<'positions-csv' | 'movements-csv'>,
  sightings: Sighting[],
  dateFormat: (t: Table, col: string) => string | undefined,
  /** When a snapshot without a time column was taken: the date in its name, else the latest seen. */
  asOfFor: (path: string) => { at: string; from: string } = () => ({ at: '', from: '' }),
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
  // how the file is laid out beyond its format: its delimiter, where its header is
  const layout = {
    ...(t.delimiter === ';' || t.delimiter === '|' ? { delimiter: t.delimiter } : {}),
    ...(t.headerLine > 1 ? { headerLine: t.headerLine } : {}),
    ...(t.footerLines ? { footerLines: t.footerLines } : {}),
  };
  if (t.footerLines)
    plan.report.guessed.push(`${f.path}: its last line is a total, not a row (footerLines: 1)`);
  if (t.headerLine > 1)
    plan.report.guessed.push(
      `${f.path}: the header is line ${t.headerLine}; the ${t.headerLine - 1} line(s) above it (a report's title) are not read`,
    );
  if (f.encoding)
    plan.report.decide.push(
      `${f.path}: not UTF-8; read as ${f.encoding}, as Excel writes CSV on a Western Windows (encoding: check the accents read right)`,
    );
  const sku = pick(t, SKU_HEADERS)!;
  const qty = pick(t, QTY_HEADERS)!;
  const quantities = distinct(t, column(t, qty));
  const numberFormat = numberFormatOf(quantities, t.delimiter);
  const numbers = numberFormat ? { numberFormat } : {};
  if (numberFormat) {
    const like =
      quantities.find((v) => v.trim().endsWith('-')) ?? quantities.find((v) => /[.,' ]/.test(v));
    plan.report.decide.push(
      `${f.path}: quantities like "${like}" read with numberFormat '${numberFormat}': check it`,
    );
  }
  const readNumber = makeNumberParser(numberFormat);
  const unit = pick(t, ['uom', 'unit', 'stock_uom', 'einheit', 'mengeneinheit', 'unité', 'unidad']);
  const site = pick(t, ['warehouse', 'site', 'dc', 'lager', 'entrepôt', 'almacén', 'magazzino']);
  for (const u of distinct(t, unit ? column(t, unit) : undefined))
    if (!plan.units.aliases.has(u))
      plan.units.aliases.set(u, /^(cs|case|ctn|carton)$/i.test(u) ? 'case' : 'each');
  if (f.kind === 'positions-csv') {
    const bin = pick(t, BIN_HEADERS);
    const loc = bin ?? pick(t, LOCATION_HEADERS)!;
    const status = pick(t, [
      'status',
      'stock_status',
      'disposition',
      'condition',
      'statut',
      'estado',
    ]);
    const asOf = pick(t, [
      'snapshot_at',
      'as_of',
      'asof',
      'snapshot_time',
      'counted_at',
      'updated_at',
      'stichtag',
      'stand',
      'bestandsdatum',
    ]);
    const file: FilePlan = {
      path: f.path,
      format,
      kind: 'positions',
      columns: { sku, location: loc, quantity: qty },
      constants: {},
      ...layout,
      ...numbers,
      ...(f.encoding ? { encoding: f.encoding } : {}),
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
    if (!asOf) {
      // rules that validate and run: the snapshot's time given, for this file alone, and said
      const { at, from } = asOfFor(f.path);
      file.constants!.asOf = at;
      file.notes.push(
        'TODO: constants.asOf: the file has no time column; set when it was exported (the next export needs its own)',
      );
      plan.report.decide.push(
        `${f.path}: no time column: asOf set to ${at} (${from}); a constant fits this one file only: correct it, or export a time column`,
      );
    }
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
  const from = pick(t, [
    'from_location',
    'from_bin',
    'source_location',
    'von_lagerplatz',
    'von_platz',
  ]);
  const to = pick(t, [
    'to_location',
    'to_bin',
    'destination_location',
    'nach_lagerplatz',
    'nach_platz',
  ]);
  const loc = pick(t, ['bin', 'location']) ?? from ?? pick(t, LOCATION_HEADERS);
  // a warehouse column of its own (an ERP's Lagerort): the places the source names
  if (loc !== undefined && loc !== from && !pick(t, ['bin']) && !pick(t, BIN_HEADERS))
    for (const code of distinct(t, column(t, loc))) s.locations.add(code);
  const type = pick(t, TYPE_HEADERS)!;
  const time = pick(t, TIME_HEADERS)!;
  const file: FilePlan = {
    path: f.path,
    format,
    kind: 'events',
    columns: { type, sku, quantity: qty, occurredAt: time },
    ...layout,
    ...numbers,
    ...(f.encoding ? { encoding: f.encoding } : {}),
    notes: [],
  };
  const idCol = pick(t, MOVE_ID_HEADERS);
  if (idCol) file.columns.sourceEventId = idCol;
  else
    plan.report.decide.push(
      `${f.path}: no movement id column: Tally needs one per row (sourceEventId)`,
    );
  if (loc) file.columns.location = loc;
  if (to && loc === from) file.columns.counterpartLocation = to;
  for (const [field, names] of [
    ['unit', ['uom', 'unit', 'einheit', 'mengeneinheit', 'unité', 'unidad']],
    ['reference', ['reference', 'ref', 'document', 'order', 'auftrag', 'referenz', 'bestellung']],
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
    const read = moveTypeOf(v);
    typeMap[v] = read.type;
    if (read.guess) plan.report.guessed.push(`${f.path}: ${read.guess}`);
  }
  file.typeMap = typeMap;
  signsOf(plan, file, t, readNumber);
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
    // a movement's size, whichever way its sign says it goes
    const q = Math.abs(readNumber(gQty!(r).trim()) ?? NaN);
    const unitWord = gUnit?.(r) ?? '';
    const pack = plan.units.casePacks.get(gSku!(r)) ?? plan.units.skus.get(gSku!(r))?.case;
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
