/**
 * A full run lets go of its snapshot rows once the key space is built (the run's memory peak
 * comes later, while it classifies): the same run, the same accounting of every row, and a
 * loud defect, not an empty table, for anyone who reads them after. `tally close` keeps them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SEED, generateDemo, type DemoResult } from '../../demo/index.ts';
import { reconcileFolder } from '../../server/pipeline.ts';

const root = mkdtempSync(join(tmpdir(), 'tally-release-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('snapshot rows let go after the key space', () => {
  let demo: DemoResult;
  beforeAll(async () => {
    demo = await generateDemo({ dir: join(root, 'demo'), seed: DEFAULT_SEED });
  });
  const run = (keepSnapshots?: boolean) =>
    reconcileFolder({
      rulesDir: demo.rulesDir,
      dataDir: demo.dataDir,
      asOf: demo.truth.asOf,
      keepSnapshots,
    });
  const comparable = (r: Awaited<ReturnType<typeof run>>['run']) => ({
    results: r.results,
    summary: r.summary,
    notCompared: r.notCompared,
    findings: r.findings,
    runFindings: r.runFindings,
    inputs: r.inputs,
  });

  it('gives the same run, every row accounted for alike, with or without them', async () => {
    const released = await run();
    const kept = await run(true);
    expect(kept.intake.positions.length).toBeGreaterThan(0);
    expect(released.run.inputs.reduce((n, f) => n + f.accepted, 0)).toBeGreaterThan(0);
    expect(comparable(released.run)).toEqual(comparable(kept.run));
  });

  it('throws for a reader that comes after, rather than seeing no rows', async () => {
    const { intake } = await run();
    expect(() => intake.positions.length).toThrow(/snapshot rows read after reconcile/);
    expect(() => intake.openings.length).toThrow(/snapshot rows read after reconcile/);
    expect(intake.events.length).toBeGreaterThan(0);
  });
});
