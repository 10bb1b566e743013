/**
 * ERP datetimes come as wall-clock text (ERPNext: the site's time zone; Odoo: UTC). Kept
 * inside the connector because no connector may import another.
 */
const WALL =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

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
  if (timeZone === 'UTC') return new Date(wall).toISOString();
  const first = wall - offsetMinutes(wall, timeZone) * 60_000;
  return new Date(wall - offsetMinutes(first, timeZone) * 60_000).toISOString();
}

/** A date column and a time column (ERPNext posting_date + posting_time) → ISO UTC. */
export function dateAndTimeToUtc(date: string, time: string | null | undefined, timeZone: string) {
  return wallTextToUtc(`${date.slice(0, 10)} ${time ? time.trim() : '00:00:00'}`, timeZone);
}
