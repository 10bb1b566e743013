/** Block Kit for the daily pilot report (bot/pilot/index.ts). */
import { formatMoney } from '../../engine/core/model/money.ts';
import type { Pilot, PilotReport } from '../../engine/core/rules/types.ts';
import type { PilotFigures, PilotTally } from '../pilot/compute.ts';
import type { Block } from './clamp.ts';

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low'];

/** A tally's value, exact, with its currency. */
export function money(t: PilotTally): string {
  return formatMoney(t.valueMinor, t.currency);
}

function scopeText(pilot: Pilot): string {
  if (pilot.all) return 'everything (`tally serve --pilot`)';
  const parts = [];
  if (pilot.groups.size > 0) parts.push(`schedule groups ${[...pilot.groups].join(', ')}`);
  if (pilot.locations.size > 0) parts.push(`locations ${[...pilot.locations].join(', ')}`);
  return parts.join(' · ');
}

function tallyText(name: string, t: PilotTally): string {
  return `${name} *${t.count}* (${money(t)})`;
}

function compareLink(report: PilotReport): string {
  const where = report.compareReport;
  if (!where) {
    return 'No compare report linked yet: run `tally pilot compare --baseline <team list> --format html --out <file>` and set Owners `pilot.compareReport`.';
  }
  return /^https?:\/\//.test(where)
    ? `Side by side with the team's list: <${where}|compare report>`
    : `Side by side with the team's list: compare report \`${where}\``;
}

export function pilotBlocks(f: PilotFigures, pilot: Pilot, report: PilotReport): Block[] {
  const severities = SEVERITY_ORDER.filter((s) => f.bySeverity.has(s)).map((s) =>
    tallyText(s, f.bySeverity.get(s)!),
  );
  const owners = [...f.byOwner]
    .sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]))
    .map(([owner, t]) => tallyText(owner, t));
  const md = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text } });
  return [
    {
      type: 'header',
      text: { type: 'plain_text', text: `Tally pilot report · ${f.period.to.slice(0, 10)}` },
    },
    md(
      `*Would have posted ${f.wouldPost.count} exception message(s)* to owner channels ` +
        `(${f.opened} new, ${f.reopened} reopened; value at risk ${money(f.wouldPost)}) ` +
        `from ${f.runs} run(s) since ${f.period.from.slice(0, 16).replace('T', ' ')} UTC. ` +
        `${f.resolved} resolved by themselves.`,
    ),
    md(`*By severity:* ${severities.join(' · ') || 'none'}`),
    md(`*By owner:* ${owners.join(' · ') || 'none'}`),
    md(`*Still open in pilot:* ${f.stillOpen.count} (value ${money(f.stillOpen)})`),
    md(compareLink(report)),
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `Pilot scope: ${scopeText(pilot)}. Nothing was posted to owners; everything is stored (\`tally exceptions list\`).`,
        },
      ],
    },
  ];
}
