/**
 * 846 Inventory Inquiry/Advice → positions. BIA04/BIA05 give the as-of; each LIN starts an
 * item (product id pairs from LIN02/LIN03 on); each QTY under it is one raw status named by
 * its qualifier (QTY01: 17 on hand, 33 available for sale, 63 on order, BQ backorder …),
 * quantity QTY02, unit the first component of QTY03.
 */
import type { RawPosition } from '../../engine/core/model/types.ts';
import { ediToUtcIso } from './time.ts';
import { SetError, el, productId, quantity, requireSegment, unit, warehouse } from './segments.ts';
import type { Seg, SetContext } from './segments.ts';
import { LAYOUTS } from './layout.ts';

const LAYOUT = LAYOUTS['846'];

export function parse846(segments: Seg[], ctx: SetContext, stLine: number): RawPosition[] {
  const bia = requireSegment(segments, 'BIA', stLine);
  const asOf = ediToUtcIso(el(bia, 4), el(bia, 5) || undefined, ctx.timezone, ctx.cutoffMinutes);
  if (!asOf)
    throw new SetError(
      `BIA04/BIA05 date ${el(bia, 4)} ${el(bia, 5)} is not CCYYMMDD/HHMM`,
      bia.line,
    );
  const location = warehouse(segments, LAYOUT.entities, ctx, bia);
  const positions: RawPosition[] = [];
  let sku: string | undefined;
  for (const seg of segments) {
    if (seg.tag === 'LIN') sku = productId(seg, LAYOUT.pairs, ctx);
    if (seg.tag !== 'QTY') continue;
    if (!sku) throw new SetError('QTY before any LIN item', seg.line);
    const status = el(seg, 1);
    if (!status) throw new SetError('QTY01 quantity qualifier is empty', seg.line);
    positions.push({
      source: ctx.source,
      sku,
      location,
      status,
      quantity: quantity(seg, 2),
      unit: unit(seg, 3, ctx),
      asOf,
      origin: { file: ctx.file, line: seg.line },
    });
  }
  return positions;
}
