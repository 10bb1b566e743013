/** Proposals for generic delimited files of positions or movements (a WMS's, an ERP's lists). */
import type { Found, Sighting } from './types.ts';
import type { FilePlan, Plan } from './plan.ts';
import { addLocation, addStatuses, source } from './plan.ts';
import { numberFormatOf, signsOf } from './quantities.ts';
import { makeNumberParser } from '../shared/numbers.ts';
import { moveTypeOf } from './move-words.ts';
import { column, distinct, headerOf } from './table.ts';
import type { Table } from './table.ts';
import {
  BIN_HEADERS,
  LOCATION_HEADERS,
  MOVE_ID_HEADERS,
  UNIT_HEADERS,
  QTY_HEADERS,
  SKU_HEADERS,
  TIME_HEADERS,
  TYPE_HEADERS,
} from './sniff.ts';

type Of<K extends Found['kind']> = Extract<Found, { kind: K }>;

const pick = (t: Table, names: string[]) => headerOf(t, ...names);

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
  const unit = pick(t, UNIT_HEADERS);
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
  if (unit) file.columns.unit = unit;
  for (const [field, names] of [
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
