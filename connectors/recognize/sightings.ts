/**
 * Movements as each system recorded them, keyed by (reference, sku, quantity), and the lags
 * between systems that recorded the same one: the basis of the proposed posting lags and
 * in-transit windows. Times are wall clock; lags are differences, so a shared zone cancels.
 */
import type { Sighting } from './types.ts';

export type Lag = { from: string; to: string; minutes: number[]; dateOnly: boolean };

/**
 * Where a run places a movement known by its date only: at the source's daily cut-off (the
 * connectors read a date-only document at `cutoff`, which `tally init` writes as 23:00). A lag
 * is measured from there too, so the window proposed is the one the run will apply.
 */
export const DATE_ONLY_AT_MINUTES = 23 * 60;
export type Transit = { from: string; to: string; hours: number[] };

const ms = (at: string) => Date.parse(`${at.replace(' ', 'T')}:00Z`);

export function measureLags(sightings: Sighting[]): { lags: Lag[]; transits: Transit[] } {
  const byKey = new Map<string, Sighting[]>();
  for (const s of sightings) {
    if (!s.reference) continue;
    const key = `${s.reference}|${s.sku}|${Math.abs(s.quantity)}`;
    byKey.set(key, [...(byKey.get(key) ?? []), s]);
  }
  const lags = new Map<string, Lag>();
  const transits = new Map<string, Transit>();
  for (const group of byKey.values()) {
    const systems = [...new Set(group.map((g) => g.system))];
    if (systems.length < 2) continue;
    const first = (sys: string) => group.find((g) => g.system === sys)!;
    const out = group.find((g) => g.leg === 'out' && g.location);
    const arrived = group.find((g) => g.leg === 'in' && g.location && g.location !== out?.location);
    if (out && arrived) {
      const key = `${out.location}>${arrived.location}`;
      const t = transits.get(key) ?? { from: out.location!, to: arrived.location!, hours: [] };
      t.hours.push(Math.max(0, (ms(arrived.at) - ms(out.at)) / 3_600_000));
      transits.set(key, t);
    }
    const [a, b] = systems.map(first).sort((x, y) => ms(x.at) - ms(y.at)) as [Sighting, Sighting];
    if (a.leg || b.leg) continue;
    // the physical system (the earlier one) books first; the later one posts after a lag
    const key = `${a.system}>${b.system}`;
    const lag = lags.get(key) ?? { from: a.system, to: b.system, minutes: [], dateOnly: false };
    lag.minutes.push(Math.max(0, (placed(b) - placed(a)) / 60_000));
    lag.dateOnly ||= Boolean(a.dateOnly || b.dateOnly);
    lags.set(key, lag);
  }
  return { lags: [...lags.values()], transits: [...transits.values()] };
}

/** A sighting's time as the run places it (a date-only one at the cut-off of its day). */
const placed = (s: Sighting) => ms(s.at) + (s.dateOnly ? DATE_ONLY_AT_MINUTES * 60_000 : 0);

export const PERCENTILE = 95;

/** Nearest-rank percentile. */
export function percentile(values: number[], p = PERCENTILE): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export const roundUpTo = (value: number, step: number) =>
  Math.max(step, Math.ceil(value / step) * step);
