export {
  computeKpis,
  percentile,
  type KpiOptions,
  type KpiReport,
  type KpiRow,
  type Dimension,
} from './compute.ts';
export { formatKpiTable } from './table.ts';
export { saveKpiSnapshot } from './snapshot.ts';
