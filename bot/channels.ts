/**
 * Channel names (`#inv-east`, as people write them in owners.yaml) resolved to channel ids at
 * startup with conversations.list. chat.update and the history lookup that keeps a crash from
 * posting twice need ids; with names resolved, both work whichever form the rules use.
 */
import type { WebClient } from '@slack/web-api';
import type { Receiver } from '../engine/core/rules/types.ts';
import type { Log } from '../engine/core/log.ts';

export type ChannelDirectory = Map<string, string>;

/** `#name` → id for every channel the bot can see (public and private, not archived). */
export async function channelDirectory(client: WebClient): Promise<ChannelDirectory> {
  const dir: ChannelDirectory = new Map();
  let cursor: string | undefined;
  do {
    const res = await client.conversations.list({
      types: 'public_channel,private_channel',
      exclude_archived: true,
      limit: 1000,
      ...(cursor ? { cursor } : {}),
    });
    for (const c of res.channels ?? []) if (c.name && c.id) dir.set(`#${c.name}`, c.id);
    cursor = res.response_metadata?.next_cursor || undefined;
  } while (cursor);
  return dir;
}

export const channelId = (dir: ChannelDirectory | undefined, channel: string): string =>
  dir?.get(channel) ??
  (channel.startsWith('#') ? (dir?.get(channel.toLowerCase()) ?? channel) : channel);

/** The receivers with ids in place of names; names Slack does not know are reported. */
export function resolveReceivers(
  receivers: ReadonlyMap<string, Receiver>,
  dir: ChannelDirectory,
  log: Log,
): Map<string, Receiver> {
  const out = new Map<string, Receiver>();
  for (const [name, r] of receivers) {
    const resolved = { ...r, slackChannel: resolveOne(r.slackChannel, dir, name, log) };
    if (r.digestChannel) resolved.digestChannel = resolveOne(r.digestChannel, dir, name, log);
    out.set(name, resolved);
  }
  return out;
}

function resolveOne(channel: string, dir: ChannelDirectory, receiver: string, log: Log): string {
  if (!channel.startsWith('#')) return channel;
  const id = channelId(dir, channel);
  if (id === channel) {
    log(`receiver ${receiver}: channel ${channel} not found (invite the Tally app to it)`);
  }
  return id;
}

/**
 * Lists the channels again into `dir`, in place (the sender reads the same map); a failed list
 * leaves what was known. True when the list succeeded.
 */
export async function refreshDirectory(
  client: WebClient,
  dir: ChannelDirectory,
  log: Log,
): Promise<boolean> {
  try {
    const fresh = await channelDirectory(client);
    dir.clear();
    for (const [name, id] of fresh) dir.set(name, id);
    return true;
  } catch (error) {
    log(`slack: cannot list channels (${String(error)}); retrying, names are used as written`);
    return false;
  }
}

/** Channel names in the rules that the directory does not resolve (yet). */
export function unresolvedChannels(
  receivers: ReadonlyMap<string, Receiver>,
  dir: ChannelDirectory,
): string[] {
  const names = new Set<string>();
  for (const r of receivers.values()) {
    for (const c of [r.slackChannel, r.digestChannel]) {
      if (c?.startsWith('#') && channelId(dir, c) === c) names.add(c);
    }
  }
  return [...names].sort();
}
