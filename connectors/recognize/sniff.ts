/**
 * Recognizes one exported file by its content (never by its name alone): an X12 envelope,
 * saved Shopify GraphQL pages, Amazon's report headers, ERPNext's doctype fields, or a generic
 * delimited file whose header maps to positions or movements.
 */
import { open, readFile, stat } from 'node:fs/promises';
import type { Found, Place } from './types.ts';
import { column, headerOf, parseTable } from './table.ts';
import type { Table } from './table.ts';
import { likelyText } from '../shared/encoding.ts';

/**
 * How much of a file `tally init` looks at: its first 16 MiB, cut at a line's end, and its last
 * line (a report's total). A year of movements runs to gigabytes: read whole, and every file at
 * once, it took the memory of the machine, and past 512 MiB a file is more than a string holds.
 */
const HEAD_BYTES = 16 << 20;
const TAIL_BYTES = 64 << 10;
/** A JSON document (a saved API page) is read whole up to this size: half of it parses to nothing. */
const JSON_MAX_BYTES = 256 << 20;

/** A file's first bytes (whole lines), whether that is all of it, and its last line. */
async function sample(abs: string): Promise<{ head: Buffer; cut: boolean; last?: Buffer }> {
  const file = await open(abs, 'r');
  try {
    const { size } = await file.stat();
    const length = Math.min(size, HEAD_BYTES);
    const head = Buffer.alloc(length);
    const { bytesRead } = await file.read(head, 0, length, 0);
    if (bytesRead >= size) return { head: head.subarray(0, bytesRead), cut: false };
    const lf = head.lastIndexOf(0x0a, bytesRead - 1);
    const tailLength = Math.min(size, TAIL_BYTES);
    const tail = Buffer.alloc(tailLength);
    await file.read(tail, 0, tailLength, size - tailLength);
    return { head: head.subarray(0, lf > 0 ? lf + 1 : bytesRead), cut: true, last: tail };
  } finally {
    await file.close();
  }
}

export async function sniffFile(abs: string, path: string): Promise<Found> {
  const { head: bytes, cut, last } = await sample(abs);
  if (bytes.length === 0) return { kind: 'unknown', path, reason: 'empty file' };
  const text = bytes.toString('utf8');
  if (text.includes('\ufffd')) return sniffLegacy(bytes, path, last);
  const start = text.replace(/^\ufeff/, '').trimStart();
  if (start.startsWith('ISA')) return sniffX12(text, path);
  if (start.startsWith('{') || start.startsWith('[')) {
    if (!cut) return sniffJson(start, path);
    // a first line that is JSON on its own: JSON Lines, which no whole read would parse either
    const lineEnd = start.indexOf('\n');
    if (lineEnd > 0 && parses(start.slice(0, lineEnd))) return NOT_ONE_DOCUMENT(path);
    // a JSON document cut short parses to nothing: read whole while it is of a page's size
    if ((await stat(abs)).size > JSON_MAX_BYTES)
      return { kind: 'unknown', path, reason: 'JSON over 256 MiB: too large to look at whole' };
    return sniffJson((await readFile(abs, 'utf8')).replace(/^\ufeff/, '').trimStart(), path);
  }
  return sniffTable(parseTable(text, last?.toString('utf8')), path);
}

/**
 * A file that is not UTF-8: Amazon writes its reports for the Americas and Europe in
 * Windows-1252, and so does Excel's CSV on a Western Windows, so an FBA report or a delimited
 * file of positions or movements read so is proposed with that encoding (the plan asks to check
 * the accents); anything else stays unknown.
 */
function sniffLegacy(bytes: Buffer, path: string, last?: Buffer): Found {
  const found = sniffTable(parseTable(likelyText(bytes), last && likelyText(last)), path);
  if (
    found.kind === 'fba-inventory' ||
    found.kind === 'fba-ledger' ||
    found.kind === 'positions-csv' ||
    found.kind === 'movements-csv'
  )
    return { ...found, encoding: 'windows-1252' };
  return { kind: 'unknown', path, reason: 'not UTF-8 text' };
}

