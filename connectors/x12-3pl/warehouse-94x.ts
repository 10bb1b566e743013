/**
 * 944 receipt, 945 shipment and 947 adjustment advice → movement events. Each event id is
 * built from the warehouse's document number and the line's ordinal so that a resent file
 * yields the same ids (the ledger is idempotent on source event id).
 */
import type { RawEvent } from '../../engine/core/model/types.ts';
import { ediToUtcIso } from './time.ts';
import { readW19, type W19Rule } from './reasons.ts';
import { LAYOUTS } from './layout.ts';
import { SetError, el, productId, quantity, requireSegment, unit, warehouse } from './segments.ts';
import type { Seg, SetContext } from './segments.ts';
import type { X12Statuses } from './settings.ts';

/** W13-03 receiving conditions that put received units in another status. */
const W13_STATUS: Record<string, 'damaged' | 'hold'> = {
  '01': 'damaged',
  '04': 'damaged',
  '09': 'hold',
};

function when(date: string, time: string | undefined, ctx: SetContext, at: Seg): string {
  const iso = ediToUtcIso(date, time, ctx.timezone);
  if (!iso) throw new SetError(`${at.tag} date ${JSON.stringify(date)} is not CCYYMMDD`, at.line);
  return iso;
}

function base(ctx: SetContext, seg: Seg) {
  return { source: ctx.source, origin: { file: ctx.file, line: seg.line } };
}

function checkTotal(segments: Seg[], tag: string, lines: number, stLine: number): void {
  const total = segments.find((s) => s.tag === tag);
  if (!total || el(total, 1) === '') return;
  const stated = quantity(total, 1);
  if (stated !== lines)
    throw new SetError(
      `${tag}-01 total ${stated} does not match the sum of the lines (${lines})`,
      total.line || stLine,
    );
}

export function parse944(segments: Seg[], ctx: SetContext, stLine: number): RawEvent[] {
  const w17 = requireSegment(segments, 'W17', stLine);
  const receiptNo = el(w17, 3);
  if (!receiptNo) throw new SetError('W17-03 warehouse receipt number is empty', w17.line);
  const occurredAt = when(el(w17, 2), el(w17, 7) || undefined, ctx, w17);
  const location = warehouse(segments, LAYOUTS['944'].entities, ctx, w17);
  const reference = el(w17, 4) || receiptNo;
  const { statuses } = ctx.settings;
  const events: RawEvent[] = [];
  let line: { sku: string; n: number; exceptions: number } | undefined;
  let received = 0;
  let ordinal = 0;
  for (const seg of segments) {
    if (seg.tag === 'W07') {
      const qty = quantity(seg, 1);
      received += qty;
      line = {
        sku: productId(seg, LAYOUTS['944'].pairs, ctx, LAYOUTS['944'].upcAt),
        n: ++ordinal,
        exceptions: 0,
      };
      if (qty === 0) continue;
      events.push({
        ...base(ctx, seg),
        sourceEventId: `944:${receiptNo}:${line.n}`,
        type: qty > 0 ? 'receipt' : 'adjustment',
        sku: line.sku,
        location,
        ...(qty > 0 ? { toStatus: statuses.available } : { fromStatus: statuses.available }),
        quantity: Math.abs(qty),
        unit: unit(seg, 2, ctx),
        occurredAt,
        reference,
      });
    }
    if (seg.tag !== 'W13') continue;
    if (!line) throw new SetError('W13 exception before any W07 line', seg.line);
    const into = W13_STATUS[el(seg, 3)];
    line.exceptions++;
    if (!into) continue; // short/over/wrong product: W07 already states what arrived
    events.push({
      ...base(ctx, seg),
      sourceEventId: `944:${receiptNo}:${line.n}:W13:${line.exceptions}`,
      type: 'status_change',
      sku: line.sku,
      location,
      fromStatus: statuses.available,
      toStatus: statuses[into],
      quantity: Math.abs(quantity(seg, 1)),
      unit: unit(seg, 2, ctx),
      occurredAt,
      reference,
      reasonCode: into === 'damaged' ? 'DAMAGED_IN_TRANSIT' : 'PUT_ON_HOLD',
    });
  }
  checkTotal(segments, 'W14', received, stLine);
  return events;
}

