/**
 * A snapshot file's date, read from its name: exports and schedulers name files like
 * `Bin_2026-11-22.csv`, `myi-20261120T0630.tsv` or `stock_2026-11-20_06-30-15.csv`. The time is
 * wall-clock time in the source's zone; a date alone is that day's 00:00. Digits that run on
 * (a report id such as 50012018456) are not a date, nor is an impossible day.
 */
import { basename } from 'node:path';
import { localToUtcMs } from './zone.ts';

const DATE_IN_NAME =
  /(?<!\d)(20\d\d)-?(\d\d)-?(\d\d)(?:[T_ -]?(\d\d)[:-]?(\d\d)(?:[:-]?(\d\d))?)?(?!\d)/g;

export function fileNameDate(path: string, zone = 'UTC'): string | undefined {
  for (const m of basename(path).matchAll(DATE_IN_NAME)) {
    const [y, mo, d, h, mi, s] = m.slice(1, 7).map((v) => Number(v ?? 0)) as number[];
    const wall = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
    const back = new Date(wall);
    // Date.UTC rolls 02-30 over to March and 25:00 to the next day: such a name holds no date
    if (back.getUTCMonth() !== mo! - 1 || back.getUTCDate() !== d! || back.getUTCHours() !== h!)
      continue;
    if (mi! > 59 || s! > 59) continue;
    return new Date(localToUtcMs(zone, wall)).toISOString();
  }
  return undefined;
}
