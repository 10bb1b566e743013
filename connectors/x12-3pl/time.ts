/**
 * EDI dates and times are wall-clock values at the warehouse; the canonical model wants UTC.
 * Kept inside the connector because no connector may import another.
 */
import { InputError } from '../../engine/errors.ts';

function offsetMinutes(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

/** `20261120` + `1405` (HHMM, HHMMSS, optional) in `timeZone` → ISO UTC; undefined when bad. */
export function ediToUtcIso(
  date: string,
  time: string | undefined,
  timeZone: string,
  defaultMinutes = 0,
): string | undefined {
  const d = /^(\d{4})(\d{2})(\d{2})$/.exec(date) ?? /^(\d{2})(\d{2})(\d{2})$/.exec(date);
  if (!d) return undefined;
  const year = d[1]!.length === 2 ? 2000 + Number(d[1]) : Number(d[1]);
  let minutes = defaultMinutes;
  let seconds = 0;
  if (time) {
    const t = /^(\d{2})(\d{2})(\d{2})?\d*$/.exec(time);
    if (!t) return undefined;
    minutes = Number(t[1]) * 60 + Number(t[2]);
    seconds = Number(t[3] ?? 0);
  }
  const wall = Date.UTC(year, Number(d[2]) - 1, Number(d[3]), 0, minutes, seconds);
  if (Number.isNaN(wall)) return undefined;
  return wallToUtc(wall, timeZone);
}

/** A wall-clock instant (encoded as if it were UTC) in `timeZone` → ISO UTC. */
export function wallToUtc(wallMs: number, timeZone: string): string {
  try {
    const first = wallMs - offsetMinutes(wallMs, timeZone) * 60_000;
    const second = wallMs - offsetMinutes(first, timeZone) * 60_000;
    return new Date(second).toISOString();
  } catch (cause) {
    throw new InputError('X12_BAD_TIMEZONE', `unknown time zone "${timeZone}"`, undefined, {
      cause,
    });
  }
}
