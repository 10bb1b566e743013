export {
  proposeCorrection,
  defaultIdempotencyKey,
  type ProposeInput,
  type Proposed,
} from './propose.ts';
export { approveCorrection, rejectCorrection, type Decision, type DecideInput } from './decide.ts';
export {
  applyCorrection,
  applyApprovedCorrections,
  approveAndApply,
  TALLY_SOURCE,
  type Applied,
} from './apply.ts';
export { loadCorrection, type Correction, type CorrectionState } from './model.ts';
export { CorrectionError, hasRole, type Actor, type CorrectionCode } from './roles.ts';
export {
  REASONS,
  REASONS_BY_CODE,
  reasonFor,
  reasonForAmazon,
  reasonForW19,
  shopifyReasonFor,
  w19CodeFor,
  type Reason,
  type ReasonCode,
  type ShopifyReason,
} from '../../core/model/reasons.ts';
export {
  recordWritebackResult,
  describeWriteback,
  type WritebackClaim,
  type WritebackOutcome,
  type WritebackTarget,
} from './writeback-result.ts';
