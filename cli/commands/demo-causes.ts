/**
 * `tally demo --causes-report`: the labelled cause benchmark. Generates the demo week with every
 * cause injected in several variants (magnitudes, locations, which system is wrong) for each
 * seed, reconciles it with the bundled rules and scores it problem by problem.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemo } from '../../demo/index.ts';
import {
  accuracyOf,
  perProblemOf,
  precisionOf,
  recallOf,
  scoreCauses,
  summarizeCauses,
  type CauseLine,
  type CauseReport,
  type CauseScore,
} from '../../demo/cause-score.ts';
import { reconcileFolder } from '../../server/pipeline.ts';
import { fmtInt, table } from '../render/text.ts';

export type CausesReportOptions = { seeds: number; skus: number; rulesDir?: string };

export async function causesReport(options: CausesReportOptions): Promise<CauseReport> {
  const root = mkdtempSync(join(tmpdir(), 'tally-causes-'));
  const scores: { seed: number; score: CauseScore }[] = [];
  try {
    for (let seed = 1; seed <= options.seeds; seed++) {
      const demo = await generateDemo({
        dir: join(root, `seed-${seed}`),
        seed,
        skus: options.skus,
        causes: 'benchmark',
        ...(options.rulesDir ? { rulesDir: options.rulesDir } : {}),
      });
      const { run } = await reconcileFolder({
        rulesDir: demo.rulesDir,
        dataDir: demo.dataDir,
        asOf: demo.truth.asOf,
      });
      scores.push({ seed, score: scoreCauses(run, demo.truth) });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return summarizeCauses(scores);
}

const f2 = (n: number) => n.toFixed(2);
const f3 = (n: number) => n.toFixed(3);

function row(l: CauseLine): string[] {
  if (l.kind === 'explained') {
    return [l.cause, fmtInt(l.problems), '', '', f3(accuracyOf(l)), ''];
  }
  return [
    l.cause,
    fmtInt(l.problems),
    l.problems === 0 ? '' : f3(recallOf(l)),
    l.raised === 0 ? '' : f3(precisionOf(l)),
    l.problems === 0 ? '' : f3(accuracyOf(l)),
    l.detected === 0 ? '' : f2(perProblemOf(l)),
  ];
}

export function renderCausesReport(report: CauseReport, seeds: number): string[] {
  const header = ['cause', 'n', 'recall', 'precision', 'accuracy', 'exc/p'];
  const exceptions = report.lines.filter((l) => l.kind === 'exception');
  const explained = report.lines.filter((l) => l.kind === 'explained');
  const o = report.overall;
  return [
    `Cause benchmark: ${seeds} seeds, ${fmtInt(o.problems)} injected problems raised as exceptions`,
    '',
    ...table(header, [...exceptions.map(row), ['', '', '', '', '', ''], row(o)]),
    '',
    'Explained (timing, in transit, rounding): must not be raised',
    ...table(['code', 'n', '', '', 'accuracy', ''], explained.map(row)),
    '',
    `overall: precision ${f3(precisionOf(o))} · recall ${f3(recallOf(o))} · ` +
      `cause accuracy ${f3(accuracyOf(o))} · exceptions per problem ${f2(perProblemOf(o))}`,
    ...(report.misses.length === 0
      ? []
      : ['', 'Wrong or split:', ...report.misses.map((m) => `  ${m}`)]),
  ];
}
