/** ERP datetimes come as wall-clock text (ERPNext: the site's time zone; Odoo: UTC). */
import { makeDateParser, type DateParser } from '../shared/dates.ts';

/** One ISO parser per zone: the file connectors' parser, with its text cache kept across reads. */
const parsers = new Map<string, DateParser>();

/** `2026-11-20 14:05:00.123456` in `timeZone` → ISO UTC; ISO text with an offset is kept; undefined when unreadable. */
export function wallTextToUtc(text: string, timeZone: string): string | undefined {
  let parse = parsers.get(timeZone);
  if (!parse) {
    parse = makeDateParser('iso', timeZone);
    parsers.set(timeZone, parse);
  }
  // MySQL TIME text has no leading zero before 10:00 (`9:05:00`); ISO wants two hour digits
  return parse(text.trim().replace(/^(\S+[ T])(\d):/, '$10$2:'));
}

/** A date column and a time column (ERPNext posting_date + posting_time) → ISO UTC. */
export function dateAndTimeToUtc(date: string, time: string | null | undefined, timeZone: string) {
  return wallTextToUtc(`${date.slice(0, 10)} ${time ? time.trim() : '00:00:00'}`, timeZone);
}
