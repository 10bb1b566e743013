/** Senders: the Slack Web API, or the terminal (console mode, no credentials needed). */
import type { WebClient } from '@slack/web-api';
import { channelId, type ChannelDirectory } from '../channels.ts';
import type { Sender } from './types.ts';

/** How far back to look for an outbox key before reposting. */
const HISTORY_LIMIT = 200;

/** `channels` maps `#names` to ids (bot/channels.ts): update and history need ids. */
export function slackSender(client: WebClient, channels?: ChannelDirectory): Sender {
  const id = (channel: string) => channelId(channels, channel);
  return {
    lane: id,
    async post({ channel, text, blocks, metadata, threadTs }) {
      const res = await client.chat.postMessage({
        channel: id(channel),
        text,
        blocks,
        metadata,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      } as Parameters<WebClient['chat']['postMessage']>[0]);
      return String(res.ts);
    },
    async update({ channel, ts, text, blocks, metadata }) {
      await client.chat.update({ channel: id(channel), ts, text, blocks, metadata } as Parameters<
        WebClient['chat']['update']
      >[0]);
    },
    async findByKey(name, key, threadTs) {
      // history needs a channel id; a name Slack did not list cannot be searched, and a lookup
      // failure must not lose the message, so it is posted (a duplicate is the lesser harm)
      const channel = id(name);
      if (!/^[CGD][A-Z0-9]+$/.test(channel)) return null;
      const res = threadTs
        ? await client.conversations.replies({
            channel,
            ts: threadTs,
            limit: HISTORY_LIMIT,
            include_all_metadata: true,
          })
        : await client.conversations.history({
            channel,
            limit: HISTORY_LIMIT,
            include_all_metadata: true,
          });
      const hit = (res.messages ?? []).find(
        (m) =>
          (m.metadata as { event_payload?: { outbox_key?: string } } | undefined)?.event_payload
            ?.outbox_key === key,
      );
      return hit?.ts ?? null;
    },
  };
}

/** Prints what would be posted; ts values are made up but stable within the process. */
export function consoleSender(write: (s: string) => void = (s) => process.stdout.write(s)): Sender {
  let counter = 0;
  const seen = new Map<string, string>();
  const textOf = (blocks: unknown[]) =>
    blocks
      .map((b) => {
        const block = b as { text?: { text?: string }; elements?: { text?: unknown }[] };
        if (block.text?.text) return block.text.text;
        const parts = (block.elements ?? []).map((e) =>
          typeof e.text === 'string' ? e.text : ((e.text as { text?: string })?.text ?? ''),
        );
        return parts.filter(Boolean).join(' | ');
      })
      .filter(Boolean)
      .join('\n');
  return {
    async post({ channel, text, blocks, metadata, threadTs }) {
      counter += 1;
      const ts = `console.${String(counter).padStart(6, '0')}`;
      const where = threadTs ? `${channel} (thread ${threadTs})` : channel;
      write(`── post to ${where} [${metadata.event_type}] ──\n${textOf(blocks) || text}\n\n`);
      seen.set(String(metadata.event_payload.outbox_key ?? ''), ts);
      return ts;
    },
    async update({ channel, ts, text, blocks }) {
      write(`── update ${channel} ${ts} ──\n${textOf(blocks) || text}\n\n`);
    },
    async findByKey(_channel, key) {
      return seen.get(key) ?? null;
    },
  };
}
