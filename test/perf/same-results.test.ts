/**
 * The speed work must not change a decision: the digest of every result, its evidence, the
 * findings and the row accounting (run-digest.ts) on the demo, on the benchmark's generated data
 * and on the retailer's exports equals the one recorded in same-results.json. A change that is
 * meant to change results records the new digests with TALLY_UPDATE_DIGESTS=1 and says why in
 * its commit.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SEED, generateDemo } from '../../demo/index.ts';
import { generateScale } from '../../bench/scale.ts';
import { reconcileFolder } from '../../server/pipeline.ts';
import { initAndEdit, RETAILER_AS_OF } from '../fixtures/retailer/onboarding.ts';
import { runDigest, type RunDigest } from './run-digest.ts';

const GOLDEN = new URL('./same-results.json', import.meta.url).pathname;
const update = process.env.TALLY_UPDATE_DIGESTS === '1';
const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, RunDigest>;
const measured: Record<string, RunDigest> = {};

const root = mkdtempSync(join(tmpdir(), 'tally-same-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  if (update) writeFileSync(GOLDEN, `${JSON.stringify({ ...golden, ...measured }, null, 2)}\n`);
});

async function digestOf(rulesDir: string, dataDir: string, asOf: string): Promise<RunDigest> {
  const { run } = await reconcileFolder({ rulesDir, dataDir, asOf });
  return runDigest(run, { rulesDir, dataDir });
}

function check(name: string, got: RunDigest): void {
  measured[name] = got;
  if (!update) expect(got).toEqual(golden[name]);
}

describe('the same decisions and evidence as recorded', () => {
  it('on the demo (default seed)', async () => {
    const demo = await generateDemo({ dir: join(root, 'demo'), seed: DEFAULT_SEED });
    check('demo', await digestOf(demo.rulesDir, demo.dataDir, demo.truth.asOf));
  });

  it('on the benchmark data (20,000 keys, seed 1)', async () => {
    const data = await generateScale({ dir: join(root, 'bench'), seed: 1, keys: 20_000 });
    check('bench-20k', await digestOf(data.rulesDir, data.dir, data.asOf));
  });

  it('on the benchmark data with every file read on a reading thread', async () => {
    const data = await generateScale({ dir: join(root, 'bench'), seed: 1, keys: 20_000 });
    const got = await onReadingThreads(() => digestOf(data.rulesDir, data.dir, data.asOf));
    if (!update) expect(got).toEqual(golden['bench-20k']);
  });

  it("on the retailer's exports", async () => {
    // configured as docs/onboarding.md walks it: `tally init`, then the guide's edits
    const { dir, rules } = initAndEdit();
    try {
      check('retailer', await digestOf(rules, join(dir, 'data'), RETAILER_AS_OF));
      // the vendors' export shapes (ERPNext, WMS, Shopify, X12) read on the reading thread too
      const threaded = await onReadingThreads(() =>
        digestOf(rules, join(dir, 'data'), RETAILER_AS_OF),
      );
      if (!update) expect(threaded).toEqual(golden.retailer);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

/** Runs `read` with every file read on a reading thread (connectors/shared/read-in-worker.ts). */
async function onReadingThreads<T>(read: () => Promise<T>): Promise<T> {
  process.env.TALLY_READ_THREADS = 'all';
  try {
    return await read();
  } finally {
    delete process.env.TALLY_READ_THREADS;
  }
}
