/** ERP datetimes come as wall-clock text (ERPNext: the site's time zone; Odoo: UTC). */
import { localToUtcMs } from '../shared/zone.ts';

const WALL =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** `2026-11-20 14:05:00.123456` in `timeZone` → ISO UTC; ISO text with an offset is kept; undefined when unreadable. */
export function wallTextToUtc(text: string, timeZone: string): string | undefined {
  const m = WALL.exec(text.trim());
  if (!m) return undefined;
  const ms = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), ms);
  if (Number.isNaN(wall)) return undefined;
  const offset = m[8];
  if (offset) {
    // the database said which zone (timestamptz text, ISO with offset): no guessing
    if (offset === 'Z') return new Date(wall).toISOString();
    const [, sign, hh, mm] = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset)!;
    const minutes = (Number(hh) * 60 + Number(mm ?? 0)) * (sign === '-' ? -1 : 1);
    return new Date(wall - minutes * 60_000).toISOString();
  }
  return new Date(localToUtcMs(timeZone, wall)).toISOString();
}

/** A date column and a time column (ERPNext posting_date + posting_time) → ISO UTC. */
export function dateAndTimeToUtc(date: string, time: string | null | undefined, timeZone: string) {
  return wallTextToUtc(`${date.slice(0, 10)} ${time ? time.trim() : '00:00:00'}`, timeZone);
}
