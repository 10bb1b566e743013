/**
 * A new customer's first reconciliation, as docs/onboarding.md walks it: `tally init` on the
 * retailer's exports, the edits the guide makes (kept in test/fixtures/retailer/rules/), then
 * `tally run` — no data preparation, no custom SQL. Checks that every row is read and which of
 * the labelled problems (test/fixtures/retailer/expected.json) the run finds with their cause.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = new URL('../../bin/tally.mjs', import.meta.url).pathname;
const HERE = new URL('../fixtures/retailer/', import.meta.url).pathname;
const tally = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

type Label = { sku: string; location: string; bucket: string; source: string; cause: string };
type Result = Label & { outcome: { type: string; rootCause?: string } };
type RunJson = {
  inputs: { path: string; read: number; accepted: number; rejected: number; skipped?: number }[];
  results: Result[];
};

/** The edits docs/onboarding.md makes to what `tally init` wrote for this retailer. */
const ONBOARDING_EDITS: Record<string, [RegExp, string][]> = {
  'mappings.yaml': [
    [/^ {2}- \{ id: (STORES-HP|QUARANTINE-HP|HARBOR-DC),.*\n/gm, ''],
    [/^( {4}Stores - HP:) STORES-HP #.*$/m, '$1 DC1'],
    [
      /^( {4}Quarantine - HP:) QUARANTINE-HP #.*$/m,
      '$1 DC1 # the same building; its stock is quarantine',
    ],
    [/^( {4}gid:\/\/shopify\/Location\/7101:) HARBOR-DC #.*$/m, '$1 DC1 # Harbor DC'],
  ],
  'sources.yaml': [
    [/^ {6}- QUARANTINE-HP\n/m, ''],
    [/^ {6}- (STORES-HP|HARBOR-DC)$/gm, '      - DC1'],
    [
      /^( {6}paths:\n {8}- 3pl-reno\n)/m,
      '$1      reasonCodes:\n        AU: { action: write_off, reason: DAMAGED_IN_FACILITY }\n',
    ],
  ],
};

function initAndEdit(): { dir: string; rules: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'tally-onboarding-'));
  cpSync(path.join(HERE, 'data'), path.join(dir, 'data'), { recursive: true });
  const rules = path.join(dir, 'rules');
  const init = tally(
    'init',
    '--data',
    path.join(dir, 'data'),
    '--out',
    rules,
    '--timezone',
    'America/Chicago',
  );
  expect(init.status, init.stderr).toBe(0);
  for (const [file, edits] of Object.entries(ONBOARDING_EDITS)) {
    let text = readFileSync(path.join(rules, file), 'utf8');
    for (const [from, to] of edits) {
      expect(text, `${file}: ${from}`).toMatch(from);
      text = text.replace(from, to);
    }
    writeFileSync(path.join(rules, file), text);
  }
  return { dir, rules };
}

/**
 * The engine's causes improve while this fixture stays: the test holds every labelled problem
 * at the distribution centre to raising an exception at its key, and prints which carry the
 * labelled cause (docs/onboarding.md lists the ones that do not yet).
 */
const AT_LEAST_WITH_CAUSE = 12;

describe('onboarding the retailer: tally init, the documented edits, tally run', () => {
  it('matches the edited rules kept in test/fixtures/retailer/rules/', { timeout: 60_000 }, () => {
    const { rules } = initAndEdit();
    const kept = path.join(HERE, 'rules');
    // classification.yaml is the bundled rules/classification.yaml, copied as it is today
    expect(readFileSync(path.join(rules, 'classification.yaml'), 'utf8')).toBe(
      readFileSync(new URL('../../rules/classification.yaml', import.meta.url), 'utf8'),
    );
    for (const name of readdirSync(kept)) {
      expect(readFileSync(path.join(rules, name), 'utf8'), name).toBe(
        readFileSync(path.join(kept, name), 'utf8'),
      );
    }
    expect(readdirSync(kept).sort()).toEqual(
      readdirSync(rules)
        .filter((n) => n !== 'classification.yaml')
        .sort(),
    );
  });

  it('reads every row and finds the labelled problems it can', { timeout: 120_000 }, () => {
    const { dir, rules } = initAndEdit();
    const r = tally(
      'run',
      '--data',
      path.join(dir, 'data'),
      '--rules',
      rules,
      '--as-of',
      '2026-11-23T05:00:00Z',
      '--no-persist',
      '--format',
      'json',
    );
    expect(r.status, r.stderr).toBe(0);
    const run = JSON.parse(r.stdout) as RunJson;
    const rows = run.inputs.reduce((n, f) => n + f.read, 0);
    const accepted = run.inputs.reduce((n, f) => n + f.accepted, 0);
    expect(run.inputs).toHaveLength(23);
    expect({ rows, accepted }).toEqual({ rows: 283, accepted: 283 });
    const expected = (
      JSON.parse(readFileSync(path.join(HERE, 'expected.json'), 'utf8')) as { exceptions: Label[] }
    ).exceptions;
    const key = (l: Omit<Label, 'cause'>) => `${l.sku} ${l.location} ${l.bucket} ${l.source}`;
    const raised = new Map<string, string[]>();
    for (const x of run.results.filter((x) => x.outcome.type === 'exception'))
      raised.set(key(x), [...(raised.get(key(x)) ?? []), x.outcome.rootCause ?? '']);
    const report = expected.map((l) => ({
      label: `${key(l)} ${l.cause}`,
      got: raised.get(key(l)) ?? [],
    }));
    const withCause = report
      .filter((x) => x.got.includes(x.label.split(' ').at(-1)!))
      .map((x) => x.label);
    console.log(
      report
        .map(
          (x) =>
            `${withCause.includes(x.label) ? 'found  ' : 'missed '} ${x.label} → ${x.got.join(', ') || 'no exception'}`,
        )
        .join('\n'),
    );
    expect(withCause.length).toBeGreaterThanOrEqual(AT_LEAST_WITH_CAUSE);
    // the DC's labelled problems are each raised (Shopify's only once saved pages are read)
    const readsShopify = run.inputs.some((f) => f.path.startsWith('shopify/'));
    const atDc = report.filter(
      (x) => x.label.includes(' DC1 ') && (readsShopify || !x.label.includes(' shopify ')),
    );
    expect(atDc.filter((x) => x.got.length === 0).map((x) => x.label)).toEqual([]);
    // the DC, where the WMS gives an opening balance, raises nothing beyond the labelled problems
    const labelled = new Set(expected.map(key));
    const extraAtDc = [...raised.keys()].filter(
      (k) => k.split(' ')[1] === 'DC1' && !labelled.has(k),
    );
    expect(extraAtDc).toEqual([]);
  });
});
