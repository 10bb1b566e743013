/**
 * The stored form of evidence (engine/core/recon/stored-evidence.ts) gives back every evidence a
 * run makes, exactly: on the demo, the benchmark's data and the retailer's exports, each
 * evidence read back from its stored text equals the evidence (as JSON has it), and the text is
 * shorter than the plain JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateScale } from '../../bench/scale.ts';
import { DEFAULT_SEED, generateDemo } from '../../demo/index.ts';
import { encodeEvidence, readEvidence } from '../../engine/core/recon/stored-evidence.ts';
import type { Evidence } from '../../engine/core/recon/types.ts';
import { reconcileFolder } from '../../server/pipeline.ts';
import { initAndEdit, RETAILER_AS_OF } from '../fixtures/retailer/onboarding.ts';

const root = mkdtempSync(join(tmpdir(), 'tally-stored-evidence-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Seen = {
  evidences: number;
  events: number;
  paired: number;
  outside: number;
  candidates: number;
};

async function roundTrip(rulesDir: string, dataDir: string, asOf: string): Promise<Seen> {
  const { run } = await reconcileFolder({ rulesDir, dataDir, asOf });
  const seen: Seen = { evidences: 0, events: 0, paired: 0, outside: 0, candidates: 0 };
  let plainBytes = 0;
  let storedBytes = 0;
  for (const r of run.results) {
    if (!r.evidence) continue;
    const plain = JSON.stringify(r.evidence);
    const text = encodeEvidence(r.evidence);
    expect(readEvidence(text)).toEqual(JSON.parse(plain) as Evidence);
    plainBytes += plain.length;
    storedBytes += text.length;
    // what was packed: every movement, candidate and the facts went to arrays
    const stored = JSON.parse(text) as {
      history: unknown[];
      candidates?: unknown[];
      facts: unknown;
    };
    expect(stored.history.every(Array.isArray)).toBe(true);
    expect((stored.candidates ?? []).every(Array.isArray)).toBe(true);
    expect(Array.isArray(stored.facts)).toBe(true);
    seen.evidences++;
    seen.events += r.evidence.history.length;
    seen.paired += r.evidence.history.filter((e) => e.pairedWith).length;
    seen.outside += r.evidence.history.filter((e) => e.to.kind === 'outside').length;
    seen.candidates += r.evidence.candidates?.length ?? 0;
  }
  expect(storedBytes).toBeLessThan(plainBytes * 0.7);
  return seen;
}

describe('evidence stored and read back', () => {
  it('on the demo (default seed)', async () => {
    const demo = await generateDemo({ dir: join(root, 'demo'), seed: DEFAULT_SEED });
    const seen = await roundTrip(demo.rulesDir, demo.dataDir, demo.truth.asOf);
    expect(seen.evidences).toBeGreaterThan(5);
    expect(seen.events).toBeGreaterThan(20);
    expect(seen.outside).toBeGreaterThan(0);
    expect(seen.candidates).toBeGreaterThan(0);
  });

  it('on the benchmark data (20,000 keys, seed 1)', async () => {
    const data = await generateScale({ dir: join(root, 'bench'), seed: 1, keys: 20_000 });
    const seen = await roundTrip(data.rulesDir, data.dir, data.asOf);
    expect(seen.evidences).toBeGreaterThan(500);
  });

  it("on the retailer's exports (movements paired across systems among them)", async () => {
    const { dir, rules } = initAndEdit();
    try {
      const seen = await roundTrip(rules, join(dir, 'data'), RETAILER_AS_OF);
      expect(seen.evidences).toBeGreaterThan(5);
      expect(seen.paired).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
