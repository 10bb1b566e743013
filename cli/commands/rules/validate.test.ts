import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rulesWithoutOrders } from '../../../test/rules-tooling/setup.ts';

const root = new URL('../../../', import.meta.url).pathname;
const bin = path.join(root, 'bin/tally.mjs');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: root });
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function brokenCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tally-cli-rules-'));
  made.push(dir);
  cpSync(path.join(root, 'rules'), dir, { recursive: true });
  const file = path.join(dir, 'status-maps.yaml');
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace('damaged: non_sellable', 'damaged: damagd'),
  );
  const sources = path.join(dir, 'sources.yaml');
  writeFileSync(
    sources,
    readFileSync(sources, 'utf8').replace('connector: jsonl', 'connector: shopfy'),
  );
  return dir;
}

describe('tally rules validate', () => {
  it('passes on the bundled rules with a summary and the version', () => {
    const r = run('rules', 'validate', 'rules');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^rules: valid$/m);
    expect(r.stdout).toMatch(/version +[0-9a-f]{12}(@[0-9a-f]{7})?$/m);
    expect(r.stdout).toMatch(/files +10$/m);
    expect(r.stdout).toMatch(/sources +5 \(erp, wms-east, 3pl-west, shop, pos\)$/m);
    expect(r.stdout).toMatch(/rules +18 /m);
    expect(r.stdout).toMatch(/routes +8$/m);
    expect(r.stdout).toMatch(/receivers +7$/m);
    expect(r.stdout).not.toMatch(/warning/);
  });

  it('lists routes that send exceptions to a team without the role to act, and still exits 0', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tally-cli-rules-'));
    made.push(dir);
    cpSync(path.join(root, 'rules'), dir, { recursive: true });
    const roles = path.join(dir, 'roles.yaml');
    writeFileSync(
      roles,
      readFileSync(roles, 'utf8').replace(
        /subject: S0ECOMOPS01, role: resolver/,
        'subject: S0ECOMOPS01, role: viewer',
      ),
    );
    const r = run('rules', 'validate', dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^.*: valid$/m);
    expect(r.stdout).toMatch(
      /owners\.yaml:\d+:7 Owners route\.routes\[0\]: sends exceptions at WH-EAST, WH-WEST to ecommerce-ops, whose team S0ECOMOPS01 holds only viewer there: .* \(warning\)$/m,
    );
    expect(r.stdout.trim().split('\n').at(-1)).toBe(`1 warning in ${dir}`);
    const json = JSON.parse(run('rules', 'validate', dir, '--format', 'json').stdout);
    expect(json.warnings).toMatchObject([{ code: 'ROUTE_ROLE', path: '/route/routes/0' }]);
  });

  it('warns of a channel whose orders are not named, and still exits 0', () => {
    const dir = rulesWithoutOrders(mkdtempSync(path.join(tmpdir(), 'tally-cli-rules-')));
    made.push(dir);
    const r = run('rules', 'validate', dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /sources\.yaml:\d+:\d+ Sources shop: reads events at WH-EAST, WH-WEST, .* names none of its orders: .* \(warning\)$/m,
    );
    const json = JSON.parse(run('rules', 'validate', dir, '--format', 'json').stdout);
    expect(json.warnings).toMatchObject([{ code: 'ORDERS_UNNAMED' }]);
  });

  it('lists every problem with file:line:column and exits 1', () => {
    const dir = brokenCopy();
    const r = run('rules', 'validate', dir);
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split('\n');
    const sourcesText = readFileSync(path.join(dir, 'sources.yaml'), 'utf8').split('\n');
    const line = sourcesText.findIndex((l) => l.includes('connector: shopfy')) + 1;
    expect(lines[0]).toMatch(
      new RegExp(
        `^${dir}/sources\\.yaml:${line}:16 Sources shop\\.connector: unknown connector "shopfy" \\(available: csv, jsonl, files\\b.*\\)$`,
      ),
    );
    expect(lines.find((l) => l.includes('damagd'))).toMatch(
      /status-maps\.yaml:\d+:\d+ StatusMap 3pl-west\.damaged: unknown bucket "damagd" \(expected one of sellable, committed, non_sellable, in_transit, ignore\)$/,
    );
    expect(lines.at(-1)).toBe(`2 problems in ${dir}`);
  });

  it('prints JSON with --format json', () => {
    const ok = JSON.parse(run('rules', 'validate', '--format', 'json').stdout);
    expect(ok).toMatchObject({ valid: true, files: 10, sources: 5, routes: 8, problems: [] });
    expect(ok.version.hash).toMatch(/^[0-9a-f]{12}$/);
    const r = run('rules', 'validate', brokenCopy(), '--format', 'json');
    expect(r.status).toBe(1);
    const bad = JSON.parse(r.stdout);
    expect(bad.valid).toBe(false);
    expect(bad.problems[0]).toEqual(
      expect.objectContaining({
        line: expect.any(Number),
        column: expect.any(Number),
        code: expect.any(String),
      }),
    );
  });

  it('exits 2 with one line for a missing folder', () => {
    const r = run('rules', 'validate', 'no-such-rules');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('tally: rules folder not found: no-such-rules [RULES_DIR_NOT_FOUND]\n');
  });

  it('exits 2 for an unknown format', () => {
    expect(run('rules', 'validate', '--format', 'xml').status).toBe(2);
  });
});
