import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = new URL('../../bin/tally.mjs', import.meta.url).pathname;
const cwd = mkdtempSync(join(tmpdir(), 'tally-demo-cli-'));
const data = join(cwd, 'demo-data');
const asOf = '2026-11-21T23:00:00Z';
const tally = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, TALLY_DATABASE_URL: '' },
  });

afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('tally demo', () => {
  let demo: ReturnType<typeof tally>;
  beforeAll(() => {
    demo = tally('demo', '--dir', data);
  });

  it('generates, reconciles and prints a summary and exceptions in 80 columns', () => {
    expect(demo.stderr).toBe('');
    expect(demo.status).toBe(0);
    expect(demo.stdout).toMatch(/^Written to demo-data\//m);
    expect(demo.stdout).toMatch(/^Keys [\d,]+ · compared/m);
    expect(demo.stdout).toMatch(/PENDING_POSTING/);
    expect(demo.stdout).toMatch(/^Top \d+ of \d+ exceptions/m);
    expect(demo.stdout).toMatch(/because /);
    for (const line of demo.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('saves the run to the embedded SQLite database in the working folder', () => {
    expect(existsSync(join(cwd, '.tally', 'tally.db'))).toBe(true);
  });

  it('refuses a folder that already holds files', () => {
    const again = tally('demo', '--dir', data);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/not empty/);
  });
});

describe('tally run', () => {
  beforeAll(() => {
    if (!existsSync(join(data, 'erp'))) tally('demo', '--dir', data, '--no-persist');
  });

  it('prints the run as JSON', () => {
    const r = tally('run', '--data', data, '--as-of', asOf, '--format', 'json', '--no-persist');
    expect(r.status).toBe(0);
    const run = JSON.parse(r.stdout);
    expect(run.summary.keys).toBeGreaterThan(0);
    expect(run.inputs.length).toBe(14);
    expect(
      run.results.some((k: { outcome: { type: string } }) => k.outcome.type === 'exception'),
    ).toBe(true);
  });

  it('exits 1 when an exception reaches the --fail-on severity', () => {
    const r = tally(
      'run',
      '--data',
      data,
      '--as-of',
      asOf,
      '--fail-on',
      'critical',
      '--no-persist',
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/CRITICAL OVERSELL_RISK/);
  });

  it('exits 2 with one clear line on configuration errors', () => {
    const bad = tally('run', '--data', data, '--fail-on', 'loud', '--no-persist');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--fail-on must be one of/);
    const missing = tally('run', '--data', join(cwd, 'nope'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/no such folder/);
    const emptyRules = join(cwd, 'no-rules');
    mkdirSync(emptyRules, { recursive: true });
    const rules = tally('run', '--data', data, '--rules', emptyRules, '--no-persist');
    expect(rules.status).toBe(2);
    expect(rules.stderr).not.toMatch(/\n\s+at /);
  });
});
