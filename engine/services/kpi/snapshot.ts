import type { Knex } from 'knex';
import type { KpiReport } from './compute.ts';
import { nowIso } from '../../core/model/canonical.ts';
import { insertedId } from '../store/db.ts';

/** Stores a computed report so dashboards and digests can read history without recomputing. */
export async function saveKpiSnapshot(db: Knex, report: KpiReport): Promise<number> {
  const rows = await db('kpi_snapshots')
    .insert({
      taken_at: nowIso(),
      period_from: report.since,
      period_to: report.until,
      group_by: report.by,
      payload: JSON.stringify(report),
    })
    .returning('id');
  return insertedId(rows);
}
