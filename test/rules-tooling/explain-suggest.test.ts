import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileFolder } from '../../server/pipeline.ts';
import { explain } from '../../engine/services/exceptions/transition.ts';
import type { KeyResult } from '../../engine/core/recon/types.ts';
import { openDb } from '../../engine/services/store/db.ts';
import { AS_OF, demoData, tally, tempDir } from './setup.ts';

const tmp = tempDir('rules-explain');
let data = '';
let shrinkage: KeyResult;
let version = '';

beforeAll(async () => {
  data = await demoData(tmp.dir);
  const { run } = await reconcileFolder({
    rulesDir: join(data, 'rules'),
    dataDir: data,
    asOf: AS_OF,
  });
  version = run.rulesetVersion.label;
  const found = run.results.find(
    (r) => r.outcome.type === 'exception' && r.outcome.rootCause === 'UNRECORDED_SHRINKAGE',
  );
  if (!found) throw new Error('the demo data injects unrecorded shrinkage');
  shrinkage = found;
});
afterAll(() => tmp.remove());

describe('tally explain', () => {
  it('names the deciding rule, each condition with its fact value, tolerance, route and version', () => {
    const k = shrinkage;
    const r = tally(
      tmp.dir,
      'explain',
      k.sku,
      k.location,
      k.bucket,
      '--data',
      data,
      '--source',
      k.source,
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const facts = k.evidence!.facts;
    expect(r.stdout).toContain(`${k.sku} @ ${k.location} ${k.bucket} — source ${k.source}`);
    expect(r.stdout).toContain('outcome    exception UNRECORDED_SHRINKAGE (medium)');
    expect(r.stdout).toMatch(
      /decided by unrecorded-shrinkage \(demo\/rules\/classification\.yaml:\d+\), priority 45/,
    );
    expect(r.stdout).toContain(`true   variance lessThan 0  (fact value ${facts.variance})`);
    expect(r.stdout).toContain(`true   isSystemOfRecord equal true  (fact value true)`);
    expect(r.stdout).toMatch(
      /tolerance  absolute \d+.* from demo\/rules\/tolerances\.yaml:\d+ → not within/,
    );
    expect(r.stdout).toMatch(/route      \S+ \(#/);
    expect(r.stdout).toContain(`ruleset    ${version}`);
  });

  it('says when a key matched without the rules, and refuses an unknown bucket', () => {
    const k = shrinkage;
    const quiet = tally(
      tmp.dir,
      'explain',
      k.sku,
      k.location,
      k.bucket,
      '--data',
      data,
      '--source',
      'erp',
    );
    expect(quiet.status).toBe(0);
    expect(quiet.stdout).toMatch(/outcome    match \(equal, nothing pending/);
    const bad = tally(tmp.dir, 'explain', k.sku, k.location, 'shelf', '--data', data);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown bucket "shelf" .*\[BAD_BUCKET\]/);
  });
});

describe('tally rules suggest', () => {
  it('writes a rule that turns the explained case into explained, with a passing test', async () => {
    const saved = tally(tmp.dir, 'run', '--data', data, '--as-of', AS_OF);
    expect(saved.status).toBe(0);
    const db = await openDb({ cwd: tmp.dir, url: '' });
    let id: number;
    try {
      const k = shrinkage;
      const row = (await db('exceptions')
        .where({ sku: k.sku, location: k.location, bucket: k.bucket, source: k.source })
        .first('id')) as { id: number };
      id = row.id;
      await explain(db, id, {
        actor: 'U0TEST',
        code: 'KNOWN_COUNT_LOSS',
        reason: 'counted loss booked only at month end',
      });
    } finally {
      await db.destroy();
    }
    const s = tally(tmp.dir, 'rules', 'suggest', String(id), '--rules', join(data, 'rules'));
    expect(s.stderr).toBe('');
    expect(s.status).toBe(0);
    const [rulePart, testPart] = s.stdout
      .split(/^# Test: save as rules\/tests\/(.+)\.yaml$/m)
      .filter((_, i) => i !== 1);
    const name = /^# Test: save as rules\/tests\/(.+)\.yaml$/m.exec(s.stdout)![1]!;
    const ruleYaml = rulePart!
      .split('\n')
      .filter((l) => !l.startsWith('#'))
      .join('\n');
    expect(ruleYaml).toContain('outcome: { type: explained, code: KNOWN_COUNT_LOSS }');
    expect(ruleYaml).toContain('counted loss booked only at month end');

    const rules = join(tmp.dir, 'rules-with-suggestion');
    cpSync(join(data, 'rules'), rules, { recursive: true });
    const cls = join(rules, 'classification.yaml');
    const indented = ruleYaml
      .trimEnd()
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n');
    writeFileSync(cls, `${readFileSync(cls, 'utf8').trimEnd()}\n\n${indented}\n`);
    writeFileSync(join(rules, 'tests', `${name}.yaml`), testPart!.trimStart());

    const test = tally(tmp.dir, 'rules', 'test', rules);
    expect(test.stdout).toMatch(
      new RegExp(
        `PASS  .* is explained as KNOWN_COUNT_LOSS  \\(rules-with-suggestion/tests/${name}\\.yaml:\\d+\\)`,
      ),
    );
    expect(test.status).toBe(0);

    const { run } = await reconcileFolder({ rulesDir: rules, dataDir: data, asOf: AS_OF });
    const k = shrinkage;
    const now = run.results.find(
      (r) =>
        r.sku === k.sku &&
        r.location === k.location &&
        r.bucket === k.bucket &&
        r.source === k.source,
    );
    expect(now?.outcome).toEqual({ type: 'explained', code: 'KNOWN_COUNT_LOSS' });
    expect(now?.evidence?.decidedBy?.rule).toBe(name);
  });

  it('refuses an exception nobody has explained', async () => {
    const db = await openDb({ cwd: tmp.dir, url: '' });
    let id: number;
    try {
      const row = (await db('exceptions').whereNull('explanation').first('id')) as { id: number };
      id = row.id;
    } finally {
      await db.destroy();
    }
    const r = tally(tmp.dir, 'rules', 'suggest', String(id), '--rules', join(data, 'rules'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/has no explanation code yet.*\[NOT_EXPLAINED\]/);
  });
});
