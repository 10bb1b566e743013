/**
 * Turns one row (delimited cells or a JSON object) into the engine's raw records, following the
 * FileMapping. Compiled once per file into a closure so the per-row work is a few getter calls,
 * a number parse and a (memoised) date parse. A row either yields all its records or none: the
 * reason it was refused is returned and the caller writes it to the rejects file.
 */
import { EVENT_TYPES } from '../../engine/core/model/types.ts';
import type { EventType, Item, RawEvent, RawPosition } from '../../engine/core/model/types.ts';
import type { FileMapping, SourceDef } from '../../engine/core/rules/types.ts';
import type { Sink } from '../types.ts';
import type { FieldGetters, Getter } from './columns.ts';
import { ALIAS_PREFIX, EVENT_FIELDS, ITEM_FIELDS, PACK_PREFIX, POSITION_FIELDS } from './fields.ts';
import { placeEvent } from './movement.ts';
import { rowHelpers as helpers } from './row-helpers.ts';

export const ACCEPTED = 0;
export const SKIPPED = 1;
/** ACCEPTED, SKIPPED (after the read's asOf), or the reason the row was rejected. */
export type RowOutcome = typeof ACCEPTED | typeof SKIPPED | string;
export type RowHandler<R> = (row: R, line: number) => RowOutcome;

export type RecordContext<R> = {
  source: SourceDef;
  mapping: FileMapping;
  fields: FieldGetters<R>;
  /** Wide files: raw status (the column's header) → cell getter. */
  statusColumns: [string, Getter<R>][];
  /** Canonical ISO; rows dated later are skipped. */
  asOfLimit?: string;
  sink: Sink;
  /** The file summary's notes: what a person should know of how the file was read. */
  notes?: string[];
};

const CANONICAL_TYPES = new Set<string>(EVENT_TYPES);
/** Movements whose stock leaves where they happen: written with a minus where signs say so. */
const OUTBOUND = new Set<string>(['shipment', 'transfer_out']);

export function compileRowHandler<R>(ctx: RecordContext<R>): RowHandler<R> {
  switch (ctx.mapping.kind) {
    case 'items':
      return itemHandler(ctx);
    case 'events':
      return eventHandler(ctx);
    default:
      return ctx.statusColumns.length ? widePositionHandler(ctx) : positionHandler(ctx);
  }
}

function positionHandler<R>(ctx: RecordContext<R>): RowHandler<R> {
  const h = helpers(ctx);
  const [sku, location, status, quantity, unit, asOf] = POSITION_FIELDS.map(h.g) as Getter<R>[];
  const emit = emitterFor(ctx);
  const source = ctx.source.id;
  const file = ctx.mapping.path;
  const parseAsOf = h.dateParser();
  return (row, line) => {
    const s = sku!(row);
    if (s === undefined) return h.missing('sku');
    const loc = location!(row);
    if (loc === undefined) return h.missing('location');
    const st = status!(row);
    if (st === undefined) return h.missing('status');
    const qText = quantity!(row);
    if (qText === undefined) return h.missing('quantity');
    const q = h.num(qText);
    if (q === undefined) return h.notNumber('quantity', qText);
    const aText = asOf!(row);
    if (aText === undefined) return h.missing('asOf');
    const at = parseAsOf(aText);
    if (at === undefined) return h.badDate('asOf', aText);
    if (ctx.asOfLimit !== undefined && at > ctx.asOfLimit) return SKIPPED;
    emit({
      source,
      sku: s,
      location: loc,
      status: st,
      quantity: q,
      unit: unit!(row),
      asOf: at,
      origin: { file, line },
    });
    return ACCEPTED;
  };
}

/**
 * One record per status column with a non-empty cell; a zero is a reported zero. A row whose
 * every status cell is empty says nothing of its stock (Shopify's `available: null`: the item is
 * not tracked there) and is refused, as a narrow file's row without a quantity is: its key is
 * then incomplete for that source, never silently absent from it.
 */
