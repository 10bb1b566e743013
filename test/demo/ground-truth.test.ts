/**
 * The reconciliation against the generator's ground truth: every injected cause at its key
 * with the right outcome, timing differences explained, and exception precision and recall
 * of at least 0.95 on the default seed and five others.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SEED, generateDemo, type DemoResult } from '../../demo/index.ts';
import { describeOutcome, scoreAgainstTruth } from '../../bench/truth-check.ts';
import { truthKey } from '../../demo/truth.ts';
import { reconcileFolder } from '../../server/pipeline.ts';
import type { RunResult } from '../../engine/core/recon/types.ts';

const root = mkdtempSync(join(tmpdir(), 'tally-truth-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function generateAndRun(seed: number): Promise<{ demo: DemoResult; run: RunResult }> {
  const demo = await generateDemo({ dir: join(root, `seed-${seed}`), seed });
  const { run } = await reconcileFolder({
    rulesDir: demo.rulesDir,
    dataDir: demo.dataDir,
    asOf: demo.truth.asOf,
  });
  return { demo, run };
}

describe('injected causes on the default seed', () => {
  let demo: DemoResult;
  let byKey: Map<string, RunResult['results'][number]>;
  beforeAll(async () => {
    const r = await generateAndRun(DEFAULT_SEED);
    demo = r.demo;
    byKey = new Map(r.run.results.map((k) => [truthKey(k), k]));
  });

  const causes = [
    ['pending-posting', 'explained'],
    ['late-event', 'explained'],
    ['late-out-of-order', 'explained'],
    ['in-transit', 'explained'],
    ['status-mismatch', 'exception'],
    ['uom-times-12', 'exception'],
    ['uom-div-12', 'exception'],
    ['uom-rounding', 'explained'],
    ['returns-oversell', 'exception'],
    ['manual-adjustment-erp', 'exception'],
    ['missing-posting', 'exception'],
    ['duplicate-event', 'exception'],
    ['phantom-stock', 'exception'],
    ['unrecorded-shrinkage', 'exception'],
    ['bin-roll-up', 'match'],
  ] as const;

  it.each(causes)('%s: the right key gets the right outcome (%s)', (cause, type) => {
    const entries = demo.truth.entries.filter((e) => e.cause === cause);
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) {
      const got = byKey.get(truthKey(e));
      const where = `${truthKey(e)} (${e.note ?? ''})`;
      expect(got?.outcome.type ?? 'match', where).toBe(type);
      if (e.expected.type === 'exception') {
        expect(describeOutcome(got), where).toBe(`exception ${e.expected.rootCause}`);
        expect(got?.evidence?.decidedBy, where).toBeTruthy();
      }
      if (e.expected.type === 'explained') {
        const accepted = [e.expected.code, ...(e.expected.alsoAccept ?? [])];
        expect(accepted, where).toContain(got?.outcome.type === 'explained' && got.outcome.code);
      }
    }
  });

  it('raises no timing difference inside its window as an exception', () => {
    const timing = demo.truth.entries.filter((e) => e.expected.type === 'explained');
    for (const e of timing) {
      expect(byKey.get(truthKey(e))?.outcome.type, truthKey(e)).not.toBe('exception');
    }
  });

  it('names the missing posting: which event, which system lacks it', () => {
    const e = demo.truth.entries.find((x) => x.cause === 'missing-posting')!;
    const unmatched = byKey.get(truthKey(e))?.evidence?.unmatched ?? [];
    const brk = unmatched.find((u) => u.status === 'break');
    expect(brk?.missingIn).toContain('erp');
    expect(e.note).toContain(brk!.reference!);
  });
});

describe('exception precision and recall against ground truth', () => {
  it.each([DEFAULT_SEED, 1, 2, 3, 4, 5])('seed %i: both at least 0.95', async (seed) => {
    const { demo, run } = await generateAndRun(seed);
    const score = scoreAgainstTruth(run, demo.truth);
    const line =
      `seed ${seed}: precision ${score.precision.toFixed(3)} recall ${score.recall.toFixed(3)}` +
      ` (tp ${score.truePositives}, fp ${score.falsePositives}, fn ${score.falseNegatives})`;
    console.log(line);
    for (const d of score.disagreements) {
      console.log(`  ${d.key} ${d.cause ?? ''}: expected ${d.expected}, got ${d.got}`);
    }
    expect(score.truePositives).toBeGreaterThan(0);
    expect(score.precision, line).toBeGreaterThanOrEqual(0.95);
    expect(score.recall, line).toBeGreaterThanOrEqual(0.95);
  });
});
