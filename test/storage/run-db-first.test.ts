/**
 * `tally run` reaches its database before it reads a single data file: with the database down it
 * exits 3 (an outside failure) at once, instead of parsing every file first. The proof is a data
 * file that is a FIFO nobody writes to: reading it would block the run forever.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo, type DemoResult } from '../../demo/index.ts';

const bin = new URL('../../bin/tally.mjs', import.meta.url).pathname;

describe('tally run with its database down', () => {
  let demo: DemoResult;
  beforeAll(async () => {
    demo = await generateDemo({ dir: mkdtempSync(join(tmpdir(), 'tally-dbfirst-')) });
    const file = join(demo.dataDir, 'erp', 'stock.csv');
    rmSync(file);
    execFileSync('mkfifo', [file]);
  });
  afterAll(() => rmSync(demo.dir, { recursive: true, force: true }));

  it('exits 3 naming the database, without reading the data folder', async () => {
    const child = spawn(process.execPath, [bin, 'run', '--data', demo.dataDir], {
      env: { ...process.env, TALLY_DATABASE_URL: 'postgres://tally@127.0.0.1:1/tally' },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await Promise.race([
      new Promise<number | null>((r) => child.once('exit', (c) => r(c))),
      new Promise<string>((r) => setTimeout(() => r('blocked on the data'), 30_000)),
    ]);
    if (code === 'blocked on the data') child.kill('SIGKILL');
    expect(code).toBe(3);
    expect(stderr).toMatch(/cannot reach postgres:\/\/tally@127\.0\.0\.1:1\/tally/);
    expect(stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  }, 60_000);
});