function widePositionHandler<R>(ctx: RecordContext<R>): RowHandler<R> {
  const h = helpers(ctx);
  const noQuantity = `no quantity in any status column (${ctx.statusColumns.map(([n]) => n).join(', ')})`;
  const [sku, location, unit, asOf] = ['sku', 'location', 'unit', 'asOf'].map(h.g) as Getter<R>[];
  const emit = emitterFor(ctx);
  const source = ctx.source.id;
  const file = ctx.mapping.path;
  const parseAsOf = h.dateParser();
  return (row, line) => {
    const s = sku!(row);
    if (s === undefined) return h.missing('sku');
    const loc = location!(row);
    if (loc === undefined) return h.missing('location');
    const aText = asOf!(row);
    if (aText === undefined) return h.missing('asOf');
    const at = parseAsOf(aText);
    if (at === undefined) return h.badDate('asOf', aText);
    const quantities: [string, number][] = [];
    for (const [status, cell] of ctx.statusColumns) {
      const text = cell(row);
      if (text === undefined) continue;
      const q = h.num(text);
      if (q === undefined) return `quantity in column ${status}: '${text}' is not a number`;
      quantities.push([status, q]);
    }
    if (quantities.length === 0) return noQuantity;
    if (ctx.asOfLimit !== undefined && at > ctx.asOfLimit) return SKIPPED;
    const u = unit!(row);
    for (const [status, q] of quantities) {
      emit({
        source,
        sku: s,
        location: loc,
        status,
        quantity: q,
        unit: u,
        asOf: at,
        origin: { file, line },
      });
    }
    return ACCEPTED;
  };
}

function emitterFor<R>(ctx: RecordContext<R>): (p: RawPosition) => void {
  const sink = ctx.sink;
  return ctx.mapping.kind === 'opening' ? (p) => sink.opening(p) : (p) => sink.position(p);
}

function eventHandler<R>(ctx: RecordContext<R>): RowHandler<R> {
  const h = helpers(ctx);
  const [
    id,
    type,
    sku,
    location,
    from,
    to,
    counterpart,
    quantity,
    unit,
    occurredAt,
    recordedAt,
    reference,
    reason,
    fromLocation,
    toLocation,
    counterpartReference,
  ] = EVENT_FIELDS.map(h.g) as Getter<R>[];
  const typeMap = new Map(Object.entries(ctx.mapping.typeMap ?? {}));
  const signed = ctx.mapping.signedQuantity !== undefined && ctx.mapping.signedQuantity !== false;
  // 'stock': the sign says where the stock went, so an outbound movement's is a minus
  const stockSigned = ctx.mapping.signedQuantity === 'stock';
  const parseOccurred = h.dateParser();
  const parseRecorded = h.dateParser();
  const source = ctx.source.id;
  const file = ctx.mapping.path;
  const sink = ctx.sink;
  return (row, line) => {
    const sourceEventId = id!(row);
    if (sourceEventId === undefined) return h.missing('sourceEventId');
    const word = type!(row);
    if (word === undefined) return h.missing('type');
    const t = typeMap.get(word) ?? (CANONICAL_TYPES.has(word) ? word : undefined);
    if (t === undefined) return `unknown event type '${word}'`;
    const s = sku!(row);
    if (s === undefined) return h.missing('sku');
    const loc = location!(row);
    const fromLoc = fromLocation!(row);
    const toLoc = toLocation!(row);
    if (loc === undefined && fromLoc === undefined && toLoc === undefined) {
      return h.missing(ctx.fields.get.has('location') ? 'location' : 'fromLocation');
    }
    const qText = quantity!(row);
    if (qText === undefined) return h.missing('quantity');
    const read = h.num(qText);
    if (read === undefined) return h.notNumber('quantity', qText);
    const q = stockSigned && OUTBOUND.has(t) && read !== 0 ? -read : read;
    if (q < 0 && !signed) return h.negative('quantity', qText);
    const oText = occurredAt!(row);
    if (oText === undefined) return h.missing('occurredAt');
    const occurred = parseOccurred(oText);
    if (occurred === undefined) return h.badDate('occurredAt', oText);
    const rText = recordedAt!(row);
    const recorded = rText === undefined ? undefined : parseRecorded(rText);
    if (rText !== undefined && recorded === undefined) return h.badDate('recordedAt', rText);
    if (q >= 0 && loc !== undefined) {
      // the usual row, one event where it happened: what placeEvent gives, without its objects
      if (ctx.asOfLimit !== undefined && occurred > ctx.asOfLimit) return SKIPPED;
      const event: RawEvent = {
        source,
        sourceEventId,
        type: t as EventType,
        sku: s,
        location: loc,
        fromStatus: from!(row),
        toStatus: to!(row),
        counterpartLocation: counterpart!(row),
        quantity: q,
        unit: unit!(row),
        occurredAt: occurred,
        recordedAt: recorded,
        reference: reference!(row),
        reasonCode: reason!(row),
        origin: { file, line },
      };
      const xref = counterpartReference!(row);
      if (xref !== undefined) event.counterpartReference = xref;
      sink.event(event);
      return ACCEPTED;
    }
    const placed = placeEvent({
      type: t as EventType,
      quantity: q,
      location: loc,
      fromLocation: fromLoc,
      toLocation: toLoc,
      counterpartLocation: counterpart!(row),
      fromStatus: from!(row),
      toStatus: to!(row),
    });
    if (typeof placed === 'string') return `quantity (${qText}): ${placed}`;
    if (ctx.asOfLimit !== undefined && occurred > ctx.asOfLimit) return SKIPPED;
    const ref = reference!(row);
    const xref = counterpartReference!(row);
    for (const leg of placed) {
      const event: RawEvent = {
        source,
        sourceEventId: leg.suffix ? `${sourceEventId}${leg.suffix}` : sourceEventId,
        type: leg.type,
        sku: s,
        location: leg.location,
        fromStatus: leg.fromStatus,
        toStatus: leg.toStatus,
        counterpartLocation: leg.counterpartLocation,
        quantity: leg.quantity,
        unit: unit!(row),
        occurredAt: occurred,
        recordedAt: recorded,
        // the two legs of one movement row pair in transit by their shared reference
        reference: ref ?? (placed.length > 1 ? sourceEventId : undefined),
        reasonCode: reason!(row),
        origin: { file, line },
      };
      if (xref !== undefined) event.counterpartReference = xref;
      sink.event(event);
    }
    return ACCEPTED;
  };
}

