/**
 * A live source that fails, and a live source's "now". `tally run` is run as a user runs it,
 * against a real local HTTP server speaking Shopify's Admin GraphQL: when Shopify answers
 * HTTP 500, an error page, or nothing at all, the run still reconciles the ERP and the WMS,
 * says first and loudly that the shop failed, exits 5 unless --allow-partial, and reports no
 * comparison of the shop's keys (never a zero). Shopify's levels are quantities as they are
 * now: the snapshot is stamped with the time the pull began, and the run says so.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunResult } from '../../engine/core/recon/types.ts';
import {
  startFakeShopify,
  type Fault,
  type FakeItem,
  type FakeShopify,
} from '../fakes/shopify-server.ts';
import {
  AS_OF,
  ERP_SOURCE,
  ITEMS,
  WMS_OPENING,
  WMS_SOURCE,
  erpBin,
  sources,
  world,
} from './world.ts';

const bin = new URL('../../bin/tally.mjs', import.meta.url).pathname;
const TOKEN = 'shpat_live_source';
const ENV = 'TALLY_TEST_LIVE_SHOP_TOKEN';

type Ran = { status: number | null; stdout: string; stderr: string };

/** `tally run` in a child process; async, so the fake server in this process keeps answering. */
function tally(args: string[], home: string): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: home,
      env: { ...process.env, [ENV]: TOKEN, TALLY_FROM_SOURCE: '1', NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function item(n: number, sku: string, available: number): FakeItem {
  const at = '2026-11-21T20:00:00Z';
  return {
    id: `gid://shopify/InventoryItem/${n}`,
    sku,
    updatedAt: at,
    levels: [
      {
        locationId: 'gid://shopify/Location/1',
        updatedAt: at,
        quantities: { available, committed: 0, on_hand: available },
      },
    ],
  };
}

let shopify: FakeShopify;
let home: string;
beforeAll(async () => {
  shopify = await startFakeShopify({ token: TOKEN });
  home = mkdtempSync(join(tmpdir(), 'tally-home-'));
});
afterAll(() => shopify.close());
beforeEach(() => {
  shopify.state.items = [item(1, 'SKU-1', 22), item(2, 'SKU-2', 1032)];
});

function shopWorld() {
  const shop = `
  - id: shop
    connector: shopify
    role: ecommerce
    owner: ecommerce-ops
    timezone: UTC
    cutoff: '23:00'
    group: nightly
    systemOfRecord: []
    locations: [WH-EAST]
    settings:
      endpoint: ${shopify.endpoint}
      accessTokenEnv: ${ENV}
      maxAttempts: 2
      requestTimeoutSeconds: 1
`;
  const w = world(sources(ERP_SOURCE, WMS_SOURCE, shop), {
    'erp/items.csv': ITEMS,
    // stamped a minute ago: in a run as of now, like the shop's pull
    'erp/bin.csv': erpBin(
      [
        ['SKU-1', '22'],
        ['SKU-2', '1032'],
      ],
      new Date(Date.now() - 60_000).toISOString(),
    ),
    'wms-east/opening.csv': WMS_OPENING,
  });
  // every quantity name the pull asks Shopify for, as the bundled status map places them
  const maps = join(w.rules, 'status-maps.yaml');
  writeFileSync(
    maps,
    readFileSync(maps, 'utf8').replace(
      /^ {2}shop: .*$/m,
      '  shop: { available: sellable, committed: committed, reserved: committed, damaged: non_sellable, quality_control: non_sellable, safety_stock: sellable, incoming: in_transit, on_hand: ignore }',
    ),
  );
  return w;
}

const runArgs = (w: { rules: string; data: string }, ...more: string[]) => [
  'run',
  '--data',
  w.data,
  '--rules',
  w.rules,
  '--no-persist',
  ...more,
];

/** What Shopify answers, how many requests get it (maxAttempts is 2), and what the run says. */
const FAULTS: [string, Fault, number, RegExp][] = [
  ['HTTP 500 on every attempt', { kind: 'http500' }, 2, /SHOPIFY_RETRIES_EXHAUSTED.*HTTP 500/],
  ['an error page instead of JSON', { kind: 'garbage' }, 1, /SHOPIFY_BAD_RESPONSE.*not JSON/],
  ['no answer at all', { kind: 'hang' }, 2, /SHOPIFY_RETRIES_EXHAUSTED.*no answer within 1 s/],
];

describe('a live source that fails', () => {
  for (const [what, fault, times, reason] of FAULTS) {
    it(`Shopify answering ${what}: a loud finding, exit 5, its keys not compared`, async () => {
      const w = shopWorld();
      for (let i = 0; i < times; i++) shopify.inject(fault);
      const started = Date.now();
      const r = await tally(runArgs(w, '--format', 'json'), home);
      expect(r.status, r.stderr).toBe(5);
      // the timeout bounds the wait: two attempts of 1 s and one backoff, not a hung run
      expect(Date.now() - started).toBeLessThan(20_000);
      const run = JSON.parse(r.stdout) as RunResult;
      expect(run.runFindings[0]).toMatchObject({ code: 'SOURCE_FAILED', source: 'shop' });
      expect(`${run.runFindings[0]!.file} ${run.runFindings[0]!.message}`).toMatch(reason);
      expect(run.results.filter((k) => k.source === 'shop')).toEqual([]);
      expect(run.notCompared).toContainEqual(
        expect.objectContaining({ source: 'shop', location: 'WH-EAST', reason: 'source_failed' }),
      );
      // the ERP and the WMS were reconciled all the same
      expect(run.summary.comparedBy?.find((c) => c.source === 'erp')?.matched).toBeGreaterThan(0);
    });
  }

  it('says so first in the terminal, and --allow-partial accepts the run', async () => {
    const w = shopWorld();
    for (let i = 0; i < 2; i++) shopify.inject({ kind: 'http500' });
    const r = await tally(runArgs(w, '--allow-partial'), home);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
    const first = lines.findIndex((l) => l.startsWith('Run findings:'));
    expect(lines[first]).toMatch(/^Run findings: 1 · accepted with --allow-partial/);
    expect(lines[first + 1]).toMatch(/^ {2}! shop shopify SOURCE_FAILED: failed to load/);
    expect(r.stdout).toMatch(
      /every key @ WH-EAST \(shop\) not compared: the source failed to load/,
    );
  });
});

describe('Shopify as of now', () => {
  it('stamps the levels with the time the pull began, says so, and a run as of now includes them', async () => {
    const w = shopWorld();
    const before = new Date().toISOString();
    const r = await tally(runArgs(w, '--format', 'json'), home);
    expect(r.status, r.stderr).toBe(0);
    const run = JSON.parse(r.stdout) as RunResult;
    const levels = run.inputs.find((f) => f.path.endsWith('#inventoryItems'))!;
    expect(levels).toMatchObject({ source: 'shop', read: 2, accepted: 2, outsideAsOf: 0 });
    const stamp = /^as-of (\S+): the time this pull began/.exec(levels.notes?.[0] ?? '')?.[1];
    expect(stamp, JSON.stringify(levels.notes)).toBeDefined();
    // the pull's start, between the command's start and the run's as-of (taken after reading)
    expect(stamp! >= before && stamp! <= run.asOf).toBe(true);
    expect(run.summary.comparedBy?.find((c) => c.source === 'shop')?.matched).toBeGreaterThan(0);
    expect(run.runFindings).toEqual([]);
  });

  it('is not restamped to an earlier --as-of: the levels stay out, and the run says why', async () => {
    const w = shopWorld();
    const r = await tally(runArgs(w, '--format', 'json', '--as-of', AS_OF), home);
    expect(r.status, r.stderr).toBe(5);
    const run = JSON.parse(r.stdout) as RunResult;
    const levels = run.inputs.find((f) => f.path.endsWith('#inventoryItems'))!;
    expect(levels).toMatchObject({ read: 2, accepted: 0, outsideAsOf: 2 });
    expect(run.runFindings.map((f) => [f.code, f.source])).toContainEqual([
      'FILE_ALL_OUTSIDE_AS_OF',
      'shop',
    ]);
    expect(run.results.filter((k) => k.source === 'shop')).toEqual([]);
  });
});
