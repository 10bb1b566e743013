import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyRules, tally, tempDir, BUNDLED_RULES } from './setup.ts';

const tmp = tempDir('rules-test');
afterAll(() => tmp.remove());

function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
}

function lineOf(file: string, needle: string): number {
  return (
    readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(needle)) + 1
  );
}

describe('tally rules test', () => {
  it('passes on the bundled rules, every rule and route covered', () => {
    const r = tally(tmp.dir, 'rules', 'test', BUNDLED_RULES);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\d+ passed, 0 failed, \d+ tests$/m);
    expect(r.stdout).not.toMatch(/Not covered/);
  });

  it('reports expected vs got for a broken test, at its line', () => {
    const dir = copyRules(join(tmp.dir, 'broken-test'));
    const file = join(dir, 'tests', 'classification.yaml');
    edit(
      file,
      'cause: PHANTOM_STOCK, rule: phantom-stock',
      'cause: MISSING_POSTING, rule: phantom-stock',
    );
    const r = tally(tmp.dir, 'rules', 'test', dir);
    expect(r.status).toBe(1);
    const line = lineOf(file, 'stock where nothing was received');
    expect(r.stdout).toContain(
      `FAIL  stock where nothing was received is phantom stock  (broken-test/tests/classification.yaml:${line})`,
    );
    expect(r.stdout).toContain('cause: expected MISSING_POSTING, got PHANTOM_STOCK');
    expect(r.stdout).toMatch(
      /got: exception high PHANTOM_STOCK \(rule phantom-stock\) → store-ops/,
    );
    expect(r.stdout).toMatch(/1 failed/);
  });

  it('reports a rule nobody tests and a route nothing reaches', () => {
    const dir = copyRules(join(tmp.dir, 'uncovered'));
    const owners = join(dir, 'owners.yaml');
    const extra = `    - matchers: ['location="WH-NORTH"']\n      receiver: west-ops\n`;
    writeFileSync(owners, `${readFileSync(owners, 'utf8').trimEnd()}\n${extra}`);
    edit(
      join(dir, 'tests', 'classification.yaml'),
      'rule: late-event }',
      'rule: late-event, route: [] }',
    );
    const cls = join(dir, 'tests', 'classification.yaml');
    edit(cls, 'facts: { lateEvents: 2,', 'facts: { lateEvents: 0,');
    const r = tally(tmp.dir, 'rules', 'test', dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      /classification\.yaml:\d+ rule late-event has no test that reaches it/,
    );
    expect(r.stdout).toMatch(
      /owners\.yaml:\d+ route root\/5 \{location="WH-NORTH"\} → west-ops has no test/,
    );
    const lenient = tally(tmp.dir, 'rules', 'test', dir, '--no-coverage');
    expect(lenient.stdout).toMatch(/Not covered \(warning\)/);
  });

  it('locates schema and reference problems in test files', () => {
    const dir = copyRules(join(tmp.dir, 'bad-test-file'));
    const file = join(dir, 'tests', 'routes.yaml');
    edit(file, 'expect: { route: west-ops }', 'expect: { route: west-opz, outcom: match }');
    edit(
      join(dir, 'tests', 'classification.yaml'),
      'facts: { uomRounding: true,',
      'facts: { uomRounding: yes-please,',
    );
    const r = tally(tmp.dir, 'rules', 'test', dir);
    expect(r.status).toBe(1);
    const line = lineOf(file, 'west-opz');
    expect(r.stdout).toMatch(
      new RegExp(
        `routes\\.yaml:${line}:\\d+ RuleTests tests\\[2\\]\\.expect\\.outcom: unknown field`,
      ),
    );
    const cline = lineOf(join(dir, 'tests', 'classification.yaml'), 'yes-please');
    expect(r.stdout).toMatch(
      new RegExp(`classification\\.yaml:${cline}:\\d+ .*fact uomRounding is a boolean`),
    );
  });

  it('fails on a broken rule file with its location, in validate and test alike', () => {
    const dir = copyRules(join(tmp.dir, 'bad-rule'));
    const file = join(dir, 'classification.yaml');
    edit(
      file,
      'outcome: { type: exception, severity: high, rootCause: PHANTOM_STOCK }',
      'outcome: { type: exception, severity: urgent, rootCause: PHANTOM_STOCK }',
    );
    const line = lineOf(file, 'severity: urgent');
    for (const cmd of [
      ['rules', 'validate', dir],
      ['rules', 'test', dir],
    ]) {
      const r = tally(tmp.dir, ...cmd);
      expect(r.status, cmd.join(' ')).toBe(1);
      expect(r.stdout).toMatch(new RegExp(`classification\\.yaml:${line}:\\d+ .*urgent`));
    }
  });
});
