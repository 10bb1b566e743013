/** The exception lifecycle: every allowed transition is listed here and nowhere else. */
import { TallyError } from '../../core/errors.ts';

export const EXCEPTION_STATES = [
  'open',
  'assigned',
  'explained',
  'correction_proposed',
  'approved',
  'applied',
  'resolved',
  'reopened',
] as const;
export type ExceptionState = (typeof EXCEPTION_STATES)[number];

/**
 * `resolved` is reachable from every live state because the next run resolves an exception
 * whose difference is gone, whatever a person was doing with it. A rejected correction sends
 * the exception back to `assigned`.
 */
const ALLOWED: Record<ExceptionState, readonly ExceptionState[]> = {
  open: ['assigned', 'explained', 'correction_proposed', 'resolved'],
  reopened: ['assigned', 'explained', 'correction_proposed', 'resolved'],
  assigned: ['assigned', 'explained', 'correction_proposed', 'resolved'],
  explained: ['assigned', 'correction_proposed', 'resolved'],
  correction_proposed: ['approved', 'assigned', 'resolved'],
  approved: ['applied', 'assigned', 'resolved'],
  applied: ['resolved', 'assigned'],
  resolved: ['reopened'],
};

export const LIVE_STATES: readonly ExceptionState[] = EXCEPTION_STATES.filter(
  (s) => s !== 'resolved',
);

export function canTransition(from: ExceptionState, to: ExceptionState): boolean {
  return ALLOWED[from].includes(to);
}

export function isExceptionState(value: string): value is ExceptionState {
  return (EXCEPTION_STATES as readonly string[]).includes(value);
}

export type LifecycleCode =
  'ILLEGAL_TRANSITION' | 'EXCEPTION_NOT_FOUND' | 'STATE_CHANGED' | 'UNKNOWN_STATE';

export class LifecycleError extends TallyError {
  constructor(code: LifecycleCode, message: string) {
    super(code, message);
  }
}

export function assertTransition(id: number, from: ExceptionState, to: ExceptionState): void {
  if (canTransition(from, to)) return;
  throw new LifecycleError(
    'ILLEGAL_TRANSITION',
    `exception ${id} cannot go from ${from} to ${to} (allowed: ${ALLOWED[from].join(', ') || 'none'})`,
  );
}
