/**
 * The benchmark's printed report: the #18 targets with pass/fail at 1,000,000 keys (or the
 * largest size measured), the scaling table, then the live path, persistence and Slack delivery
 * (report-sections.ts). Every figure is a median of fresh processes; every ratio is taken
 * against DuckDB measured in the same run.
 */
import { fmtInt, fmtMs, table } from '../cli/render/text.ts';
import { median } from './stats.ts';
import { mark, TARGETS } from './targets.ts';
import type { BenchReport, MeasuredRun, SizeReport } from './types.ts';
import { loadText, renderDelivery, renderLive, renderPersist } from './report-sections.ts';

const m = (runs: MeasuredRun[], pick: (f: MeasuredRun) => number) => median(runs.map(pick));
const mib = (n: number) => `${fmtInt(n)} MiB`;
const perSecond = (count: number, ms: number) => (ms > 0 ? (count / ms) * 1000 : 0);

/** Medians of one size; the ratio is the median of each run's Tally ÷ DuckDB. */
export function figures(s: SizeReport) {
  const phase = (k: keyof NonNullable<MeasuredRun['phases']>) =>
    m(s.tally, (f) => f.phases![k] ?? 0);
  const classifyMs = phase('classifyMs');
  // runs measured before the rule phase was timed have none
  const rulesMs = m(s.tally, (f) => f.phases?.rulesMs ?? 0);
  const differing = m(s.tally, (f) => f.differing ?? 0);
  const compared = m(s.tally, (f) => f.compared ?? 0);
  const ratios = s.tally.map((t, i) => t.wallMs / (s.duckdb[i]?.wallMs ?? NaN));
  return {
    keys: s.data.keys,
    e2e: m(s.tally, (f) => f.wallMs),
    before: m(s.tally, (f) => f.beforePersistMs ?? 0),
    persist: m(s.tally, (f) => f.persistMs ?? 0),
    queue: m(s.tally, (f) => f.queueMessagesMs ?? 0),
    process: m(s.tally, (f) => f.processMs),
    rss: m(s.tally, (f) => f.maxRssMiB),
    cpu: m(s.tally, (f) => f.cpuMs ?? NaN),
    duck: m(s.duckdb, (f) => f.wallMs),
    duckCpu: m(s.duckdb, (f) => f.cpuMs ?? NaN),
    ratio: median(ratios),
    parse: phase('parseMs'),
    normalize: phase('normalizeMs'),
    // runs measured before the collection had a phase of its own counted it in normalize
    collect: m(s.tally, (f) => f.phases?.collectMs ?? 0),
    ledger: phase('ledgerMs'),
    match: phase('matchMs'),
    classifyMs,
    differing,
    compared,
    rulesMs,
    /** Differing keys ÷ the rule phase: the target's definition. */
    differingPerSecond: perSecond(differing, rulesMs),
    /** Differing keys ÷ the whole classify phase (compare loop, facts, rules, evidence). */
    differingPerClassifySecond: perSecond(differing, classifyMs),
    comparedPerSecond: perSecond(compared, classifyMs),
  };
}

/** The size the targets are read at: 1,000,000 keys, else the largest measured. */
function targetSize(sizes: SizeReport[]): SizeReport | undefined {
  return (
    sizes.find((s) => s.data.keys === TARGETS.keys) ??
    [...sizes].sort((a, b) => b.data.keys - a.data.keys)[0]
  );
}

function renderTargets(s: SizeReport, runs: number, perKey: number | undefined): string[] {
  const f = figures(s);
  const d = s.data;
  const at1M = d.keys === TARGETS.keys;
  const rssTarget = TARGETS.peakRssMiB[d.keys];
  const check = (ok: boolean, target: string) => (at1M ? `${target} ${mark(ok)}` : target);
  const rows: string[][] = [
    ['end to end, saved on SQLite', fmtMs(f.e2e), check(f.e2e <= TARGETS.endToEndMs, '≤ 6 s')],
    ['  before saving', fmtMs(f.before), check(f.before <= TARGETS.beforePersistMs, '≤ 4 s')],
    ['  saving the run', fmtMs(f.persist), ''],
    ['    of which Slack messages queued', fmtMs(f.queue), ''],
    ['  parse (read files)', fmtMs(f.parse), ''],
    ['  normalize', fmtMs(f.normalize), ''],
    ['  memory given back (a full collection)', fmtMs(f.collect), ''],
    ['  ledger', fmtMs(f.ledger), ''],
    ['  match', fmtMs(f.match), ''],
    ['  classify, with evidence', fmtMs(f.classifyMs), ''],
    ['    of which the rule phase', fmtMs(f.rulesMs), ''],
    ['process (with start-up)', fmtMs(f.process), ''],
    ['  CPU time of every thread, end to end', fmtMs(f.cpu), ''],
    ['DuckDB plain diff (2 threads)', fmtMs(f.duck), ''],
    ['  CPU time of every thread', fmtMs(f.duckCpu), ''],
    ['Tally ÷ DuckDB (median of runs)', `${f.ratio.toFixed(1)}×`, check(f.ratio <= 4, '≤ 4×')],
    [
      'peak RSS',
      mib(f.rss),
      rssTarget
        ? check(f.rss <= rssTarget, `≤ ${fmtInt(rssTarget)} MiB (${at1M ? '1.0' : '2.5'} GB)`)
        : '',
    ],
    ['  per key (RSS ÷ keys)', `${fmtInt((f.rss * 2 ** 20) / f.keys)} B`, ''],
    ...(perKey !== undefined ? [['  per added key (scaling)', `${fmtInt(perKey)} B`, '']] : []),
    ...againRows(s, check, rssTarget),
    ...postgresRows(s),
    [
      'differing keys ÷ rule phase',
      `${fmtInt(f.differingPerSecond)}/s`,
      check(f.differingPerSecond >= TARGETS.differingPerSecond, '≥ 500,000/s'),
    ],
    ['differing keys ÷ classify phase', `${fmtInt(f.differingPerClassifySecond)}/s`, ''],
    ['comparisons ÷ classify phase', `${fmtInt(f.comparedPerSecond)}/s`, ''],
  ];
  return [
    `Batch: ${fmtInt(d.keys)} keys × 3 sources, ${fmtInt(d.snapshotRows)} snapshot rows, ` +
      `${fmtInt(d.events)} events; medians of ${runs} fresh processes`,
    ...(at1M ? [] : [`  (the targets are set for ${fmtInt(TARGETS.keys)} keys: not checked here)`]),
    '',
    ...table(['', 'median', 'target'], rows),
    '',
    `  ${fmtInt(f.differing)} differing keys (exceptions + explained), ${fmtInt(f.compared)} ` +
      'comparisons (key × source);',
    `  DuckDB found ${fmtInt(m(s.duckdb, (x) => x.differing ?? 0))} differing keys. ` +
      'Classify = the compare loop, the facts, the rules and the evidence;',
    '  the rule phase = the rules alone, evaluated for the differing keys.',
    `  ${loadText(s.load)} at the end of this size`,
  ];
}

