/** `tally kpi`: reconciliation KPIs over a period, by location, source, owner or sku. */
import type { Command } from 'commander';
import {
  computeKpis,
  formatKpiTable,
  saveKpiSnapshot,
  type Dimension,
} from '../../engine/services/kpi/index.ts';
import { withDb } from '../../engine/services/store/db.ts';
import { oneOf, timeBound } from './format.ts';

const DIMENSIONS: readonly Dimension[] = ['location', 'source', 'owner', 'sku'];

export function register(program: Command): void {
  program
    .command('kpi')
    .description(
      'Show accuracy, exception rate, time to resolution, recurrence, risk incidents, adjustments and open variance value.',
    )
    .option(
      '--since <time>',
      'start of the period: ISO time, date or age such as 30d (default: all history)',
    )
    .option(
      '--until <time>',
      'end of the period, also the close for the open-variance value (default: now)',
    )
    .option('--by <dimension>', 'location, source, owner or sku', 'location')
    .option('--format <format>', 'table or json', 'table')
    .option('--save', 'also store the report as a KPI snapshot')
    .action(
      async (o: { since?: string; until?: string; by: string; format: string; save?: boolean }) => {
        const by = oneOf('--by', o.by, DIMENSIONS);
        const format = oneOf('--format', o.format, ['table', 'json'] as const);
        const since = timeBound('--since', o.since, false);
        const until = timeBound('--until', o.until, true);
        const report = await withDb(async (db) => {
          const r = await computeKpis(db, { by, since, until });
          if (o.save) await saveKpiSnapshot(db, r);
          return r;
        });
        process.stdout.write(
          format === 'json' ? JSON.stringify(report, null, 2) + '\n' : formatKpiTable(report),
        );
      },
    );
}
