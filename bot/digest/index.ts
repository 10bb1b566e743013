/**
 * The daily digest to manager channels: for each `digestChannel` of the Owners rules, the open
 * exceptions of its teams by severity and value at risk, the oldest and most valuable ones with
 * links, one section per team, and a trend chart in its thread. Teams without a digestChannel
 * are left out (and the log says so): a team channel never gets the managers' digest.
 * Posted through the outbox under a key naming the channel and the period, so a scheduled
 * digest goes out once per period; `/tally digest` posts one now under its own key.
 */
import type { Knex } from 'knex';
import { inPilot } from '../../engine/core/rules/pilot.ts';
import { auditAnchor } from '../../engine/services/audit/anchor.ts';
import type { Receiver, Ruleset } from '../../engine/core/rules/types.ts';
import { knexOutboxStore } from '../outbox/store.ts';
import { digestBlocks, digestText } from '../views/digest.ts';
import { computeTeams, emptyTeam, type Period, type TeamRow } from './compute.ts';
import { overview, readOpen, type OpenItem } from './open.ts';

export function periodsEnding(now: Date, days = 1): { current: Period; previous: Period } {
  const span = days * 86_400_000;
  const to = now.toISOString();
  const from = new Date(now.getTime() - span).toISOString();
  return {
    current: { from, to },
    previous: { from: new Date(now.getTime() - 2 * span).toISOString(), to: from },
  };
}

export type DigestOptions = {
  /** The permalink of a message (chat.getPermalink); without it items are named, not linked. */
  permalink?: (channel: string, ts: string) => Promise<string | null>;
  log?: (line: string) => void;
  /** The schedule's time zone (IANA name): the digest's date is that zone's day. */
  timezone?: string;
  /** `manual` (the /tally digest command) posts now under its own key. */
  trigger?: 'schedule' | 'manual';
  /** A trend chart follows in the thread (the header says so). */
  chart?: boolean;
};

export type QueuedDigest = { channel: string; key: string; owners: string[] };

/** Digest channels and the teams each one covers; the teams with no digest channel. */
export function digestAudiences(receivers: ReadonlyMap<string, Receiver>): {
  channels: Map<string, string[]>;
  without: string[];
} {
  const channels = new Map<string, string[]>();
  const without: string[] = [];
  for (const r of receivers.values()) {
    if (!r.digestChannel) {
      without.push(r.name);
      continue;
    }
    channels.set(r.digestChannel, [...(channels.get(r.digestChannel) ?? []), r.name]);
  }
  return { channels, without };
}

/** "2026-11-10" in the time zone (UTC without one). */
export function dayIn(now: Date, timezone = 'UTC'): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

async function linksFor(
  items: OpenItem[],
  permalink: DigestOptions['permalink'],
): Promise<Map<number, string>> {
  const links = new Map<number, string>();
  if (!permalink) return links;
  for (const i of items) {
    if (links.has(i.id) || !i.slackChannel || !i.slackTs) continue;
    const url = await permalink(i.slackChannel, i.slackTs).catch(() => null);
    if (url) links.set(i.id, url);
  }
  return links;
}

const byValueThenName = (a: TeamRow, b: TeamRow) =>
  b.openValueMinor - a.openValueMinor || a.owner.localeCompare(b.owner);

/** Enqueues one digest per digest channel; returns what was newly queued. */
export async function enqueueDigest(
  db: Knex,
  ruleset: Pick<Ruleset, 'receivers'> & Partial<Pick<Ruleset, 'pilot'>>,
  now = new Date(),
  options: DigestOptions = {},
): Promise<QueuedDigest[]> {
  const log = options.log ?? (() => {});
  if (ruleset.pilot?.all) {
    log('digest: pilot mode for everything, so the pilot report is posted instead of a digest');
    return [];
  }
  const { channels, without } = digestAudiences(ruleset.receivers);
  if (channels.size === 0) {
    log('digest: no receiver in owners.yaml has a digestChannel, so no digest was posted');
    return [];
  }
  if (without.length > 0)
    log(`digest: left out (no digestChannel in owners.yaml): ${without.join(', ')}`);
  const { current, previous } = periodsEnding(now);
  // a location in pilot is the pilot report's to tell, not the managers' digest
  const open = (await readOpen(db)).filter((i) => !inPilot(ruleset, { location: i.location }));
  const [teams, before] = await Promise.all([
    computeTeams(db, current, open, now),
    computeTeams(db, previous, [], now),
  ]);
  const store = knexOutboxStore(db);
  // the audit head, kept in Slack where the database's writers cannot reach it
  const anchor = await auditAnchor(db);
  const day = dayIn(now, options.timezone);
  const queued: QueuedDigest[] = [];
  for (const [channel, owners] of channels) {
    const mine = overview(open.filter((i) => owners.includes(i.owner)));
    const rows = owners.map((o) => teams.get(o) ?? emptyTeam(o)).sort(byValueThenName);
    const links = await linksFor([...mine.oldest, ...mine.mostValuable], options.permalink);
    const view = {
      day,
      open: mine,
      teams: rows,
      previous: before,
      links,
      anchor,
      now,
      ...(options.chart
        ? { chartNote: ':chart_with_upwards_trend: 30-day trend in the thread' }
        : {}),
    };
    const key =
      options.trigger === 'manual'
        ? `digest:${channel}:now:${now.toISOString()}`
        : `digest:${channel}:${current.to.slice(0, 13)}`;
    const inserted = await store.enqueue(
      key,
      {
        kind: 'post',
        channel,
        text: digestText(view),
        blocks: digestBlocks(view),
        metadata: { event_type: 'tally_digest', event_payload: { outbox_key: key } },
      },
      now,
    );
    if (inserted) queued.push({ channel, key, owners });
  }
  return queued;
}
