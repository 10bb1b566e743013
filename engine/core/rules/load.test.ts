import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../errors.ts';
import { loadRuleset, loadRulesetOrThrow } from './load.ts';
import { createLocationResolver, rollUp } from '../normalize/locations.ts';
import { factorOf, unitSpecFor } from '../normalize/units.ts';

const BUNDLED = new URL('../../../rules/', import.meta.url).pathname;
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function copyBundled(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tally-rules-'));
  made.push(dir);
  cpSync(BUNDLED, dir, { recursive: true });
  return dir;
}

describe('the bundled ruleset', () => {
  it('validates with the registry connector ids and compiles the demo deployment', async () => {
    const { ruleset, problems } = await loadRuleset(BUNDLED, {
      knownConnectors: ['csv', 'jsonl', 'files'],
    });
    expect(problems).toEqual([]);
    const r = ruleset!;
    expect([...r.sources.keys()]).toEqual(['erp', 'wms-east', '3pl-west', 'shop', 'pos']);
    expect(r.files).toHaveLength(10);
    expect(r.version.hash).toMatch(/^[0-9a-f]{12}$/);
    const erp = r.sources.get('erp')!;
    expect(erp.cutoffMinutes).toBe(23 * 60);
    expect(erp.files.map((f) => f.path)).toEqual([
      'erp/items.csv',
      'erp/stock.csv',
      'erp/stock_ledger.csv',
    ]);
    expect(erp.files[2]!.columns.occurredAt).toBe('posting_date+posting_time');
    expect(r.sources.get('3pl-west')!.files[1]!.statusColumns).toEqual([
      'available',
      'allocated',
      'damaged',
      'hold',
      'inbound',
    ]);
    expect(r.statusMaps.get('shop')!.get('on_hand')).toBe('ignore');
    expect(r.statusMaps.get('wms-east')!.get('RETURNS_QA')).toBe('non_sellable');
    expect(r.schedules?.map((s) => s.group)).toEqual(['nightly', 'intraday']);
  });

  it('compiles the mappings and units normalization reads', async () => {
    const r = await loadRulesetOrThrow(BUNDLED);
    const resolve = createLocationResolver(r.mappings);
    expect(resolve('erp', 'East DC - TC')).toEqual({ fine: 'WH-EAST', compare: 'WH-EAST' });
    expect(resolve('wms-east', 'WH-EAST-B-17')).toEqual({
      fine: 'WH-EAST-B-17',
      compare: 'WH-EAST',
    });
    expect(resolve('shop', 'gid://shopify/Location/9')).toBeUndefined();
    expect(rollUp(r.mappings, 'WH-EAST-A-01')).toBe('WH-EAST');
    expect(rollUp(r.mappings, 'STORE-SF')).toBe('STORE-SF');
    expect(rollUp(r.mappings, 'NA')).toBeUndefined();
    const factor = (sku: string, skuClass: string, unit: string) =>
      factorOf(unitSpecFor(r.units, sku, skuClass), unit);
    expect(factor('SKU-00001', 'beverage', 'CS')).toBe(12);
    expect(factor('SKU-00001', 'beverage', 'Case')).toBe(12);
    expect(factor('SKU-00001', 'beverage', 'pack')).toBe(6);
    expect(factor('SKU-00002', 'apparel', 'Nos')).toBe(1);
    expect(factor('SKU-00002', 'apparel', 'CS')).toBeUndefined();
    // an item with no class of its own is in the default base unit, under any of its aliases
    expect(factor('SKU-NEW', 'unclassified', 'EA')).toBe(1);
    expect(factor('SKU-NEW', 'unclassified', 'Nos')).toBe(1);
    expect(factor('SKU-NEW', 'unclassified', 'CS')).toBeUndefined();
    // rules run highest priority first; the fallback is an exception
    const priorities = r.classification.rules.map((x) => x.priority);
    expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
    expect(r.classification.fallback).toEqual({
      type: 'exception',
      severity: 'medium',
      rootCause: 'UNEXPLAINED_VARIANCE',
    });
    const rule = r.classification.rules.find((x) => x.name === 'oversell-risk')!;
    expect(rule.file).toBe(path.relative(process.cwd(), `${BUNDLED}classification.yaml`));
    expect(
      readFileSync(`${BUNDLED}classification.yaml`, 'utf8').split('\n')[rule.line - 1],
    ).toMatch(/name: oversell-risk/);
  });
});

describe('ruleset version', () => {
  it('ignores comments, formatting and key order but not content', async () => {
    const dir = copyBundled();
    const before = (await loadRulesetOrThrow(dir)).version;
    expect(before.commit).toBeUndefined();
    expect(before.label).toBe(before.hash);
    const file = path.join(dir, 'roles.yaml');
    const text = readFileSync(file, 'utf8');
    const reordered = text
      .replace('twoApproverThresholdValue: 5000', '')
      .concat('\n# moved down\ntwoApproverThresholdValue:    5000\n');
    writeFileSync(file, reordered);
    expect((await loadRulesetOrThrow(dir)).version.hash).toBe(before.hash);
    writeFileSync(
      file,
      text.replace('twoApproverThresholdValue: 5000', 'twoApproverThresholdValue: 5001'),
    );
    expect((await loadRulesetOrThrow(dir)).version.hash).not.toBe(before.hash);
  });

  it('adds the git commit inside a checkout', async () => {
    const { ruleset } = await loadRuleset(BUNDLED);
    // the bundled rules are committed in this repository
    expect(ruleset!.version.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(ruleset!.version.label).toBe(
      `${ruleset!.version.hash}@${ruleset!.version.commit!.slice(0, 7)}`,
    );
  });
});

describe('loadRulesetOrThrow', () => {
  it('throws one InputError listing every problem', async () => {
    const dir = copyBundled();
    const file = path.join(dir, 'status-maps.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('DAMAGED: non_sellable', 'DAMAGED: damagd'),
    );
    const owners = path.join(dir, 'owners.yaml');
    writeFileSync(
      owners,
      readFileSync(owners, 'utf8').replace('receiver: west-ops', 'receiver: west-opps'),
    );
    const error = await loadRulesetOrThrow(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('RULES_INVALID');
    const message = (error as InputError).message;
    expect(message).toMatch(/2 problems/);
    expect(message).toMatch(
      /status-maps\.yaml:\d+:\d+ StatusMap wms-east\.DAMAGED: unknown bucket "damagd"/,
    );
    expect(message).toMatch(
      /owners\.yaml:\d+:\d+ Owners route\.routes\[3\]\.receiver: unknown receiver "west-opps"/,
    );
  });

  it('throws RULES_DIR_NOT_FOUND for a missing folder', async () => {
    await expect(loadRuleset('/no/such/rules')).rejects.toMatchObject({
      code: 'RULES_DIR_NOT_FOUND',
    });
  });
});
