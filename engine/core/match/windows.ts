/** Posting-lag and in-transit windows from the TimingWindows rules. */
import type { TimingWindows } from '../rules/types.ts';

export function createLagLookup(timing: TimingWindows) {
  const pairs = new Map<string, number>();
  for (const p of timing.postingLag) pairs.set(`${p.from}|${p.to}`, p.minutes);
  /** Minutes `b` may lag `a` for the same movement (declared in either direction). */
  return (a: string, b: string): number =>
    pairs.get(`${a}|${b}`) ?? pairs.get(`${b}|${a}`) ?? timing.defaultPostingLagMinutes;
}

export function createTransitLookup(timing: TimingWindows) {
  /** Hours a transfer from → to may stay in transit; the most specific window wins. */
  return (from: string, to: string): number => {
    let best = timing.defaultInTransitHours;
    let bestScore = 0;
    for (const w of timing.inTransitHours) {
      if ((w.from && w.from !== from) || (w.to && w.to !== to)) continue;
      const score = (w.from ? 1 : 0) + (w.to ? 1 : 0) + 0.5;
      if (score > bestScore) {
        best = w.hours;
        bestScore = score;
      }
    }
    return best;
  };
}
