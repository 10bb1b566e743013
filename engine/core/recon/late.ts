/**
 * Late events: recorded after the cutoff of the (local) day they occurred on. Computed only for
 * the few keys that differ, so Intl's cost does not matter.
 */
import type { SourceDef } from '../rules/types.ts';

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
/** Offsets change on hour boundaries at most: cache per zone and hour. */
const offsets = new Map<string, Map<number, number>>();

function offsetMs(timeZone: string, ms: number): number {
  const hour = Math.floor(ms / 3_600_000);
  let zone = offsets.get(timeZone);
  if (!zone || zone.size > 100_000) {
    zone = new Map();
    offsets.set(timeZone, zone);
  }
  let offset = zone.get(hour);
  if (offset === undefined) {
    offset = computeOffset(timeZone, ms);
    zone.set(hour, offset);
  }
  return offset;
}

function computeOffset(timeZone: string, ms: number): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, Number(x.value)]));
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return wall - Math.floor(ms / 1000) * 1000;
}

/** Wall-clock milliseconds in the source's time zone (UTC when the zone is unknown). */
function wall(source: SourceDef, ms: number): number {
  try {
    return ms + offsetMs(source.timezone, ms);
  } catch {
    return ms;
  }
}

export function isLate(source: SourceDef, occurredMs: number, recordedMs: number): boolean {
  if (recordedMs <= occurredMs) return false;
  const occurred = wall(source, occurredMs);
  const dayStart = Math.floor(occurred / DAY_MS) * DAY_MS;
  let cutoff = dayStart + source.cutoffMinutes * 60_000;
  if (occurred > cutoff) cutoff += DAY_MS;
  return wall(source, recordedMs) > cutoff;
}
