/**
 * GET_LEDGER_DETAIL_VIEW_DATA as movement events. The sign of Quantity gives the direction:
 * negative leaves the row's Disposition, positive enters it. Adjustments that come in pairs
 * (one disposition −n, another +n, same day, item and fulfilment centre) are one
 * status_change, not a loss and a find. Only the documented halves pair (a 6/7/E/H/K/U
 * decrease with a P increase); the pair's reason is the decrease's. Halves still waiting for
 * their partner are held until the end of the file, then read as plain adjustments.
 */
import type { EventType, RawEvent } from '../../engine/core/model/types.ts';
import type { TextEncoding } from '../shared/encoding.ts';
import type { FileSummary, Sink } from '../types.ts';
import { isDispositionChangeHalf, tallyReason } from './reasons.ts';
import {
  cell,
  columnKey,
  parseInteger,
  requireColumns,
  streamTsv,
  type Header,
  type TsvRow,
} from './tsv.ts';

export const REQUIRED_LEDGER_COLUMNS = [
  'Date',
  'FNSKU',
  'MSKU',
  'Event Type',
  'Reference ID',
  'Quantity',
  'Fulfillment Center',
  'Disposition',
];

export type LedgerRow = {
  line: number;
  raw: string;
  occurredAt: string;
  fnsku: string;
  msku: string;
  eventType: string;
  referenceId: string;
  quantity: number;
  fc: string;
  disposition: string;
  reason?: string;
};

export type LedgerReportOptions = {
  sourceId: string;
  path: string;
  displayName: string;
  fulfillmentCenterMap?: Map<string, string>;
  asOf?: string;
  encoding?: TextEncoding;
  signal?: AbortSignal;
};

const EVENT_TYPES: Record<string, (q: number) => EventType> = {
  shipments: () => 'shipment',
  receipts: () => 'receipt',
  customerreturns: () => 'return',
  whsetransfers: (q) => (q < 0 ? 'transfer_out' : 'transfer_in'),
  // Removal orders returned to the seller leave the network like a shipment.
  vendorreturns: () => 'shipment',
  adjustments: () => 'adjustment',
};

export async function readLedgerReport(
  opts: LedgerReportOptions,
  sink: Sink,
): Promise<FileSummary> {
  const summary: FileSummary = {
    file: opts.displayName,
    sha256: '',
    read: 0,
    accepted: 0,
    rejected: 0,
  };
  const pending = new Map<string, LedgerRow[]>();
  const seenIds = new Map<string, number>();
  const location = (fc: string) => opts.fulfillmentCenterMap?.get(fc) ?? fc;
  const uniqueId = (base: string) => {
    // Identical rows do occur (two units, two lines); number repeats so ids stay stable per file.
    const n = (seenIds.get(base) ?? 0) + 1;
    seenIds.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  };
  const emit = (e: Omit<RawEvent, 'source' | 'sourceEventId'>, idBase: string) =>
    sink.event({
      source: opts.sourceId,
      sourceEventId: uniqueId(idBase),
      ...e,
      origin: { file: opts.displayName, line: e.origin?.line ?? 0 },
    });

  const onRow = (row: TsvRow, h: Header) => {
    summary.read++;
    const parsed = parseRow(row, h);
    if (typeof parsed === 'string') {
      summary.rejected++;
      sink.reject({
        file: opts.displayName,
        line: row.line,
        reason: parsed,
        raw: row.raw,
        source: opts.sourceId,
        kind: 'events',
        ...keyOf(row, h, location),
      });
      return;
    }
    if (opts.asOf && parsed.occurredAt > opts.asOf) return;
    summary.accepted++;
    const typeOf = EVENT_TYPES[columnKey(parsed.eventType)]!;
    if (
      typeOf(parsed.quantity) === 'adjustment' &&
      isDispositionChangeHalf(parsed.reason, parsed.quantity)
    ) {
      const partner = takePartner(pending, parsed);
      if (partner) emit(statusChange(partner, parsed, location), pairId(partner, parsed));
      return;
    }
    emit(movement(parsed, typeOf(parsed.quantity), location), rowId(parsed));
  };

  const done = await streamTsv(
    opts.path,
    opts.displayName,
    (h) => requireColumns(h, REQUIRED_LEDGER_COLUMNS, opts.displayName),
    onRow,
    opts.signal,
    opts.encoding,
  );
  for (const rows of pending.values()) {
    for (const r of rows) emit(movement(r, 'adjustment', location), rowId(r));
  }
  return { ...summary, sha256: done.sha256 };
}

/** The key of a refused row, when its MSKU and fulfilment centre can still be read. */
function keyOf(row: TsvRow, h: Header, location: (fc: string) => string) {
  const sku = cell(h, row, 'MSKU');
  const fc = cell(h, row, 'Fulfillment Center');
  return sku && fc ? { sku, location: location(fc) } : {};
}

