/**
 * `tally serve` as a supervisor sees it: a start-up that fails exits non-zero instead of hanging
 * without HTTP, and a stop signal ends the process within the grace.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = resolve('bin/tally.mjs');

function runServe(args: string[], env: Record<string, string> = {}) {
  const cwd = mkdtempSync(join(tmpdir(), 'tally-serve-'));
  const child = spawn(
    process.execPath,
    [bin, 'serve', '--console', '--rules', resolve('rules'), ...args],
    {
      cwd,
      env: { ...process.env, TALLY_DATABASE_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, exited, stderr: () => stderr };
}

describe('tally serve lifecycle', () => {
  it('exits non-zero when start-up fails (the port is taken)', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const s = runServe(['--port', String(port)]);
      const code = await Promise.race([
        s.exited,
        new Promise((r) => setTimeout(() => r('hung'), 40_000)),
      ]);
      if (code === 'hung') s.child.kill('SIGKILL');
      expect(code).toBe(3);
      expect(s.stderr()).toContain('LISTEN_FAILED');
    } finally {
      blocker.close();
    }
  }, 60_000);

  it('stops on SIGTERM within the grace', async () => {
    const s = runServe(['--port', '0'], { TALLY_STOP_GRACE_MS: '2000' });
    for (let i = 0; i < 400 && !s.stderr().includes('tally serve:'); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(s.stderr()).toContain('tally serve:');
    const sent = Date.now();
    s.child.kill('SIGTERM');
    const code = await Promise.race([
      s.exited,
      new Promise((r) => setTimeout(() => r('hung'), 15_000)),
    ]);
    if (code === 'hung') s.child.kill('SIGKILL');
    expect(code).toBe(0);
    expect(Date.now() - sent).toBeLessThan(5000);
  }, 60_000);
});
