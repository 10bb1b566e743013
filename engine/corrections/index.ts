export {
  proposeCorrection,
  defaultIdempotencyKey,
  type ProposeInput,
  type Proposed,
} from './propose.ts';
export { approveCorrection, rejectCorrection, type Decision, type DecideInput } from './decide.ts';
export { applyCorrection, approveAndApply, TALLY_SOURCE, type Applied } from './apply.ts';
export { loadCorrection, type Correction, type CorrectionState } from './model.ts';
export { CorrectionError, hasRole, type Actor, type CorrectionCode } from './roles.ts';
export { REASONS, REASONS_BY_CODE, type Reason } from './reasons.ts';