export function parse945(segments: Seg[], ctx: SetContext, stLine: number): RawEvent[] {
  const w06 = requireSegment(segments, 'W06', stLine);
  const orderNo = el(w06, 2);
  const shipmentNo = el(w06, 4) || orderNo;
  if (!shipmentNo)
    throw new SetError('W06 has neither W06-04 shipment id nor W06-02 order number', w06.line);
  const occurredAt = when(el(w06, 3), undefined, ctx, w06);
  const location = warehouse(segments, LAYOUTS['945'].entities, ctx, w06);
  const events: RawEvent[] = [];
  let shipped = 0;
  let ordinal = 0;
  for (const seg of segments) {
    if (seg.tag !== 'W12') continue;
    const qty = el(seg, 3) === '' ? 0 : quantity(seg, 3);
    shipped += qty;
    ordinal++;
    if (qty === 0) continue; // ordered but not shipped (W12-01 status tells why)
    events.push({
      ...base(ctx, seg),
      sourceEventId: `945:${shipmentNo}:${ordinal}`,
      type: 'shipment',
      sku: productId(seg, LAYOUTS['945'].pairs, ctx, LAYOUTS['945'].upcAt),
      location,
      fromStatus: ctx.settings.statuses.available,
      quantity: Math.abs(qty),
      unit: unit(seg, 5, ctx),
      occurredAt,
      reference: orderNo || shipmentNo,
    });
  }
  checkTotal(segments, 'W03', shipped, stLine);
  return events;
}

export function parse947(segments: Seg[], ctx: SetContext, stLine: number): RawEvent[] {
  const w15 = requireSegment(segments, 'W15', stLine);
  const adjustmentNo = el(w15, 2) || ctx.controlId;
  const occurredAt = when(el(w15, 1), undefined, ctx, w15);
  const location = warehouse(segments, LAYOUTS['947'].entities, ctx, w15);
  const { statuses } = ctx.settings;
  const events: RawEvent[] = [];
  let ordinal = 0;
  for (const seg of segments) {
    if (seg.tag !== 'W19') continue;
    ordinal++;
    const code = el(seg, 1);
    const rule = readW19(code, ctx.settings.reasonCodes);
    if (!rule)
      throw new SetError(
        `W19-01 reason code ${JSON.stringify(code)} is not a known adjustment reason (add it to settings.reasonCodes)`,
        seg.line,
      );
    const qty = quantity(seg, 2);
    if (qty === 0) continue;
    const move = movement(rule, qty, statuses);
    events.push({
      ...base(ctx, seg),
      sourceEventId: `947:${adjustmentNo}:${ordinal}`,
      ...move,
      sku: productId(seg, LAYOUTS['947'].pairs, ctx, LAYOUTS['947'].upcAt),
      location,
      quantity: Math.abs(qty),
      unit: unit(seg, 3, ctx),
      occurredAt,
      reference: el(w15, 3) || adjustmentNo,
      reasonCode: rule.reason,
    });
  }
  return events;
}

/** How a W19 line moves stock between the source's raw statuses. */
function movement(rule: W19Rule, qty: number, statuses: X12Statuses) {
  const from = statuses[rule.from ?? 'available'];
  const to = statuses[rule.to ?? 'available'];
  switch (rule.action) {
    case 'status_move':
      return { type: 'status_change' as const, fromStatus: from, toStatus: to };
    case 'write_off':
      return { type: 'adjustment' as const, fromStatus: from };
    case 'found':
      return { type: 'adjustment' as const, toStatus: to };
    default:
      return qty > 0
        ? { type: 'adjustment' as const, toStatus: statuses.available }
        : { type: 'adjustment' as const, fromStatus: statuses.available };
  }
}
