/**
 * One fixture per class of mistake (test/fixtures/rules-invalid/<case>/ laid over _base/):
 * each must produce exactly these problems, message and location included.
 */
import {
  cpSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRuleset } from './load.ts';
import { formatProblem } from './problems.ts';
import { CASES } from '../../../test/fixtures/rules-invalid/cases.ts';

const FIXTURES = new URL('../../../test/fixtures/rules-invalid/', import.meta.url).pathname;
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function problemsOf(name: string, remove: string[] = []) {
  const dir = mkdtempSync(path.join(tmpdir(), `tally-rules-${name}-`));
  made.push(dir);
  cpSync(path.join(FIXTURES, '_base'), dir, { recursive: true });
  cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  for (const file of remove) rmSync(path.join(dir, file));
  const { ruleset, problems } = await loadRuleset(dir, { knownConnectors: ['csv', 'jsonl'] });
  expect(ruleset).toBeNull();
  return {
    lines: problems.map((p) => formatProblem(p).replace(`${dir}/`, '').replaceAll(dir, '.')),
    codes: problems.map((p) => p.code),
  };
}

describe('invalid rule fixtures', () => {
  it('has a fixture for every case and a case for every fixture', () => {
    const folders = readdirSync(FIXTURES, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('_'))
      .map((d) => d.name)
      .sort();
    expect(folders).toEqual(Object.keys(CASES).sort());
  });

  it('the base of the fixtures is itself valid', async () => {
    const { ruleset, problems } = await loadRuleset(path.join(FIXTURES, '_base'));
    expect(problems).toEqual([]);
    expect(ruleset).not.toBeNull();
  });

  for (const [name, want] of Object.entries(CASES)) {
    it(`${name}: reports ${want.codes.join(', ')} with file:line:column`, async () => {
      const got = await problemsOf(name, want.remove);
      expect(got.lines).toEqual(want.lines);
      expect(got.codes).toEqual(want.codes);
    });
  }

  it('refuses a location file that is a link out of the rules folder', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tally-rules-link-'));
    const outside = mkdtempSync(path.join(tmpdir(), 'tally-outside-'));
    made.push(dir, outside);
    cpSync(path.join(FIXTURES, '_base'), dir, { recursive: true });
    writeFileSync(path.join(outside, 'bins.csv'), 'Bin,Warehouse\nA-01,WH-1\n');
    symlinkSync(path.join(outside, 'bins.csv'), path.join(dir, 'bins.csv'));
    const mappings = readFileSync(path.join(dir, 'mappings.yaml'), 'utf8');
    const entry =
      '  - { path: bins.csv, source: wms, columns: { code: Bin, location: Warehouse } }';
    writeFileSync(path.join(dir, 'mappings.yaml'), `${mappings}locationFiles:\n${entry}\n`);
    const { ruleset, problems } = await loadRuleset(dir);
    expect(ruleset).toBeNull();
    expect(problems.map((p) => [p.code, p.line])).toEqual([['FILE_UNREADABLE', 11]]);
    expect(problems[0]!.message).toMatch(/is a link to .*outside the rules folder/);
  });

  it('rejects a file over the size cap without parsing it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tally-rules-big-'));
    made.push(dir);
    cpSync(path.join(FIXTURES, '_base'), dir, { recursive: true });
    writeFileSync(path.join(dir, 'roles.yaml'), `# ${'x'.repeat(1024 * 1024 + 10)}\n`);
    const { problems } = await loadRuleset(dir);
    expect(problems.map((p) => [p.code, p.line, p.column])).toEqual([['FILE_TOO_LARGE', 1, 1]]);
    expect(problems[0]!.message).toMatch(/limited to 1048576 bytes/);
  });
});
