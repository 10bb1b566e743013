/**
 * The labelled cause benchmark on two seeds, as a regression test: every variant the issue
 * "Name the right root cause, once per problem" names — a delivery posted twice under two voucher
 * numbers, a count to zero or short that never reached the ERP, a 3PL write-off (947 AU), a
 * status move over two buckets, a shop mirroring an ERP mistake, a transfer lost on the way —
 * gets its cause, and one exception per problem.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../demo/index.ts';
import { scoreCauses, type CauseScore } from '../../demo/cause-score.ts';
import { reconcileFolder } from '../../server/pipeline.ts';

const root = mkdtempSync(join(tmpdir(), 'tally-causes-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const scores: CauseScore[] = [];
beforeAll(async () => {
  for (const seed of [3, 8]) {
    const demo = await generateDemo({
      dir: join(root, `seed-${seed}`),
      seed,
      skus: 120,
      causes: 'benchmark',
    });
    const { run } = await reconcileFolder({
      rulesDir: demo.rulesDir,
      dataDir: demo.dataDir,
      asOf: demo.truth.asOf,
    });
    scores.push(scoreCauses(run, demo.truth));
  }
}, 240_000);

const problems = () => scores.flatMap((s) => s.problems);

describe('the cause benchmark', () => {
  it.each([
    ['duplicate-new-voucher', 'DUPLICATE_EVENT'],
    ['count-to-zero-unposted', 'PHANTOM_STOCK'],
    ['count-short-unposted', 'UNRECORDED_SHRINKAGE'],
    ['missing-posting-write-off', 'MISSING_POSTING'],
    ['missing-posting-receipt', 'MISSING_POSTING'],
    ['missing-posting-sale', 'MISSING_POSTING'],
    ['status-mismatch', 'STATUS_MISMAPPED'],
    ['oversell', 'OVERSELL_RISK'],
    ['lost-in-transit', 'LOST_IN_TRANSIT'],
    ['shrinkage-snapshot', 'UNRECORDED_SHRINKAGE'],
    ['manual-adjustment-erp', 'MANUAL_ADJUSTMENT_WRONG_SYSTEM'],
    ['uom-times-12', 'UOM_MISMATCH'],
  ])('%s is raised once, as %s', (label, cause) => {
    const mine = problems().filter((p) => p.label === label);
    expect(mine.length).toBeGreaterThan(0);
    for (const p of mine) {
      expect(`${p.where}: ${p.named} ×${p.exceptions}`).toBe(`${p.where}: ${cause} ×1`);
    }
  });

  it('raises nothing but the injected problems, and explains every timing difference', () => {
    const raised = scores.flatMap((s) => s.raised);
    expect(raised.filter((r) => !r.truePositive)).toEqual([]);
    const explained = problems().filter((p) => p.kind === 'explained');
    expect(explained.filter((p) => !p.correct)).toEqual([]);
  });
});
