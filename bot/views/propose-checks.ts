/**
 * What a correction proposal is checked against before it reaches the engine: the systems the
 * exception compares (the sources of the rules that report the key), and a delta that closes
 * the system's difference from the ledger rather than widening or overshooting it.
 */
import type { ExceptionCard } from '../card.ts';
import { signed } from './format.ts';

export const ON_PURPOSE = { block: 'confirm', action: 'value', option: 'on_purpose' } as const;

/** The systems a correction of this exception may change: those its evidence compares. */
export function proposableSystems(c: ExceptionCard): string[] {
  const systems = Object.keys(c.evidence?.quantities ?? { [c.source]: 0 });
  if (!systems.includes(c.source)) systems.unshift(c.source);
  return systems;
}

/** The system's difference from the ledger (its quantity − expected), when the card knows it. */
function varianceOf(c: ExceptionCard, system: string): number | undefined {
  const ev = c.evidence;
  const q = ev?.quantities[system];
  if (ev && q !== undefined) return q - ev.expected;
  return system === c.source ? c.variance : undefined;
}

/**
 * Why this delta looks wrong for the system, or null: it moves the system away from the
 * ledger, overshoots it, or changes a system that already agrees.
 */
export function deltaQuestion(c: ExceptionCard, system: string, delta: number): string | null {
  const variance = varianceOf(c, system);
  if (variance === undefined) return null;
  const unit = c.evidence?.unit ?? 'units';
  const closing = -variance;
  const after = variance + delta;
  if (closing === 0)
    return `${system} already agrees with the ledger; ${signed(delta)} ${unit} would make it ${signed(after)} off.`;
  if (Math.sign(delta) !== Math.sign(closing))
    return (
      `${system} is ${signed(variance)} ${unit} against the ledger; ${signed(delta)} moves it ` +
      `further away (${signed(after)}). ${signed(closing)} closes it.`
    );
  if (Math.abs(delta) > Math.abs(closing))
    return (
      `${system} is ${signed(variance)} ${unit} against the ledger; ${signed(delta)} overshoots ` +
      `it (${signed(after)} the other way). ${signed(closing)} closes it.`
    );
  return null;
}
