import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileFolder } from '../../server/pipeline.ts';
import type { KeyResult } from '../../engine/core/recon/types.ts';
import { routeFor } from '../../engine/core/rules/routing.ts';
import type { Ruleset } from '../../engine/core/rules/types.ts';
import { AS_OF, BUNDLED_RULES, demoData, git, tally, tempDir } from './setup.ts';

const tmp = tempDir('rules-diff');
const repo = join(tmp.dir, 'repo');
const rules = join(repo, 'rules');
const baseCopy = join(tmp.dir, 'base-rules');
let data = '';

/** Replaces every occurrence: the bundled rules name some outcomes in more than one rule. */
function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  writeFileSync(file, text.split(from).join(to));
}

const id = (k: KeyResult) => `${k.sku}|${k.location}|${k.bucket}|${k.source}`;

/** What a reviewer would compute by hand from two runs: exceptions added, removed, changed. */
async function expectedChanges() {
  const side = async (dir: string) => {
    const { run, ruleset } = await reconcileFolder({ rulesDir: dir, dataDir: data, asOf: AS_OF });
    return new Map(
      run.results
        .filter((r) => r.outcome.type === 'exception')
        .map((r) => [id(r), summarize(ruleset, r)]),
    );
  };
  const [base, head] = [await side(baseCopy), await side(rules)];
  const added = [...head.keys()].filter((k) => !base.has(k)).sort();
  const removed = [...base.keys()].filter((k) => !head.has(k)).sort();
  const changed = [...head.keys()].filter((k) => base.has(k) && base.get(k) !== head.get(k)).sort();
  return { added, removed, changed };
}

function summarize(ruleset: Ruleset, r: KeyResult): string {
  if (r.outcome.type !== 'exception') return r.outcome.type;
  const labels = {
    location: r.location,
    source: r.source,
    bucket: r.bucket,
    skuClass: r.evidence?.facts.skuClass ?? '',
    category: r.evidence?.facts.category ?? '',
    cause: r.causes[0] ?? r.outcome.rootCause,
    severity: r.outcome.severity,
  };
  const to = routeFor(ruleset, labels).receivers.map((x) => x.name);
  return `${r.outcome.severity} ${labels.cause} ${to.join(',')}`;
}

beforeAll(async () => {
  data = await demoData(tmp.dir);
  cpSync(BUNDLED_RULES, rules, { recursive: true });
  cpSync(BUNDLED_RULES, baseCopy, { recursive: true });
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '.');
  git(repo, 'commit', '-qm', 'bundled rules');
  git(repo, 'checkout', '-qb', 'loosen');
  edit(
    join(rules, 'tolerances.yaml'),
    '  - name: default-exact\n    absolute: 0',
    '  - name: default-exact\n    absolute: 3',
  );
  const cls = join(rules, 'classification.yaml');
  edit(
    cls,
    '{ type: exception, severity: high, rootCause: PHANTOM_STOCK }',
    '{ type: exception, severity: critical, rootCause: PHANTOM_STOCK }',
  );
  edit(
    cls,
    '{ type: explained, code: PENDING_POSTING }',
    '{ type: exception, severity: low, rootCause: PENDING_POSTING }',
  );
  git(
    repo,
    'commit',
    '-qam',
    'loosen the default tolerance, phantom stock critical, pending postings reported',
  );
});
afterAll(() => tmp.remove());

describe('tally rules diff --base', () => {
  it('reports exactly the exceptions a reviewer computes from the two runs', async () => {
    const want = await expectedChanges();
    expect(want.added.length).toBeGreaterThan(0);
    expect(want.removed.length).toBeGreaterThan(0);
    expect(want.changed.length).toBeGreaterThan(0);
    const r = tally(repo, 'rules', 'diff', '--base', 'main', '--data', data, '--format', 'json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as {
      totals: Record<string, number>;
      changes: {
        kind: string;
        sku: string;
        location: string;
        bucket: string;
        source: string;
        fields: string[];
      }[];
      owners: { owner: string; added: number }[];
    };
    const of = (kind: string) =>
      report.changes
        .filter((c) => c.kind === kind)
        .map((c) => `${c.sku}|${c.location}|${c.bucket}|${c.source}`)
        .sort();
    expect(of('added')).toEqual(want.added);
    expect(of('removed')).toEqual(want.removed);
    expect(of('changed')).toEqual(want.changed);
    expect(report.totals.added).toBe(want.added.length);
    // the phantom stock the demo injects at STORE-NYC is now critical
    const phantom = report.changes.find(
      (c) => c.kind === 'changed' && c.location === 'STORE-NYC' && c.fields.includes('severity'),
    );
    expect(phantom).toBeDefined();
    const addedOwners = report.owners.reduce((n, o) => n + o.added, 0);
    expect(addedOwners).toBeGreaterThanOrEqual(want.added.length);
  });

  it('renders Markdown with per-owner counts and sample rows', () => {
    const r = tally(repo, 'rules', 'diff', '--base', 'main', '--data', data);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^### Impact of the rule change/m);
    expect(r.stdout).toMatch(/^\| owner \| added \| removed \| changed \|$/m);
    expect(r.stdout).toMatch(/^\| store-ops \| \d+ \| \d+ \| [1-9]\d* \|$/m);
    expect(r.stdout).toMatch(
      /\| changed \| SKU-\d+ \| STORE-NYC \| non_sellable \| erp \| high PHANTOM_STOCK → store-ops \| critical PHANTOM_STOCK → store-ops \|/,
    );
  });

  it('fails with the location of a broken rule file, and on an unknown ref', () => {
    const file = join(rules, 'owners.yaml');
    const before = readFileSync(file, 'utf8');
    try {
      writeFileSync(file, before.replace('receiver: east-ops\n', 'receiver: east-opps\n'));
      const line =
        readFileSync(file, 'utf8')
          .split('\n')
          .findIndex((l) => l.includes('east-opps')) + 1;
      const r = tally(repo, 'rules', 'diff', '--base', 'main', '--data', data);
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(new RegExp(`rules/owners\\.yaml:${line}:\\d+ .*east-opps`));
    } finally {
      writeFileSync(file, before);
    }
    const bad = tally(repo, 'rules', 'diff', '--base', 'no-such-branch', '--data', data);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown git ref "no-such-branch" .*\[GIT_REF_UNKNOWN\]/);
  });
  it('--from-db compares on the latest stored run, and refuses inputs that changed', () => {
    expect(tally(repo, 'run', '--data', data, '--as-of', AS_OF).status).toBe(0);
    const fromDb = tally(
      repo,
      'rules',
      'diff',
      '--base',
      'main',
      '--from-db',
      '--data',
      data,
      '--format',
      'json',
    );
    expect(fromDb.stderr).toBe('');
    const onFolder = tally(
      repo,
      'rules',
      'diff',
      '--base',
      'main',
      '--data',
      data,
      '--format',
      'json',
    );
    expect(JSON.parse(fromDb.stdout).changes).toEqual(JSON.parse(onFolder.stdout).changes);
    const elsewhere = tally(repo, 'rules', 'diff', '--base', 'main', '--from-db', '--data', repo);
    expect(elsewhere.status).toBe(2);
    expect(elsewhere.stderr).toMatch(/erp\/stock\.csv: missing under .*\[RUN_INPUTS_CHANGED\]/s);
  });
});
