/**
 * The period lock. Nothing is booked with a date inside a closed period: a posting dated there
 * goes to the first instant of the next open period instead, and says so. Corrections ask here
 * before they write the ledger (engine/services/corrections), so the same rule holds for the
 * Slack approval, the CLI and any replay.
 */
import type { Knex } from 'knex';
import { nextPeriod, periodContaining, type Period } from './period.ts';

export type ClosedPeriod = { period: string; closedBy: string; closedAt: string };

/** Why a posting was not dated where it asked to be, and where it went. */
export type PeriodMove = {
  requestedAt: string;
  /** The closed period it was dated in. */
  closed: ClosedPeriod;
  /** The first open period after it, and the posting's new date (its first instant). */
  bookedIn: string;
  bookedAt: string;
};

export type PostingTime = { at: string; moved?: PeriodMove };

/** The period's close record while it is closed; undefined when open (never closed, or reopened). */
export async function closedPeriod(db: Knex, name: string): Promise<ClosedPeriod | undefined> {
  const row = (await db('close_periods').where({ period: name, state: 'closed' }).first()) as
    { period: string; closed_by: string; closed_at: string } | undefined;
  return row && { period: row.period, closedBy: row.closed_by, closedAt: row.closed_at };
}

/**
 * Where a posting dated `at` is booked: at `at` when its period is open, otherwise at the first
 * instant of the next period that is not closed.
 */
export async function postingTime(db: Knex, at: string): Promise<PostingTime> {
  let period: Period = periodContaining(at);
  const closed = await closedPeriod(db, period.name);
  if (!closed) return { at };
  do period = nextPeriod(period);
  while (await closedPeriod(db, period.name));
  return {
    at: period.startsAt,
    moved: { requestedAt: at, closed, bookedIn: period.name, bookedAt: period.startsAt },
  };
}

/** One sentence a person can act on: what was refused, where it went, how to undo that. */
export function describeMove(what: string, m: PeriodMove): string {
  return (
    `period ${m.closed.period} is closed (closed by ${m.closed.closedBy} at ${m.closed.closedAt}), ` +
    `so ${what} cannot be dated ${m.requestedAt}; it is booked on ${m.bookedAt} in the next open ` +
    `period, ${m.bookedIn}. To book it in ${m.closed.period} instead, an approver other than ` +
    `${m.closed.closedBy} reopens the period (tally close reopen --period ${m.closed.period}).`
  );
}
