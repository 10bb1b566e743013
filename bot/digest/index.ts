/**
 * The daily digest to manager channels: per location and owner, each figure with its trend
 * against the previous period. Posted through the outbox under a key naming the receiver and
 * the period, so a digest goes out once per period.
 */
import { inPilot } from '../../engine/core/rules/pilot.ts';
import { auditAnchor } from '../../engine/services/audit/anchor.ts';
import type { Knex } from 'knex';
import type { Ruleset } from '../../engine/core/rules/types.ts';
import { clampMessage, type Block } from '../views/clamp.ts';
import { knexOutboxStore } from '../outbox/store.ts';
import { computeDigest, type DigestRow, type Period } from './compute.ts';

function trend(now: number | null, before: number | null | undefined, unit = ''): string {
  if (now === null) return '–';
  if (before === null || before === undefined) return `${now}${unit}`;
  const d = Math.round((now - before) * 10) / 10;
  return `${now}${unit} (${d === 0 ? '=' : d > 0 ? `↑${d}` : `↓${-d}`})`;
}

export function digestLine(r: DigestRow, p: DigestRow | undefined): string {
  return [
    `*${r.location} · ${r.owner}*`,
    `accuracy ${trend(r.accuracyPct, p?.accuracyPct, '%')}`,
    `exception rate ${trend(r.exceptionRatePct, p?.exceptionRatePct, '%')}`,
    `new ${trend(r.newCount, p?.newCount)} · resolved ${trend(r.resolvedCount, p?.resolvedCount)}`,
    `open ${r.openCount} (aging ${r.agingCount})`,
    `median to resolve ${trend(r.medianHoursToResolve === null ? null : Math.round(r.medianHoursToResolve * 10) / 10, p?.medianHoursToResolve === null || p?.medianHoursToResolve === undefined ? null : Math.round(p.medianHoursToResolve * 10) / 10, 'h')}`,
    `top causes ${r.topCauses.join(', ') || '–'}`,
    `corrections ${trend(r.correctionsApplied, p?.correctionsApplied)} worth ${trend(Math.round(r.correctionsValue), p ? Math.round(p.correctionsValue) : null)}`,
  ].join(' · ');
}

export function periodsEnding(now: Date, days = 1): { current: Period; previous: Period } {
  const span = days * 86_400_000;
  const to = now.toISOString();
  const from = new Date(now.getTime() - span).toISOString();
  return {
    current: { from, to },
    previous: { from: new Date(now.getTime() - 2 * span).toISOString(), to: from },
  };
}

/** Enqueues one digest per manager channel; returns the channels written to. */
export async function enqueueDigest(
  db: Knex,
  ruleset: Pick<Ruleset, 'receivers'> & Partial<Pick<Ruleset, 'pilot'>>,
  now = new Date(),
): Promise<string[]> {
  const { current, previous } = periodsEnding(now);
  const [rows, before] = await Promise.all([
    computeDigest(db, current, now),
    computeDigest(db, previous, now),
  ]);
  const byChannel = new Map<string, Block[]>();
  for (const [key, r] of rows) {
    // a location in pilot is the pilot report's to tell, not the managers' digest
    if (inPilot(ruleset, { location: r.location })) continue;
    const receiver = ruleset.receivers.get(r.owner);
    const channel = receiver?.digestChannel ?? receiver?.slackChannel;
    if (!channel) continue;
    const blocks = byChannel.get(channel) ?? [
      {
        type: 'header',
        text: { type: 'plain_text', text: `Tally daily digest · ${current.to.slice(0, 10)}` },
      },
    ];
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: digestLine(r, before.get(key)) },
    });
    byChannel.set(channel, blocks);
  }
  const store = knexOutboxStore(db);
  // the audit head, kept in Slack where the database's writers cannot reach it
  const anchor = byChannel.size > 0 ? await auditAnchor(db) : '';
  for (const [channel, blocks] of byChannel) {
    const key = `digest:${channel}:${current.to.slice(0, 13)}`;
    blocks.splice(1, 0, {
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: `audit anchor \`${anchor}\` (\`tally audit verify --anchor\`)` },
      ],
    });
    await store.enqueue(
      key,
      {
        kind: 'post',
        channel,
        text: `Tally daily digest ${current.to.slice(0, 10)}`,
        blocks: clampMessage(blocks, 'digest'),
        metadata: { event_type: 'tally_digest', event_payload: { outbox_key: key } },
      },
      now,
    );
  }
  return [...byChannel.keys()];
}
