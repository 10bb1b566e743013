/**
 * Progress on stderr for long runs: shown when stderr is a terminal, or when a file has many
 * rows (so a run logged to a file still says it is alive), never on stdout.
 */
import { fmtInt } from './text.ts';

import type { Progress } from '../../server/pipeline.ts';

const ROWS_BEFORE_SHOWING = 200_000;
const EVERY_MS = 500;

export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = Boolean(stream.isTTY);
  let last = 0;
  let shown = false;
  const write = (text: string) => {
    shown = true;
    if (tty) stream.write(`\r\x1b[K${text}`);
    else stream.write(`${text}\n`);
  };
  return {
    rows(source, file, rows) {
      const now = Date.now();
      if (!tty && rows < ROWS_BEFORE_SHOWING) return;
      if (now - last < EVERY_MS) return;
      last = now;
      write(`reading ${source} ${file}: ${fmtInt(rows)} rows`);
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
