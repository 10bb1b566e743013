/**
 * Moves between status buckets (status_change: available → damaged, quarantine → sellable) that
 * happened inside the posting lag between the book and a source: one of the two may not have
 * posted the move yet. Status moves are not matched across systems (a channel or an ERP often
 * learns statuses from a feed, without a document), so this looks at them directly.
 */
import type { Intake } from '../normalize/intake.ts';
import { createLagLookup } from '../match/windows.ts';
import { EVENT_TYPES } from '../model/types.ts';
import { effectOn } from './effects.ts';

const STATUS_CHANGE = EVENT_TYPES.indexOf('status_change');
const lags = new WeakMap<Intake, (a: string, b: string) => number>();

export type StatusMoveComparison = {
  cmp: number;
  bucket: number;
  src: number;
  sorIndex: number | undefined;
};

/**
 * The part of the comparison's variance such moves account for, signed like the unmatched
 * events' share: −effect for a move the book made (the source may not show it yet), +effect for
 * one only this source made; a move both recorded cancels out. 0 for the book's own comparison.
 */
export function statusMovesInWindowQuantity(
  intake: Intake,
  keyEvents: readonly number[],
  c: StatusMoveComparison,
  asOfMs: number,
): number {
  if (c.sorIndex === undefined || c.sorIndex === c.src) return 0;
  let lag = lags.get(intake);
  if (!lag) lags.set(intake, (lag = createLagLookup(intake.ruleset.timing)));
  const sources = intake.ctx.sources;
  const windowMs = lag(sources[c.sorIndex]!.def.id, sources[c.src]!.def.id) * 60_000;
  const ev = intake.events;
  let share = 0;
  for (const i of keyEvents) {
    if (ev.type.get(i) !== STATUS_CHANGE) continue;
    const occurred = ev.occurred.get(i);
    if (occurred > asOfMs || occurred + windowMs <= asOfMs) continue;
    const effect = effectOn(intake, i, c.cmp, c.bucket);
    if (ev.booked.get(i) === 1) share -= effect;
    else if (ev.src.get(i) === c.src) share += effect;
  }
  return share;
}