function sniffTable(table: Table, path: string): Found {
  const has = (...names: string[]) => names.every((n) => headerOf(table, n) !== undefined);
  if (table.header.length < 2) return { kind: 'unknown', path, reason: 'no delimited header' };
  if (has('afn-fulfillable-quantity', 'sku')) return { kind: 'fba-inventory', path, table };
  if (has('Event Type', 'FNSKU', 'Quantity')) return { kind: 'fba-ledger', path, table };
  if (has('item_code', 'warehouse', 'actual_qty', 'voucher_type'))
    return { kind: 'erpnext-sle', path, table };
  if (has('item_code', 'warehouse', 'actual_qty', 'projected_qty'))
    return { kind: 'erpnext-bin', path, table };
  if (has('item_code', 'item_group', 'stock_uom')) return { kind: 'erpnext-item', path, table };
  const sku = SKU_HEADERS.some((h) => has(h));
  const qty = QTY_HEADERS.some((h) => has(h));
  if (sku && qty && TYPE_HEADERS.some((h) => has(h)) && TIME_HEADERS.some((h) => has(h)))
    return { kind: 'movements-csv', path, table };
  // a movement's own number and no type or time Tally knows: read as a stock list, each
  // movement would be a position; asked instead
  const moveId = MOVE_NUMBER_HEADERS.find((h) => has(h));
  if (sku && qty && moveId)
    return {
      kind: 'unknown',
      path,
      reason: `rows with a movement number (${headerOf(table, moveId)}) but no type or time column Tally knows (${table.header.join(', ')}): map it as movements by hand (kind: events, columns type and occurredAt)`,
    };
  if (sku && qty && [...LOCATION_HEADERS, ...BIN_HEADERS].some((h) => has(h)))
    return { kind: 'positions-csv', path, table };
  return {
    kind: 'unknown',
    path,
    reason: `header not mapped (${table.header.slice(0, 6).join(', ')}…): say which column is the sku, the location and the quantity`,
  };
}

// the names ERP and WMS exports give these columns, in English and in the languages of the
// European exports Excel writes with semicolons (German, French, Spanish, Italian, Dutch)
export const SKU_HEADERS = [
  'sku',
  'item',
  'item_code',
  'product',
  'article',
  'msku',
  'artikel',
  'artikelnummer',
  'artikelnr',
  'materialnummer',
  // SAP's lists (MB51, MB52)
  'material',
  'artículo',
  'articolo',
];
export const QTY_HEADERS = [
  'qty',
  'quantity',
  'on_hand',
  'onhand',
  'menge',
  // SAP MB51: the quantity in the unit of entry
  'menge_in_erfassme',
  'qty_in_unit_of_entry',
  'bestand',
  'quantité',
  'cantidad',
  'quantità',
  'aantal',
];
export const TYPE_HEADERS = [
  'move_type',
  'movement_type',
  'txn_type',
  'type',
  'transaction_type',
  'event_type',
  // German, French, Spanish, Italian, Dutch ERP exports
  'bewegungsart',
  'buchungsart',
  'vorgangsart',
  'art',
  'type_mouvement',
  'tipo_movimiento',
  'tipo_movimento',
  'mutatiesoort',
];
export const TIME_HEADERS = [
  'moved_at',
  'occurred_at',
  'txn_time',
  'timestamp',
  'created_at',
  'buchungsdatum',
  'posting_date',
  'buchungszeit',
  'zeitpunkt',
  'datum',
  'date_mouvement',
  'fecha',
  'data_movimento',
];
/** A quantity's unit, as exports name its column (SAP's MB51: the unit of entry). */
export const UNIT_HEADERS = [
  'uom',
  'unit',
  'stock_uom',
  'einheit',
  'mengeneinheit',
  'erfassme',
  'unit_of_entry',
  'unité',
  'unidad',
];

/** Column names that number movements, never stock: a file with one is no stock list. */
const MOVE_NUMBER_HEADERS = [
  'move_id',
  'txn_id',
  'transaction_id',
  'event_id',
  'movement_id',
  'belegnummer',
  'materialbeleg',
  'material_document',
  'bewegungsnummer',
];

