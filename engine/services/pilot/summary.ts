/** The figures at the top of a pilot comparison. */
import type {
  BothItem,
  CauseAgreement,
  CompareSummary,
  TallyFinding,
  TeamOnlyItem,
} from './types.ts';

export function summarize(
  teamItems: number,
  tallyItems: number,
  both: BothItem[],
  tallyOnly: TallyFinding[],
  teamOnly: TeamOnlyItem[],
): CompareSummary {
  const causes: Record<CauseAgreement, number> = {
    agree: 0,
    differ: 0,
    'no reason': 0,
    'unrecognised reason': 0,
  };
  for (const b of both) causes[b.agreement] += 1;
  const teamOnlyWhy: CompareSummary['teamOnlyWhy'] = {};
  for (const t of teamOnly) teamOnlyWhy[t.why] = (teamOnlyWhy[t.why] ?? 0) + 1;
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const valueMinor = {
    both: sum(both.map((b) => b.tally.valueMinor)),
    tallyOnly: sum(tallyOnly.map((t) => t.valueMinor)),
    teamOnlyKnown: sum(teamOnly.map((t) => t.valueMinor ?? 0)),
  };
  const valued = valueMinor.both + valueMinor.teamOnlyKnown;
  const explained = teamOnly.filter((t) => t.why === 'explained').length;
  return {
    teamItems,
    tallyItems,
    both: both.length,
    tallyOnly: tallyOnly.length,
    teamOnly: teamOnly.length,
    teamOnlyWhy,
    causes,
    valueMinor,
    valueCoveredPct: valued > 0 ? Math.round((valueMinor.both * 1000) / valued) / 10 : null,
    unvaluedTeamItems: teamOnly.filter((t) => t.valueMinor === null).length,
    noLongerByHand: { total: both.length + explained, raised: both.length, explained },
  };
}
