/** EDI dates and times are wall-clock values at the warehouse; the canonical model wants UTC. */
import { InputError } from '../../engine/core/errors.ts';
import { localToUtcMs } from '../shared/zone.ts';

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
    return new Date(localToUtcMs(timeZone, wallMs)).toISOString();
  } catch (cause) {
    throw new InputError('X12_BAD_TIMEZONE', `unknown time zone "${timeZone}"`, undefined, {
      cause,
    });
  }
}
