/** The KPI report as a table that fits 80 columns; JSON carries every field. */
import type { KpiReport, KpiRow } from './compute.ts';
import { currencyOf, DEFAULT_CURRENCY } from '../../core/model/money.ts';

type Col = { head: string; width: number; cell: (r: KpiRow, exponent: number) => string };

const num = (n: number | null): string => (n === null ? '-' : String(n));
const pct = (n: number | null): string => (n === null ? '-' : n.toFixed(1));
/** Whole currency units from exact minor units, thousands as k past 100,000: 64218 → "642". */
const money = (minor: number, exponent: number): string => {
  const whole = Math.round(minor / 10 ** exponent);
  return whole >= 100_000 ? `${Math.round(whole / 1000)}k` : String(whole);
};

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
  { head: 'adj val', width: 7, cell: (r, e) => money(r.adjustmentValueMinor, e) },
  { head: 'open val', width: 8, cell: (r, e) => money(r.openVarianceValueAtCloseMinor, e) },
];

const GROUP_WIDTH = 80 - COLUMNS.reduce((n, c) => n + c.width + 1, 0);

export function formatKpiTable(report: KpiReport): string {
  const exponent = (currencyOf(report.currency) ?? DEFAULT_CURRENCY).exponent;
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
        COLUMNS.map((c) => c.cell(r, exponent)),
      ),
    ),
    '-'.repeat(80),
    line(
      'total',
      COLUMNS.map((c) => c.cell(report.total, exponent)),
    ),
    'acc% matched or explained; exc% exception keys per compared key; rec reopened;',
    'p50h/p90h hours to resolve; risk oversell+stockout incidents; open val at close;',
    `adj val and open val in whole ${report.currency}.`,
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
