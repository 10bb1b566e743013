/** Write-back of approved corrections to their system of record (or an adjustment file). */
export { WritebackWorker, type WritebackWorkerOptions } from './worker.ts';
export {
  describeWriteback as describeOutcome,
  type WritebackOutcome,
} from '../../engine/services/corrections/index.ts';
export {
  buildRequest,
  rawStatusFor,
  targetSource,
  type TargetRules,
  type WritebackPayload,
} from './request.ts';
export { correctionCsv } from './csv-export.ts';
