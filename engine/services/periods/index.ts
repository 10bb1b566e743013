export { parsePeriod, periodContaining, nextPeriod, contains, type Period } from './period.ts';
export {
  closedPeriod,
  postingTime,
  describeMove,
  type ClosedPeriod,
  type PeriodMove,
  type PostingTime,
} from './lock.ts';
