/**
 * The intake's normalized event rows as MovementEvents, for the stored ledger (appendEvents):
 * the engine normalizes once, and what is stored is exactly what it reconciles.
 */
import type { Intake } from '../engine/core/normalize/intake.ts';
import { decodeAccount } from '../engine/core/model/accounts.ts';
import { EVENT_TYPES, type MovementEvent } from '../engine/core/model/types.ts';

export function movementsFrom(intake: Intake, fromRow: number): MovementEvent[] {
  const t = intake.events;
  const out: MovementEvent[] = [];
  const word = (id: number, values: { value(i: number): string }) =>
    id >= 0 ? values.value(id) : undefined;
  for (let row = fromRow; row < t.length; row++) {
    const e: MovementEvent = {
      source: intake.ctx.sources[t.src.get(row)]!.def.id,
      sourceEventId: t.id(row),
      type: EVENT_TYPES[t.type.get(row)]!,
      sku: intake.skus.value(t.sku.get(row)),
      from: decodeAccount(t.from.get(row), intake.locations),
      to: decodeAccount(t.to.get(row), intake.locations),
      quantity: Math.abs(t.qty.get(row)),
      occurredAt: new Date(t.occurred.get(row)).toISOString(),
      recordedAt: new Date(t.recorded.get(row)).toISOString(),
    };
    const rawFrom = word(t.rawFrom.get(row), intake.statuses);
    const rawTo = word(t.rawTo.get(row), intake.statuses);
    const reference = word(t.ref.get(row), intake.refs);
    const reasonCode = word(t.reason.get(row), intake.reasons);
    if (rawFrom) e.rawFromStatus = rawFrom;
    if (rawTo) e.rawToStatus = rawTo;
    if (reference) e.reference = reference;
    if (reasonCode) e.reasonCode = reasonCode;
    out.push(e);
  }
  return out;
}
