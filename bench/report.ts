/** The benchmark's printed table: medians per phase, targets, and Tally ÷ DuckDB. */
import { fmtInt, fmtMs, table } from '../cli/render/text.ts';
import type { ChildFigures } from './child-run.ts';
import { median } from './stats.ts';
import type { BenchReport, MeasuredRun } from './types.ts';

const m = (runs: MeasuredRun[], pick: (f: MeasuredRun) => number) => median(runs.map(pick));
const mib = (n: number) => `${fmtInt(n)} MiB`;

export function renderBench(r: BenchReport): string[] {
  const d = r.data;
  const phase = (k: keyof NonNullable<ChildFigures['phases']>) => m(r.tally, (f) => f.phases![k]);
  const classifyMs = phase('classifyMs');
  const evaluated = m(r.tally, (f) => f.evaluated ?? 0);
  const perSecond = classifyMs > 0 ? (evaluated / classifyMs) * 1000 : 0;
  const e2e = m(r.tally, (f) => f.wallMs);
  const rss = m(r.tally, (f) => f.maxRssMiB);
  const duck = m(r.duckdb, (f) => f.wallMs);
  const mark = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  const rows: string[][] = [
    ['parse (read files)', fmtMs(phase('parseMs')), ''],
    ['normalize', fmtMs(phase('normalizeMs')), ''],
    ['ledger', fmtMs(phase('ledgerMs')), ''],
    ['match', fmtMs(phase('matchMs')), ''],
    ['classify', fmtMs(classifyMs), ''],
    ['end to end', fmtMs(e2e), `≤ 20 s ${mark(e2e <= 20_000)}`],
    ['process (with start-up)', fmtMs(m(r.tally, (f) => f.processMs)), ''],
    ['peak RSS', mib(rss), `≤ 2,048 MiB ${mark(rss <= 2048)}`],
    ['classified / s', fmtInt(perSecond), `≥ 50,000 ${mark(perSecond >= 50_000)}`],
    ['DuckDB diff (2 threads)', fmtMs(duck), mib(m(r.duckdb, (f) => f.maxRssMiB))],
    ['Tally ÷ DuckDB', `${(e2e / duck).toFixed(1)}×`, ''],
  ];
  const out = [
    `Benchmark: ${fmtInt(d.keys)} keys, 3 sources, ${fmtInt(d.snapshotRows)} snapshot rows,`,
    `  ${fmtInt(d.events)} events, ${fmtInt(d.differingKeys)} keys differing; medians of ` +
      `${r.tally.length} fresh processes`,
    '',
    ...table(['', 'median', 'target / note'], rows),
    '',
    `  rules evaluated ${fmtInt(evaluated)}; differing keys found: Tally ` +
      `${fmtInt(m(r.tally, (f) => f.differing ?? 0))}, DuckDB ${fmtInt(m(r.duckdb, (f) => f.differing ?? 0))}`,
  ];
  return [...out, ...renderPersist(r.persist), ...renderRealtime(r.realtime)];
}

function renderPersist(persist: BenchReport['persist']): string[] {
  if (!persist?.length) return [];
  const rows = persist.map((p) => [
    p.engine,
    fmtMs(p.firstPersistMs),
    fmtMs(p.secondPersistMs),
    fmtMs(p.eventsLoadMs),
    fmtMs(p.positionsLoadMs),
  ]);
  const first = persist[0]!;
  return [
    '',
    `Persistence: a run with ${fmtInt(first.results)} results (first, then again), ` +
      `bulk load of ${fmtInt(first.bulkRows)} rows`,
    ...table(['engine', 'persist 1', 'persist 2', 'events', 'positions'], rows),
  ];
}

function renderRealtime(realtime: BenchReport['realtime']): string[] {
  if (!realtime?.length) return [];
  const rows = realtime.map((x) => [
    x.engine,
    fmtInt(x.events),
    fmtMs(x.medianMs),
    fmtMs(x.p90Ms),
    fmtMs(x.maxMs),
  ]);
  return [
    '',
    'Near real-time: Shopify webhook in → exception message updated (chat.update at a local',
    '  Slack API), through tally serve; events 1.3 s apart so channel pacing stays out',
    ...table(['engine', 'events', 'median', 'p90', 'max'], rows),
  ];
}
