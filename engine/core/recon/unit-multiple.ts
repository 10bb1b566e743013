/**
 * Whether a difference is a unit of measure read wrong: the source's quantity is the expected one
 * times or divided by a pack factor, or one movement was recorded in both systems under the same
 * reference with quantities a pack factor apart (two cases of 6 posted as 2 units) and that pair
 * is the whole difference.
 */
import type { Intake } from '../normalize/intake.ts';
import { packFactors } from '../normalize/units.ts';
import type { Unmatched } from '../match/match.ts';

type Share = { u: Unmatched; share: number };

export function isUnitMultiple(
  intake: Intake,
  sku: number,
  position: { expected: number; actual: number; src: number },
  unmatched: Share[],
): boolean {
  const factors = packFactors(intake.unitSpec(sku));
  const { expected, actual } = position;
  if (expected !== 0 && actual !== 0 && expected !== actual) {
    for (const f of factors) if (actual === expected * f || actual * f === expected) return true;
  }
  return mispackedPair(intake, factors, position, unmatched);
}

/** An unmatched event of this source and one of another, same reference and type, a factor apart. */
function mispackedPair(
  intake: Intake,
  factors: readonly number[],
  position: { expected: number; actual: number; src: number },
  unmatched: Share[],
): boolean {
  const ev = intake.events;
  const variance = position.actual - position.expected;
  if (variance === 0) return false;
  for (const a of unmatched) {
    const i = a.u.event;
    if (ev.src.get(i) !== position.src || ev.ref.get(i) < 0) continue;
    for (const b of unmatched) {
      const j = b.u.event;
      if (ev.src.get(j) === position.src || ev.ref.get(j) !== ev.ref.get(i)) continue;
      if (ev.type.get(j) !== ev.type.get(i) || a.share + b.share !== variance) continue;
      const [qi, qj] = [Math.abs(ev.qty.get(i)), Math.abs(ev.qty.get(j))];
      if (factors.some((f) => qi * f === qj || qj * f === qi)) return true;
    }
  }
  return false;
}
