/** The KPI report as a table that fits 80 columns; JSON carries every field. */
import type { KpiReport, KpiRow } from './compute.ts';

type Col = { head: string; width: number; cell: (r: KpiRow) => string };

const num = (n: number | null): string => (n === null ? '-' : String(n));
const pct = (n: number | null): string => (n === null ? '-' : n.toFixed(1));
const money = (n: number): string =>
  n >= 100_000 ? `${Math.round(n / 1000)}k` : String(Math.round(n));

const COLUMNS: Col[] = [
  { head: 'acc%', width: 5, cell: (r) => pct(r.accuracyPct) },
  { head: 'exc%', width: 5, cell: (r) => pct(r.exceptionRatePct) },
  { head: 'new', width: 4, cell: (r) => num(r.raised) },
  { head: 'rec', width: 4, cell: (r) => num(r.recurrences) },
  { head: 'res', width: 4, cell: (r) => num(r.resolved) },
  {
    head: 'p50h',
    width: 5,
    cell: (r) => num(r.ttrMedianHours === null ? null : Math.round(r.ttrMedianHours)),
  },
  {
    head: 'p90h',
    width: 5,
    cell: (r) => num(r.ttrP90Hours === null ? null : Math.round(r.ttrP90Hours)),
  },
  { head: 'risk', width: 4, cell: (r) => num(r.oversellIncidents + r.stockoutIncidents) },
  { head: 'adj', width: 4, cell: (r) => num(r.adjustments) },
  { head: 'adj val', width: 7, cell: (r) => money(r.adjustmentValue) },
  { head: 'open val', width: 8, cell: (r) => money(r.openVarianceValueAtClose) },
];

const GROUP_WIDTH = 80 - COLUMNS.reduce((n, c) => n + c.width + 1, 0);

export function formatKpiTable(report: KpiReport): string {
  const lines = [
    `KPIs by ${report.by}, ${report.since.startsWith('0000') ? 'all time' : shortTime(report.since)} to ${shortTime(report.until)}`,
    line(
      report.by,
      COLUMNS.map((c) => c.head),
    ),
    '-'.repeat(80),
    ...report.rows.map((r) =>
      line(
        r.group,
        COLUMNS.map((c) => c.cell(r)),
      ),
    ),
    '-'.repeat(80),
    line(
      'total',
      COLUMNS.map((c) => c.cell(report.total)),
    ),
    'acc% matched or explained; exc% exception keys per compared key; rec reopened;',
    'p50h/p90h hours to resolve; risk oversell+stockout incidents; open val at close.',
  ];
  return lines.join('\n') + '\n';
}

function shortTime(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

function line(group: string, cells: string[]): string {
  const name = group.length > GROUP_WIDTH - 1 ? `${group.slice(0, GROUP_WIDTH - 2)}…` : group;
  return name.padEnd(GROUP_WIDTH) + cells.map((c, i) => c.padStart(COLUMNS[i]!.width)).join(' ');
}
