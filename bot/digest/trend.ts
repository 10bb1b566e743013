/**
 * The digest's trend: one point per day from the KPI snapshots of the last 30 days (the digest
 * saves one for the day before each time it runs; `tally kpi --since 1d --save` adds one too).
 */
import type { Knex } from 'knex';
import { computeKpis, saveKpiSnapshot, type KpiReport } from '../../engine/services/kpi/index.ts';

export type TrendPoint = { day: string; accuracyPct: number | null; open: number };

export const TREND_DAYS = 30;
/** Snapshots of longer periods (all time, a month) say nothing about one day. */
const MAX_PERIOD_MS = 36 * 3_600_000;

/** Saves the KPIs of the day ending `now`, by owner: the digest's daily point. */
export async function saveDailySnapshot(db: Knex, now: Date): Promise<KpiReport> {
  const since = new Date(now.getTime() - 86_400_000).toISOString();
  const report = await computeKpis(db, { by: 'owner', since, until: now.toISOString() });
  await saveKpiSnapshot(db, report);
  return report;
}

export async function readTrend(db: Knex, now: Date, days = TREND_DAYS): Promise<TrendPoint[]> {
  const from = new Date(now.getTime() - days * 86_400_000).toISOString();
  const rows = (await db('kpi_snapshots')
    .where('period_to', '>=', from)
    .andWhere('period_to', '<=', now.toISOString())
    .orderBy([{ column: 'period_to' }, { column: 'id' }])
    .select('period_from', 'period_to', 'payload')) as {
    period_from: string;
    period_to: string;
    payload: string;
  }[];
  const byDay = new Map<string, TrendPoint>();
  for (const r of rows) {
    if (Date.parse(r.period_to) - Date.parse(r.period_from) > MAX_PERIOD_MS) continue;
    const total = (JSON.parse(r.payload) as KpiReport).total;
    const day = r.period_to.slice(0, 10);
    byDay.set(day, { day, accuracyPct: total.accuracyPct, open: total.openAtClose ?? 0 });
  }
  return [...byDay.values()];
}
