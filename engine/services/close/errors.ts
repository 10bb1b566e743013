import { TallyError } from '../../core/errors.ts';

export type CloseCode =
  | 'PERIOD_NOT_ENDED'
  | 'PERIOD_CLOSED'
  | 'PERIOD_NOT_CLOSED'
  | 'NO_ACCOUNTS'
  | 'MISSING_ACCOUNT'
  | 'NOT_APPROVER'
  | 'SELF_REOPEN'
  | 'REASON_REQUIRED';

/** A close or reopen refused for a reason the person can act on (exit 2, the message says how). */
export class CloseError extends TallyError {
  constructor(code: CloseCode, message: string) {
    super(code, message);
  }
}
