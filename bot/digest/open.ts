/**
 * The open exceptions a manager acts on: totals by severity with their value at risk, and the
 * oldest and the most valuable ones, each with where its message is in Slack.
 */
import type { Knex } from 'knex';
import { LIVE_STATES } from '../../engine/services/exceptions/states.ts';

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

export type OpenItem = {
  id: number;
  sku: string;
  location: string;
  severity: string;
  cause: string;
  owner: string;
  state: string;
  valueAtRiskMinor: number;
  /** ISO 4217 code of the value. */
  currency: string;
  openedAt: string;
  slackChannel: string | null;
  slackTs: string | null;
};

export type OpenOverview = {
  /** Every open exception, for the per-team figures. */
  items: OpenItem[];
  count: number;
  valueAtRiskMinor: number;
  /** The currency of the values (the exceptions'; USD when none is open). */
  currency: string;
  bySeverity: Record<string, { count: number; valueAtRiskMinor: number }>;
  /** Oldest first (opened longest ago). */
  oldest: OpenItem[];
  /** Highest value at risk first. */
  mostValuable: OpenItem[];
};

export const LISTED = 5;

const toItem = (r: Record<string, unknown>): OpenItem => ({
  id: Number(r.id),
  sku: String(r.sku),
  location: String(r.location),
  severity: String(r.severity),
  cause: String(r.cause),
  owner: String(r.owner),
  state: String(r.state),
  valueAtRiskMinor: Number(r.value_at_risk_minor),
  currency: String(r.currency ?? 'USD'),
  openedAt: String(r.opened_at),
  slackChannel: (r.slack_channel as string | null) ?? null,
  slackTs: (r.slack_ts as string | null) ?? null,
});

/** Every open exception, oldest first. */
export async function readOpen(db: Knex): Promise<OpenItem[]> {
  const rows = (await db('exceptions')
    .whereIn('state', LIVE_STATES as string[])
    .orderBy([{ column: 'opened_at' }, { column: 'id' }])
    .select(
      'id',
      'sku',
      'location',
      'severity',
      'cause',
      'owner',
      'state',
      'value_at_risk_minor',
      'currency',
      'opened_at',
      'slack_channel',
      'slack_ts',
    )) as Record<string, unknown>[];
  return rows.map(toItem);
}

/** Totals by severity and the lists, of the given open exceptions. */
export function overview(items: OpenItem[]): OpenOverview {
  const bySeverity: OpenOverview['bySeverity'] = {};
  for (const s of SEVERITIES) bySeverity[s] = { count: 0, valueAtRiskMinor: 0 };
  for (const i of items) {
    const s = (bySeverity[i.severity] ??= { count: 0, valueAtRiskMinor: 0 });
    s.count += 1;
    s.valueAtRiskMinor += i.valueAtRiskMinor;
  }
  const byAge = [...items].sort((a, b) => a.openedAt.localeCompare(b.openedAt) || a.id - b.id);
  const byValue = [...items].sort((a, b) => b.valueAtRiskMinor - a.valueAtRiskMinor || a.id - b.id);
  return {
    items,
    count: items.length,
    valueAtRiskMinor: items.reduce((n, i) => n + i.valueAtRiskMinor, 0),
    currency: items[0]?.currency ?? 'USD',
    bySeverity,
    oldest: byAge.slice(0, LISTED),
    mostValuable: byValue.slice(0, LISTED),
  };
}