/** A movement's own number in such exports (sourceEventId). */
export const MOVE_ID_HEADERS = [
  'move_id',
  'txn_id',
  'transaction_id',
  'id',
  'event_id',
  'belegnummer',
  'beleg',
  'buchungsnummer',
  'bewegungsnummer',
  'materialbeleg',
  'numéro',
  'número',
  'numero',
];
export const BIN_HEADERS = ['bin', 'bin_code', 'slot', 'lagerplatz', 'emplacement', 'ubicación'];
export const LOCATION_HEADERS = [
  'location',
  'warehouse',
  'site',
  'store',
  'lager',
  'lagerort',
  'entrepôt',
  'almacén',
  'magazzino',
  'magazijn',
];

const NOT_ONE_DOCUMENT = (path: string): Found => ({
  kind: 'unknown',
  path,
  reason: 'JSON that does not parse (JSON Lines?)',
});

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function sniffJson(text: string, path: string): Found {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return NOT_ONE_DOCUMENT(path);
  }
  const pages = Array.isArray(value) ? value : [value];
  const items = pages.map(
    (p) => (p as { data?: { inventoryItems?: unknown } })?.data?.inventoryItems,
  );
  if (items.length === 0 || items.some((i) => i === undefined || i === null))
    return { kind: 'unknown', path, reason: 'JSON without data.inventoryItems' };
  const locations = new Map<string, Place>();
  const names = new Set<string>();
  for (const page of items) {
    for (const item of nodesOf(page)) {
      for (const level of nodesOf((item as { inventoryLevels?: unknown }).inventoryLevels)) {
        const l = level as { location?: { id?: string; name?: string }; quantities?: unknown[] };
        if (l.location?.id)
          locations.set(l.location.id, { code: l.location.id, name: l.location.name });
        for (const q of l.quantities ?? []) names.add(String((q as { name?: unknown }).name));
      }
    }
  }
  return {
    kind: 'shopify-graphql',
    path,
    locations: [...locations.values()],
    names: [...names].sort(),
  };
}

/** A GraphQL connection's nodes, in the `edges { node }` or the `nodes` form. */
export function nodesOf(connection: unknown): unknown[] {
  const c = connection as { edges?: { node: unknown }[]; nodes?: unknown[] } | undefined;
  return c?.nodes ?? c?.edges?.map((e) => e.node) ?? [];
}

function sniffX12(text: string, path: string): Found {
  const term = text.charAt(105) || '~';
  const segments = text
    .split(term)
    .map((s) => s.trim())
    .filter(Boolean);
  const sets = new Set<string>();
  const warehouses = new Map<string, Place>();
  const qualifiers = new Set<string>();
  const reasons = new Set<string>();
  const moves: Extract<Found, { kind: 'x12' }>['moves'] = [];
  let head: { set: string; date: string; ref: string; warehouse?: string } = {
    set: '',
    date: '',
    ref: '',
  };
  for (const seg of segments) {
    const el = seg.split('*');
    const d8 = (s = '') => `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
    if (el[0] === 'W17') head = { set: '944', date: d8(el[2]), ref: el[4] ?? '' };
    if (el[0] === 'W06') head = { set: '945', date: d8(el[3]), ref: el[2] ?? '' };
    if (el[0] === 'W07' && el[5]) moves.push({ ...head, sku: el[5], qty: Number(el[1]) });
    if (el[0] === 'W12' && el[8]) moves.push({ ...head, sku: el[8], qty: Number(el[3]) });
    if (el[0] === 'N1' && el[4]) head = { ...head, warehouse: el[4] };
    if (el[0] === 'ST') sets.add(el[1] ?? '');
    if (el[0] === 'N1' && (el[1] === 'WH' || el[1] === 'SF') && el[4])
      warehouses.set(el[4], { code: el[4], name: el[2] });
    if (el[0] === 'QTY' && el[1]) qualifiers.add(el[1]);
    if (el[0] === 'W19' && el[1]) reasons.add(el[1]);
  }
  if (sets.size === 0) return { kind: 'unknown', path, reason: 'X12 envelope without ST' };
  return {
    kind: 'x12',
    path,
    sets: [...sets].sort(),
    warehouses: [...warehouses.values()],
    qualifiers: [...qualifiers].sort(),
    reasons: [...reasons].sort(),
    moves,
  };
}

export { column };
