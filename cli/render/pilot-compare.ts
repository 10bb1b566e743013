/** `tally pilot compare` for the terminal: the figures, then the three lists as tables. */
import { formatMoney } from '../../engine/core/model/money.ts';
import type { CompareReport } from '../../engine/services/pilot/types.ts';
import { clip, fmtSigned, table, wrapParts } from './text.ts';

/** A sentence wrapped at the width, word by word, indented. */
function words(text: string, indent = '    '): string[] {
  return wrapParts(indent, text.split(' '), ' ', indent);
}

export function renderCompareText(r: CompareReport): string {
  const s = r.summary;
  const money = (minor: number) => formatMoney(minor, r.currency);
  const out: string[] = wrapParts('Pilot compare · ', [
    `team list ${r.baseline.file} (${r.baseline.rows} rows)`,
    `Tally run ${r.run.id.slice(0, 8)} as of ${r.run.asOf}`,
  ]);
  if (r.requestedAsOf && !r.run.asOf.startsWith(r.requestedAsOf.slice(0, 10))) {
    out.push(`  note: no run as of ${r.requestedAsOf}; the latest one before it is used`);
  }
  out.push(
    '',
    ...table(
      ['', 'items', 'value'],
      [
        ['found by both', String(s.both), money(s.valueMinor.both)],
        ['found only by Tally', String(s.tallyOnly), money(s.valueMinor.tallyOnly)],
        ['found only by the team', String(s.teamOnly), money(s.valueMinor.teamOnlyKnown)],
      ],
    ),
    '',
    ...wrapParts('  causes (found by both): ', [
      `${s.causes.agree} agree`,
      `${s.causes.differ} differ`,
      `${s.causes['no reason']} no reason given`,
      `${s.causes['unrecognised reason']} reason not recognised`,
    ]),
    ...words(
      `value covered: ${s.valueCoveredPct === null ? 'n/a' : `${s.valueCoveredPct} %`} of the team's items Tally has a value for (${s.unvaluedTeamItems} team-only item(s) without one)`,
      '  ',
    ),
    ...words(
      `no longer handled by hand: ${s.noLongerByHand.total} of ${s.teamItems} team items (${s.noLongerByHand.raised} raised with evidence, ${s.noLongerByHand.explained} explained by a rule)`,
      '  ',
    ),
  );
  if (r.baseline.problems.length > 0) {
    out.push('', `Rows not read (${r.baseline.problems.length}):`);
    // one line each, whatever its width: file:line stays whole for editors and grep
    for (const p of r.baseline.problems) out.push(`  ${p.file}:${p.line}: ${p.reason}`);
  }
  if (r.both.length > 0) {
    out.push('', 'Found by both:');
    for (const b of r.both) {
      out.push(
        clip(
          `  ${b.tally.sku} @ ${b.tally.location}  team ${fmtSigned(b.team.units)} · Tally ${fmtSigned(b.tally.variance)}  ${b.tally.causes[0] ?? ''}  causes ${b.agreement}`,
        ),
      );
      if (b.team.reason)
        out.push(...words(`team: "${b.team.reason}"${b.team.cause ? ` (${b.team.cause})` : ''}`));
    }
  }
  if (r.tallyOnly.length > 0) {
    out.push('', 'Found only by Tally:');
    for (const t of r.tallyOnly) {
      const qty = Object.entries(t.quantities).map(([k, v]) => `${k} ${v}`);
      if (t.expected !== null) qty.push(`expected ${t.expected}`);
      out.push(
        clip(
          `  ${t.sku} @ ${t.location}  ${fmtSigned(t.variance)}  ${t.severity} ${t.causes[0] ?? ''}  ${money(t.valueMinor)}  #${t.exceptionIds.join(', #')}`,
        ),
        ...wrapParts('    ', [...qty, ...(t.rule ? [`rule ${t.rule}`] : [])]),
      );
    }
  }
  if (r.teamOnly.length > 0) {
    out.push('', 'Found only by the team:');
    for (const t of r.teamOnly) {
      const lines = t.team.lines.map((l) => l.line).join(', ');
      out.push(
        clip(
          `  ${t.team.sku} @ ${t.team.location}  ${fmtSigned(t.team.units)}  ${t.team.reason ?? ''}  (line ${lines}) — ${t.why}`,
        ),
        ...words(t.saw),
      );
    }
  }
  return out.join('\n') + '\n';
}