/** The same run over its own saved database (the next day's run: every exception continues). */
function againRows(
  s: SizeReport,
  check: (ok: boolean, target: string) => string,
  rssTarget: number | undefined,
): string[][] {
  const again = s.again ?? [];
  if (again.length === 0) return [];
  const rss = m(again, (f) => f.maxRssMiB);
  return [
    ['again over its saved database', fmtMs(m(again, (f) => f.wallMs)), ''],
    ['  saving (every exception continues)', fmtMs(m(again, (f) => f.persistMs ?? 0)), ''],
    [
      '  peak RSS',
      mib(rss),
      rssTarget ? check(rss <= rssTarget, `≤ ${fmtInt(rssTarget)} MiB`) : '',
    ],
  ];
}

/** The same runs saved on PostgreSQL (--postgres): no target, production's engine. */
function postgresRows(s: SizeReport): string[][] {
  const pg = s.postgres;
  if (!pg || pg.tally.length === 0) return [];
  return [
    ['saved on PostgreSQL, end to end', fmtMs(m(pg.tally, (f) => f.wallMs)), ''],
    ['  saving the run', fmtMs(m(pg.tally, (f) => f.persistMs ?? 0)), ''],
    ['    of which Slack messages queued', fmtMs(m(pg.tally, (f) => f.queueMessagesMs ?? 0)), ''],
    ['  again over its saved schema', fmtMs(m(pg.again, (f) => f.wallMs)), ''],
    ['    saving (every exception continues)', fmtMs(m(pg.again, (f) => f.persistMs ?? 0)), ''],
  ];
}

/** Extra RSS per extra key between the smallest and the largest size. */
function marginalPerKey(sizes: SizeReport[]): number | undefined {
  if (sizes.length < 2) return undefined;
  const sorted = [...sizes].sort((a, b) => a.data.keys - b.data.keys);
  const [a, b] = [figures(sorted[0]!), figures(sorted.at(-1)!)];
  return ((b.rss - a.rss) * 2 ** 20) / (b.keys - a.keys);
}

function renderScaling(sizes: SizeReport[]): string[] {
  const rows = sizes.map((s) => {
    const f = figures(s);
    return [
      fmtInt(f.keys),
      fmtMs(f.e2e),
      fmtMs(f.before),
      fmtMs(f.persist),
      fmtMs(f.duck),
      `${f.ratio.toFixed(1)}×`,
      fmtInt(f.rss),
      `${fmtInt(f.differingPerSecond)}/s`,
      s.load[0].toFixed(2),
    ];
  });
  return [
    'Scaling (medians): e2e = end to end with the run saved, pre-save = before saving,',
    '  load = 1-minute load average at the end of the size',
    ...table(
      ['keys', 'e2e', 'pre-save', 'save', 'DuckDB', 'ratio', 'RSS MiB', 'rules diff/s', 'load'],
      rows,
    ),
  ];
}

export function renderBench(r: BenchReport): string[] {
  const out: string[] = [`Started at ${loadText(r.startLoad)}`];
  if (r.code && r.sizes.length) out.push(`Code: ${r.code}`);
  if (r.memory) out.push(`Memory: ${r.memory}`);
  const at = targetSize(r.sizes);
  if (at) {
    out.push('', ...renderTargets(at, r.runs, marginalPerKey(r.sizes)));
    out.push('', ...renderScaling(r.sizes));
  }
  return [
    ...out,
    ...renderLive(r.live),
    ...renderPersist(r.persist),
    ...renderDelivery(r.delivery),
  ];
}
