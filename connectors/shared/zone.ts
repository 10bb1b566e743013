/**
 * Local wall-clock time in an IANA time zone → UTC instant, with the platform's Intl data.
 * Intl is slow (microseconds per call), so the resolved offset is cached per zone and local
 * quarter-hour: every real zone changes its offset on a quarter-hour boundary, so one answer
 * holds for the whole quarter. A local time that occurs twice (clocks back) resolves to the
 * earlier instant; one that does not exist (clocks forward) is read with the offset from before
 * the change, i.e. moved forward — the "compatible" choice of Temporal and most libraries.
 */
const QUARTER_MS = 15 * 60_000;
const DAY_MS = 24 * 3_600_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
const resolved = new Map<string, Map<number, number>>();

export function isValidTimeZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** `localMs` is the wall-clock time written as if it were UTC (Date.UTC of its fields). */
export function localToUtcMs(zone: string, localMs: number): number {
  if (zone === 'UTC' || zone === 'Etc/UTC') return localMs;
  let byQuarter = resolved.get(zone);
  if (!byQuarter) {
    byQuarter = new Map();
    resolved.set(zone, byQuarter);
  }
  const quarter = Math.floor(localMs / QUARTER_MS);
  let offsetMs = byQuarter.get(quarter);
  if (offsetMs === undefined) {
    offsetMs = resolveOffsetMs(zone, quarter * QUARTER_MS);
    byQuarter.set(quarter, offsetMs);
  }
  return localMs - offsetMs;
}

/** Offsets a day either side bracket at most one change (no zone changes twice in two days). */
function resolveOffsetMs(zone: string, localMs: number): number {
  const before = offsetAtMs(zone, localMs - DAY_MS);
  const after = offsetAtMs(zone, localMs + DAY_MS);
  const beforeFits = offsetAtMs(zone, localMs - before) === before;
  const afterFits = offsetAtMs(zone, localMs - after) === after;
  if (beforeFits && afterFits) return Math.max(before, after);
  if (afterFits) return after;
  return before;
}

/** Offset (local − UTC) in force at a UTC instant. */
export function offsetAtMs(zone: string, utcMs: number): number {
  const parts = formatterFor(zone).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return local - Math.floor(utcMs / 1000) * 1000;
}

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}
