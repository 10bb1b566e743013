/** The pilot commands as a person runs them: refusals name what to fix, a bad row its line. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = new URL('../../bin/tally.mjs', import.meta.url).pathname;
const rules = new URL('../../rules', import.meta.url).pathname;

function tally(cwd: string, ...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd });
}

describe('tally pilot and serve --pilot', () => {
  it('serve --pilot without a report channel says what to add to owners.yaml', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tally-pilot-cli-'));
    const r = tally(cwd, 'serve', '--pilot', '--console', '--rules', rules, '--port', '0');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--pilot needs a channel for the daily pilot report');
    expect(r.stderr).toContain("reportChannel: '#tally-pilot'");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('pilot compare with no stored run and a list whose header it cannot map', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tally-pilot-cli-'));
    writeFileSync(join(cwd, 'team.csv'), 'Article,Store,Diff\nSKU-1,WH-EAST,-2\n');
    writeFileSync(join(cwd, 'odd.csv'), 'Product name,Qty\nx,1\n');
    const noRun = tally(
      cwd,
      'pilot',
      'compare',
      '--baseline',
      'team.csv',
      '--rules',
      rules,
      '--columns',
      'sku=Article,location=Store',
    );
    expect(noRun.status).toBe(2);
    expect(noRun.stderr).toMatch(/no stored run to compare with: run `tally run`/);
    const odd = tally(cwd, 'pilot', 'compare', '--baseline', 'odd.csv', '--rules', rules);
    expect(odd.status).toBe(2);
    expect(odd.stderr).toMatch(
      /odd\.csv:1: no sku or location column \(header: "Product name", "Qty"\)/,
    );
  });
});
