/**
 * A full run lets go of its snapshot rows once the key space is built (the run's memory peak
 * comes later, while it classifies): the same run, the same accounting of every row, and a
 * loud defect, not an empty table, for anyone who reads them after. `tally close` keeps them.
 * On the retailer's exports in their vendors' shapes (ERPNext, WMS, Shopify, X12), configured as
 * docs/onboarding.md walks it.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reconcileFolder } from '../../server/pipeline.ts';
import { initAndEdit, RETAILER_AS_OF } from '../fixtures/retailer/onboarding.ts';

const { dir, rules } = initAndEdit();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (keepSnapshots?: boolean) =>
  reconcileFolder({
    rulesDir: rules,
    dataDir: join(dir, 'data'),
    asOf: RETAILER_AS_OF,
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

describe('snapshot rows let go after the key space', () => {
  it('gives the same run, every row accounted for alike, with or without them', async () => {
    const released = await run();
    const kept = await run(true);
    expect(kept.intake.positions.length).toBeGreaterThan(0);
    expect(released.run.results.length).toBeGreaterThan(0);
    expect(released.run.inputs.reduce((n, f) => n + f.accepted, 0)).toBeGreaterThan(0);
    expect(comparable(released.run)).toEqual(comparable(kept.run));
    // the collection that gives the memory back is timed as its own phase, counted in the total
    const d = released.run.durations;
    expect(d.collectMs).toBeGreaterThan(0);
    expect(kept.run.durations.collectMs).toBeUndefined();
    const phases = d.parseMs + d.normalizeMs + d.collectMs! + d.ledgerMs + d.matchMs;
    expect(d.totalMs).toBeCloseTo(phases + d.classifyMs, 6);
  }, 60_000);

  it('throws for a reader that comes after, rather than seeing no rows', async () => {
    const { intake } = await run();
    expect(() => intake.positions.length).toThrow(/snapshot rows read after reconcile/);
    expect(() => intake.openings.length).toThrow(/snapshot rows read after reconcile/);
    expect(intake.events.length).toBeGreaterThan(0);
  }, 60_000);
});
