/**
 * The digest's figures per team (owner) for a period: the KPIs of `tally kpi --by owner`
 * (accuracy, exception rate, raised, resolved, time to resolve, corrections) and what is open
 * now (count, aging, value at risk, top causes).
 */
import type { Knex } from 'knex';
import { computeKpis } from '../../engine/services/kpi/index.ts';
import type { OpenItem } from './open.ts';

export type Period = { from: string; to: string };

export type TeamRow = {
  owner: string;
  accuracyPct: number | null;
  exceptionRatePct: number | null;
  newCount: number;
  resolvedCount: number;
  medianHoursToResolve: number | null;
  correctionsApplied: number;
  correctionsValueMinor: number;
  openCount: number;
  agingCount: number;
  openValueMinor: number;
  topCauses: string[];
};

/** An open exception older than this is aging. */
export const AGING_DAYS = 3;

export function emptyTeam(owner: string): TeamRow {
  return {
    owner,
    accuracyPct: null,
    exceptionRatePct: null,
    newCount: 0,
    resolvedCount: 0,
    medianHoursToResolve: null,
    correctionsApplied: 0,
    correctionsValueMinor: 0,
    openCount: 0,
    agingCount: 0,
    openValueMinor: 0,
    topCauses: [],
  };
}

export async function computeTeams(
  db: Knex,
  period: Period,
  open: readonly OpenItem[],
  now: Date,
): Promise<Map<string, TeamRow>> {
  const teams = new Map<string, TeamRow>();
  const team = (owner: string) => {
    let t = teams.get(owner);
    if (!t) teams.set(owner, (t = emptyTeam(owner)));
    return t;
  };
  const kpis = await computeKpis(db, { by: 'owner', since: period.from, until: period.to });
  for (const k of kpis.rows) {
    Object.assign(team(k.group), {
      accuracyPct: k.accuracyPct,
      exceptionRatePct: k.exceptionRatePct,
      newCount: k.raised,
      resolvedCount: k.resolved,
      medianHoursToResolve: k.ttrMedianHours,
      correctionsApplied: k.adjustments,
      correctionsValueMinor: k.adjustmentValueMinor,
    });
  }
  const agingIso = new Date(now.getTime() - AGING_DAYS * 86_400_000).toISOString();
  const causes = new Map<string, Map<string, number>>();
  for (const e of open) {
    const t = team(e.owner);
    t.openCount += 1;
    t.openValueMinor += e.valueAtRiskMinor;
    if (e.openedAt < agingIso) t.agingCount += 1;
    const c = causes.get(e.owner) ?? new Map<string, number>();
    c.set(e.cause, (c.get(e.cause) ?? 0) + 1);
    causes.set(e.owner, c);
  }
  for (const [owner, c] of causes) {
    team(owner).topCauses = [...c.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 3)
      .map(([cause]) => cause);
  }
  return teams;
}
