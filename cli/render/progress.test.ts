import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress, progressLine } from './progress.ts';

/** A stream that records what is written, a terminal or not. */
function capture(tty: boolean) {
  const out: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _e, done) {
      out.push(chunk.toString());
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  stream.isTTY = tty;
  return { stream, out };
}

describe('progress', () => {
  it('says how far into the file, how fast and how long is left', () => {
    expect(progressLine('erp', 'stock_ledger.csv', 1_200_000, 2_600_001, 400_000)).toBe(
      'reading erp stock_ledger.csv: 1,200,000 of ~2,600,001 rows (46%) · 400,000 rows/s · 4 s left',
    );
    expect(progressLine('erp', 'a.csv', 50_000, 9_000_000, 1_000)).toMatch(/· 2 h 29 min left$/);
    expect(progressLine('erp', 'a.csv', 100, undefined, 0)).toBe('reading erp a.csv: 100 rows');
    // a file that grew after its scan: no percentage past what is known
    expect(progressLine('erp', 'a.csv', 500, 400, 0)).toBe('reading erp a.csv: 500 rows');
  });

  it('measures the rate from the first report of each file, on a terminal', () => {
    let t = 0;
    const { stream, out } = capture(true);
    const p = createProgress(stream, () => t);
    p.rows('wms', 'tx.csv', 100_000, 1_000_001);
    t = 1000;
    p.rows('wms', 'tx.csv', 300_000, 1_000_001);
    expect(out.at(-1)).toBe(
      '\r\x1b[Kreading wms tx.csv: 300,000 of ~1,000,001 rows (29%) · 200,000 rows/s · 4 s left',
    );
    p.done();
    expect(out.at(-1)).toBe('\r\x1b[K');
  });

  it('stays quiet off a terminal until a file is large, then writes whole lines', () => {
    let t = 0;
    const { stream, out } = capture(false);
    const p = createProgress(stream, () => t);
    p.rows('pos', 'sales.csv', 100_000, 900_001);
    expect(out).toEqual([]);
    t = 2000;
    p.rows('pos', 'sales.csv', 300_000, 900_001);
    expect(out).toEqual([
      'reading pos sales.csv: 300,000 of ~900,001 rows (33%) · 100,000 rows/s · 6 s left\n',
    ]);
  });
});