/**
 * Item master rows. Pack sizes come from `pack:<unit>` columns (a case-pack column) or from a
 * `packUnit` / `packFactor` pair, one pack per row: ERPNext's UOM Conversion Detail exports
 * each further pack of an item on a row of its own whose item columns are empty (Data
 * Export) or repeated (Report view); either continues the item above.
 */
function itemHandler<R>(ctx: RecordContext<R>): RowHandler<R> {
  const h = helpers(ctx);
  const [sku, skuClass, category, baseUnit, unitCost, packUnit, packFactor] = ITEM_FIELDS.map(
    h.g,
  ) as Getter<R>[];
  const prefixed = (prefix: string) =>
    [...ctx.fields.get]
      .filter(([field]) => field.startsWith(prefix))
      .map(([field, getter]) => [field.slice(prefix.length), getter] as const);
  const aliases = prefixed(ALIAS_PREFIX);
  const packColumns = prefixed(PACK_PREFIX);
  const longPacks = ctx.fields.get.has('packUnit');
  const sink = ctx.sink;
  const source = ctx.source.id;
  const file = ctx.mapping.path;
  let last: Item | undefined;

  const packSize = (field: string, text: string): number | string => {
    const n = h.num(text);
    if (n === undefined) return h.notNumber(field, text);
    if (!(n > 0)) return `${h.label(field)}: '${text}' is not a positive pack size`;
    return n;
  };
  /** The row's pack sizes, or the reason the row is refused. */
  const packsOf = (row: R): Record<string, number> | string | undefined => {
    let packs: Record<string, number> | undefined;
    for (const [unit, getter] of packColumns) {
      const text = getter(row);
      if (text === undefined) continue;
      const size = packSize(`${PACK_PREFIX}${unit}`, text);
      if (typeof size === 'string') return size;
      (packs ??= {})[unit] = size;
    }
    if (!longPacks) return packs;
    const unit = packUnit!(row);
    const text = packFactor!(row);
    if (unit === undefined && text === undefined) return packs;
    if (unit === undefined) return h.missing('packUnit');
    if (text === undefined) return h.missing('packFactor');
    const size = packSize('packFactor', text);
    if (typeof size === 'string') return size;
    return { ...packs, [unit]: size };
  };

  return (row, line) => {
    const packs = packsOf(row);
    if (typeof packs === 'string') return packs;
    const s = sku!(row);
    if (s === undefined || s === last?.sku) {
      if (s === undefined && (!longPacks || last === undefined)) return h.missing('sku');
      if (packs === undefined) return s === undefined ? h.missing('packUnit') : ACCEPTED;
      last = { ...last!, packs: { ...last!.packs, ...packs }, origin: { file, line } };
      sink.item(last);
      return ACCEPTED;
    }
    const cls = skuClass!(row);
    if (cls === undefined) return h.missing('skuClass');
    const costText = unitCost!(row);
    const cost = costText === undefined ? undefined : h.decimal(costText);
    if (costText !== undefined && cost === undefined) return h.notNumber('unitCost', costText);
    if (cost !== undefined && cost.startsWith('-')) return h.negative('unitCost', costText!);
    let found: Record<string, string> | undefined;
    for (const [sourceId, getter] of aliases) {
      const alias = getter(row);
      if (alias !== undefined) (found ??= {})[sourceId] = alias;
    }
    last = {
      sku: s,
      skuClass: cls,
      category: category!(row),
      baseUnit: baseUnit!(row),
      unitCost: cost,
      aliases: found,
      packs,
      source,
      origin: { file, line },
    };
    sink.item(last);
    return ACCEPTED;
  };
}
