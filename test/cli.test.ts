import { execFileSync, spawn, spawnSync } from 'node:child_process';
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

  it('refuses a count option that is not a whole number, naming the flag and the value', () => {
    const benchEntry = new URL('../bench/main.mjs', import.meta.url).pathname;
    const bench = spawnSync(process.execPath, [benchEntry, '--runs', '0'], { encoding: 'utf8' });
    expect(bench.status).toBe(2);
    expect(bench.stderr).toBe(
      'tally: --runs must be a positive whole number, not "0" [BAD_OPTION]\n',
    );
    const demo = run('demo', '--skus', '1.5', '--no-persist');
    expect(demo.status).toBe(2);
    expect(demo.stderr).toBe('tally: --skus must be a whole number, not "1.5" [BAD_OPTION]\n');
  });

  it('ends quietly when the reader closes stdout early (tally … | head -1)', async () => {
    for (let i = 0; i < 3; i++) {
      const child = spawn(process.execPath, [bin, 'explain', '--help'], { stdio: 'pipe' });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((done) => child.on('close', done));
      expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
      expect(code).toBe(0);
    }
  });

  it('reports an error as JSON on stdout under --format json, with its code', () => {
    const r = run('run', '--data', '/no/such/folder', '--format', 'json');
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({
      error: { code: 'DATA_DIR_MISSING', message: 'no such folder: /no/such/folder' },
      exitCode: 2,
    });
    expect(r.stderr).toMatch(/DATA_DIR_MISSING/);
  });

  // one fresh process per command (~40): past the default timeout on a loaded machine
  it('documents every command and subcommand with --help', () => {
    const commandsIn = (help: string) =>
      help.includes('\nCommands:\n')
        ? [...help.split('\nCommands:\n')[1]!.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)]
            .map((m) => m[1]!)
            .filter((n) => n !== 'help')
        : [];
    const top = run('--help');
    expect(top.status).toBe(0);
    const queue = commandsIn(top.stdout).map((n) => [n]);
    expect(queue.length).toBeGreaterThan(5);
    const checked: string[] = [];
    while (queue.length) {
      const path = queue.shift()!;
      const r = run(...path, '--help');
      expect(r.status, path.join(' ')).toBe(0);
      expect(r.stdout, path.join(' ')).toMatch(new RegExp(`Usage: tally ${path.join(' ')}`));
      checked.push(path.join(' '));
      queue.push(...commandsIn(r.stdout).map((n) => [...path, n]));
    }
    // nested groups are reached too, not only the top level
    expect(checked).toEqual(
      expect.arrayContaining(['rules validate', 'db migrate', 'audit verify']),
    );
  }, 300_000);
});
