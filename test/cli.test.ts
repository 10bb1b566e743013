import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const bin = new URL('../bin/tally.mjs', import.meta.url).pathname;
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

describe('tally command', () => {
  it('prints its version from package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }).trim()).toBe(
      pkg.version,
    );
  });

  it('exits 2 with one line and no stack trace on a usage error', () => {
    const r = run('--no-such-flag');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown option/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('documents every subcommand with --help', () => {
    const top = run('--help');
    expect(top.status).toBe(0);
    const names = [...top.stdout.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1]!);
    for (const name of names.filter((n) => n !== 'help')) {
      const sub = run(name, '--help');
      expect(sub.status, name).toBe(0);
      expect(sub.stdout, name).toMatch(/Usage: tally/);
    }
  });
});
