/**
 * Progress on stderr for long runs: shown when stderr is a terminal, or when a file has many
 * rows (so a run logged to a file still says it is alive), never on stdout. Once a file was
 * scanned its line count is known, so a line says how far into the file the run is, how fast it
 * reads and when the file will be done:
 *   reading erp stock_ledger.csv: 1,200,000 of ~2,600,001 rows (46%) · 410,000 rows/s · 3 s left
 */
import { fmtInt } from './text.ts';

import type { Progress } from '../../server/pipeline.ts';

const ROWS_BEFORE_SHOWING = 200_000;
const EVERY_MS = 500;

/** One progress line; `rate` in rows per second (0: not known yet). */
export function progressLine(
  source: string,
  file: string,
  rows: number,
  lines: number | undefined,
  rate: number,
): string {
  const head = `reading ${source} ${file}: ${fmtInt(rows)}`;
  const speed = rate > 0 ? ` · ${fmtInt(Math.round(rate / 1000) * 1000)} rows/s` : '';
  if (!lines || lines < rows) return `${head} rows${speed}`;
  const percent = Math.min(99, Math.floor((rows * 100) / lines));
  const left = rate > 0 ? ` · ${duration((lines - rows) / rate)} left` : '';
  return `${head} of ~${fmtInt(lines)} rows (${percent}%)${speed}${left}`;
}

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  const m = Math.floor(seconds / 60);
  return m < 60
    ? `${m} min ${Math.round(seconds % 60)} s`
    : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function createProgress(
  stream: NodeJS.WriteStream = process.stderr,
  now: () => number = Date.now,
): Progress {
  const tty = Boolean(stream.isTTY);
  let last = 0;
  let shown = false;
  // the first report of each file: the rate is measured from there
  const first = new Map<string, { t: number; rows: number }>();
  const write = (text: string) => {
    shown = true;
    if (tty) stream.write(`\r\x1b[K${text}`);
    else stream.write(`${text}\n`);
  };
  return {
    rows(source, file, rows, lines) {
      const t = now();
      const key = `${source}\u0000${file}`;
      const from = first.get(key) ?? { t, rows };
      first.set(key, from);
      if (!tty && rows < ROWS_BEFORE_SHOWING) return;
      if (t - last < EVERY_MS) return;
      last = t;
      const elapsed = t - from.t;
      const rate = elapsed >= 200 ? ((rows - from.rows) * 1000) / elapsed : 0;
      write(progressLine(source, file, rows, lines, rate));
    },
    phase(name) {
      if (!tty && !shown) return;
      write(`${name}…`);
    },
    done() {
      if (tty && shown) stream.write('\r\x1b[K');
    },
  };
}
