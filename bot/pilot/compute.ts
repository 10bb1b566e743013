/**
 * What a pilot would have posted in a period: the exceptions in pilot scope that the period's
 * runs opened or reopened (each would have been a message in its owner's channel), counted by
 * severity and owner with their value at risk, and what is still open in pilot at the end.
 */
import { DEFAULT_CURRENCY } from '../../engine/core/model/money.ts';
import type { Knex } from 'knex';
import { inPilot } from '../../engine/core/rules/pilot.ts';
import type { Ruleset } from '../../engine/core/rules/types.ts';
import { LIVE_STATES } from '../../engine/services/exceptions/states.ts';

export type PilotPeriod = { from: string; to: string };

/** A count and its value at risk, exact, in minor units of `currency`. */
export type PilotTally = { count: number; valueMinor: number; currency: string };

export type PilotFigures = {
  period: PilotPeriod;
  runs: number;
  /** Messages that would have been posted: new plus reopened exceptions in scope. */
  wouldPost: PilotTally;
  opened: number;
  reopened: number;
  resolved: number;
  bySeverity: Map<string, PilotTally>;
  byOwner: Map<string, PilotTally>;
  /** Live exceptions in scope at the end of the period. */
  stillOpen: PilotTally;
};

type Row = {
  id: number;
  location: string;
  source: string;
  severity: string;
  owner: string;
  value_at_risk_minor: number | string;
  currency: string;
};

export type PilotScope = Pick<Ruleset, 'pilot'> & Partial<Pick<Ruleset, 'sources'>>;

export async function computePilot(
  db: Knex,
  scope: PilotScope,
  period: PilotPeriod,
): Promise<PilotFigures> {
  const runIds = (await db('runs')
    .where('started_at', '>=', period.from)
    .andWhere('started_at', '<', period.to)
    .pluck('id')) as string[];
  const moves = runIds.length
    ? ((await db('exception_history as h')
        .join('exceptions as e', 'e.id', 'h.exception_id')
        .whereIn('h.run_id', runIds)
        .whereIn('h.to_state', ['open', 'reopened', 'resolved'])
        .select(
          'h.to_state',
          'e.id',
          'e.location',
          'e.source',
          'e.severity',
          'e.owner',
          'e.value_at_risk_minor',
          'e.currency',
        )) as (Row & { to_state: string })[])
    : [];
  const scoped = moves.filter((r) => inPilot(scope, r));
  const raised = scoped.filter((r) => r.to_state !== 'resolved');
  const live = (await db('exceptions')
    .whereIn('state', LIVE_STATES as string[])
    .select(
      'id',
      'location',
      'source',
      'severity',
      'owner',
      'value_at_risk_minor',
      'currency',
    )) as Row[];
  return {
    period,
    runs: runIds.length,
    wouldPost: tally(raised),
    opened: raised.filter((r) => r.to_state === 'open').length,
    reopened: raised.filter((r) => r.to_state === 'reopened').length,
    resolved: scoped.length - raised.length,
    bySeverity: groupBy(raised, (r) => r.severity),
    byOwner: groupBy(raised, (r) => r.owner),
    stillOpen: tally(live.filter((r) => inPilot(scope, r))),
  };
}

function tally(rows: Row[]): PilotTally {
  return {
    count: rows.length,
    valueMinor: rows.reduce((sum, r) => sum + Number(r.value_at_risk_minor), 0),
    currency: rows[0]?.currency ?? DEFAULT_CURRENCY.code,
  };
}

function groupBy(rows: Row[], key: (r: Row) => string): Map<string, PilotTally> {
  const groups = new Map<string, Row[]>();
  for (const r of rows) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
  return new Map([...groups].map(([k, v]) => [k, tally(v)]));
}
