/**
 * The manager digest: a header with the open exceptions by severity and their value at risk,
 * the oldest and the most valuable open ones with links to their messages, then one section
 * per team with its figures and their trend against the period before.
 */
import type { OpenItem, OpenOverview } from '../digest/open.ts';
import { LISTED, SEVERITIES } from '../digest/open.ts';
import { AGING_DAYS, type TeamRow } from '../digest/compute.ts';
import { clampMessage, type Block } from './clamp.ts';
import { SEVERITY_ICON, age, capital, humanCause, qty } from './format.ts';
import { formatMoney } from '../../engine/core/model/money.ts';

export type DigestView = {
  /** The day the digest is for, as the schedule's time zone writes it (2026-11-10). */
  day: string;
  open: OpenOverview;
  teams: TeamRow[];
  previous: Map<string, TeamRow>;
  /** Permalink of an exception's message, where Slack gave one. */
  links: Map<number, string>;
  anchor: string;
  now: Date;
  /** Said under the header: where the trend chart is. */
  chartNote?: string;
};

const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text } });
const field = (label: string, value: string) => ({ type: 'mrkdwn', text: `*${label}*\n${value}` });

function delta(now: number | null, before: number | null | undefined, unit = ''): string {
  if (now === null) return '–';
  const shown = `${Number.isInteger(now) ? qty(now) : now.toFixed(1)}${unit}`;
  if (before === null || before === undefined) return shown;
  const d = Math.round((now - before) * 10) / 10;
  if (d === 0) return `${shown} (=)`;
  return `${shown} (${d > 0 ? '↑' : '↓'}${Math.abs(d)})`;
}

function summary(open: OpenOverview): Block {
  const fields = SEVERITIES.map((s) => {
    const v = open.bySeverity[s] ?? { count: 0, valueAtRiskMinor: 0 };
    return field(
      `${SEVERITY_ICON[s]} ${capital(s)}`,
      `${qty(v.count)} · ${formatMoney(v.valueAtRiskMinor, open.currency)}`,
    );
  });
  return {
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: `*${qty(open.count)} open exception${open.count === 1 ? '' : 's'}* · *${formatMoney(open.valueAtRiskMinor, open.currency)}* at risk`,
    },
    fields,
  };
}

function itemLine(i: OpenItem, links: Map<number, string>, now: Date): string {
  const label = `#${i.id} ${i.sku} at ${i.location}`;
  const link = links.get(i.id);
  const name = link ? `<${link}|${label}>` : label;
  return (
    `${SEVERITY_ICON[i.severity] ?? '•'} ${name} · ${humanCause(i.cause)} · ` +
    `*${formatMoney(i.valueAtRiskMinor, i.currency)}* · ${age(i.openedAt, now)} · ${i.owner}`
  );
}

function list(title: string, items: OpenItem[], v: DigestView): Block | null {
  if (items.length === 0) return null;
  return section(`*${title}*\n${items.map((i) => itemLine(i, v.links, v.now)).join('\n')}`);
}

const quiet = (t: TeamRow) =>
  t.openCount === 0 &&
  t.accuracyPct === null &&
  t.newCount === 0 &&
  t.resolvedCount === 0 &&
  t.correctionsApplied === 0;

function teamSection(t: TeamRow, p: TeamRow | undefined, currency: string): Block {
  if (quiet(t)) return section(`*${t.owner}* · nothing open, no activity in the period`);
  const hours = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);
  const causes = t.topCauses.length ? ` · mostly ${t.topCauses.map(humanCause).join(', ')}` : '';
  return {
    type: 'section',
    text: {
      type: 'mrkdwn',
      text:
        `*${t.owner}* · ${qty(t.openCount)} open (${qty(t.agingCount)} over ${AGING_DAYS} days)` +
        ` · *${formatMoney(t.openValueMinor, currency)}* at risk${causes}`,
    },
    fields: [
      field(
        'Accuracy · exception rate',
        t.accuracyPct === null
          ? 'no run in the period'
          : `${delta(t.accuracyPct, p?.accuracyPct, '%')} · ${delta(t.exceptionRatePct, p?.exceptionRatePct, '%')}`,
      ),
      field(
        'New · resolved',
        `${delta(t.newCount, p?.newCount)} · ${delta(t.resolvedCount, p?.resolvedCount)}`,
      ),
      field(
        'Median time to resolve',
        t.medianHoursToResolve === null
          ? 'nothing resolved'
          : delta(hours(t.medianHoursToResolve), hours(p?.medianHoursToResolve ?? null), 'h'),
      ),
      field(
        'Corrections applied',
        `${delta(t.correctionsApplied, p?.correctionsApplied)} · ${formatMoney(t.correctionsValueMinor, currency)}`,
      ),
    ],
  };
}

export function digestBlocks(v: DigestView): Block[] {
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: `Tally daily digest · ${v.day}` } },
    summary(v.open),
  ];
  if (v.chartNote)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: v.chartNote }] });
  // with five or fewer open, one list says it all
  const lists = (
    v.open.count <= LISTED
      ? [list('Open exceptions, oldest first', v.open.oldest, v)]
      : [list('Oldest open', v.open.oldest, v), list('Most valuable open', v.open.mostValuable, v)]
  ).filter((b): b is Block => b !== null);
  if (lists.length) blocks.push({ type: 'divider' }, ...lists);
  for (const t of v.teams)
    blocks.push({ type: 'divider' }, teamSection(t, v.previous.get(t.owner), v.open.currency));
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text:
          'Accuracy: share of the team’s keys that match or are explained (docs/kpis.md) · ' +
          `audit anchor \`${v.anchor}\` (\`tally audit verify --anchor\`)`,
      },
    ],
  });
  return clampMessage(blocks, 'digest');
}

export function digestText(v: DigestView): string {
  const critical = v.open.bySeverity.critical?.count ?? 0;
  return (
    `Tally daily digest ${v.day}: ${qty(v.open.count)} open, ${formatMoney(v.open.valueAtRiskMinor, v.open.currency)} at risk` +
    (critical ? `, ${qty(critical)} critical` : '')
  );
}
