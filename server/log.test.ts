import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLog } from './log.ts';

const SECRETS = {
  SLACK_BOT_TOKEN: 'xoxb-1111-2222-abcdefabcdef',
  SLACK_SIGNING_SECRET: 'f00dfeedc0ffee1234567890',
  TALLY_EVENTS_SECRET: 'events-shared-secret-42',
  TALLY_AUDIT_KEY: 'a'.repeat(8) + 'auditkey' + 'b'.repeat(8),
};

function capture(env: NodeJS.ProcessEnv) {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { log: createLog(env, stream), text: () => text };
}

describe('the serve log', () => {
  it('writes one JSON object per line with time, level, message and fields', () => {
    const { log, text } = capture({ TALLY_LOG_FORMAT: 'json' });
    log('run 42 finished', { runId: 'r-42', exceptions: 3 });
    log('outbox: chat.update failed: channel_not_found', { exceptionId: 7 });
    const lines = text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: 'run 42 finished',
      runId: 'r-42',
      exceptions: 3,
    });
    expect(Date.parse(String(lines[0]!.time))).not.toBeNaN();
    expect(lines[1]).toMatchObject({ level: 50, exceptionId: 7 });
  });

  it('never writes a secret of the environment, in messages or fields', () => {
    const env = {
      ...SECRETS,
      TALLY_DATABASE_URL: 'postgres://tally:hunter2secret@db:5432/tally',
      TALLY_LOG_FORMAT: 'json',
    };
    const { log, text } = capture(env);
    for (const [name, value] of Object.entries(SECRETS))
      log(`${name} is ${value}`, { echo: value });
    log('cannot reach postgres://tally:hunter2secret@db:5432/tally');
    const out = text();
    for (const value of [...Object.values(SECRETS), 'hunter2secret'])
      expect(out).not.toContain(value);
    expect(out).toContain('postgres://tally:[redacted]@db:5432/tally');
    expect(out.match(/\[redacted\]/g)!.length).toBeGreaterThanOrEqual(9);
  });

  it('is JSON from tally serve when stderr is not a terminal, with no secret in it', async () => {
    const home = mkdtempSync(join(tmpdir(), 'tally-log-'));
    const bin = new URL('../bin/tally.mjs', import.meta.url).pathname;
    const rules = new URL('../rules', import.meta.url).pathname;
    const child = spawn(
      process.execPath,
      [bin, 'serve', '--console', '--port', '0', '--rules', rules],
      {
        cwd: home,
        env: { ...process.env, ...SECRETS },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start-up line: ${stderr}`)), 90_000);
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          if (stderr.includes('tally serve:')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.on('close', r));
      rmSync(home, { recursive: true, force: true });
    }
    const lines = stderr.trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toContainEqual(
      expect.stringMatching(/^tally serve: console/),
    );
    for (const value of Object.values(SECRETS)) expect(stderr).not.toContain(value);
  });
});