function parseRow(row: TsvRow, h: Header): LedgerRow | string {
  if (row.problem) return row.problem;
  if (row.cells.length !== h.names.length) {
    return `expected ${h.names.length} tab-separated fields, found ${row.cells.length}`;
  }
  const get = (name: string) => cell(h, row, name) ?? '';
  for (const name of ['MSKU', 'FNSKU', 'Fulfillment Center', 'Disposition', 'Event Type']) {
    if (get(name) === '') return `${name} is empty`;
  }
  const eventType = get('Event Type');
  if (!(columnKey(eventType) in EVENT_TYPES)) {
    return `Event Type "${eventType}" is not one of Shipments, Receipts, CustomerReturns, WhseTransfers, VendorReturns, Adjustments`;
  }
  const quantity = parseInteger(get('Quantity'));
  if (quantity === undefined || quantity === 0) {
    return `Quantity: expected a non-zero whole number, got "${get('Quantity')}"`;
  }
  const occurredAt = parseLedgerDate(cell(h, row, 'Date and Time') || get('Date'));
  if (occurredAt === undefined) {
    return `Date: expected MM/DD/YYYY, YYYY-MM-DD or an ISO date-time, got "${get('Date')}"`;
  }
  return {
    line: row.line,
    raw: row.raw,
    occurredAt,
    fnsku: get('FNSKU'),
    msku: get('MSKU'),
    eventType,
    referenceId: get('Reference ID'),
    quantity,
    fc: get('Fulfillment Center'),
    disposition: get('Disposition').toUpperCase(),
    reason: cell(h, row, 'Reason') || undefined,
  };
}

/** Amazon writes the day as MM/DD/YYYY in downloads and YYYY-MM-DD through the API; both UTC. */
export function parseLedgerDate(text: string): string | undefined {
  const us = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text);
  const iso = us
    ? `${us[3]}-${us[1]}-${us[2]}T00:00:00Z`
    : /^\d{4}-\d{2}-\d{2}$/.test(text)
      ? `${text}T00:00:00Z`
      : text;
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso)) return undefined;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return undefined;
  const out = new Date(ms).toISOString();
  // Reject impossible days such as 02/30/2026, which Date silently rolls over.
  if (us && out.slice(0, 10) !== `${us[3]}-${us[1]}-${us[2]}`) return undefined;
  return out;
}

function pairKey(r: LedgerRow): string {
  return [r.occurredAt.slice(0, 10), r.msku, r.fnsku, r.fc, Math.abs(r.quantity)].join('\u0000');
}

function takePartner(pending: Map<string, LedgerRow[]>, row: LedgerRow): LedgerRow | undefined {
  const key = pairKey(row);
  const rows = pending.get(key) ?? [];
  const i = rows.findIndex(
    (r) => Math.sign(r.quantity) !== Math.sign(row.quantity) && r.disposition !== row.disposition,
  );
  if (i === -1) {
    rows.push(row);
    pending.set(key, rows);
    return undefined;
  }
  const [partner] = rows.splice(i, 1);
  if (rows.length === 0) pending.delete(key);
  return partner;
}

function rowId(r: LedgerRow): string {
  return [
    r.occurredAt.slice(0, 10),
    r.eventType,
    r.referenceId,
    r.fnsku,
    r.fc,
    r.disposition,
    r.quantity,
  ].join(':');
}

function pairId(a: LedgerRow, b: LedgerRow): string {
  const [out, into] = a.quantity < 0 ? [a, b] : [b, a];
  return `${rowId(out)}>${into.disposition}:${into.referenceId}`;
}

function movement(
  r: LedgerRow,
  type: EventType,
  location: (fc: string) => string,
): Omit<RawEvent, 'source' | 'sourceEventId'> {
  return {
    type,
    sku: r.msku,
    location: location(r.fc),
    ...(r.quantity < 0 ? { fromStatus: r.disposition } : { toStatus: r.disposition }),
    quantity: Math.abs(r.quantity),
    occurredAt: r.occurredAt,
    reference: r.referenceId || undefined,
    reasonCode: type === 'adjustment' ? tallyReason(r.reason) : undefined,
    origin: { file: '', line: r.line },
  };
}

function statusChange(
  a: LedgerRow,
  b: LedgerRow,
  location: (fc: string) => string,
): Omit<RawEvent, 'source' | 'sourceEventId'> {
  const [out, into] = a.quantity < 0 ? [a, b] : [b, a];
  return {
    type: 'status_change',
    sku: out.msku,
    location: location(out.fc),
    fromStatus: out.disposition,
    toStatus: into.disposition,
    quantity: Math.abs(out.quantity),
    occurredAt: out.occurredAt < into.occurredAt ? into.occurredAt : out.occurredAt,
    reference: out.referenceId || into.referenceId || undefined,
    reasonCode: tallyReason(out.reason) ?? tallyReason(into.reason),
    origin: { file: '', line: Math.min(out.line, into.line) },
  };
}
