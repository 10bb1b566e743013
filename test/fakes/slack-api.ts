/**
 * A local fake of the Slack Web API: a real HTTP server that the real `@slack/web-api` client
 * (inside the real Bolt app) talks to through `clientOptions.slackApiUrl`. It records every call,
 * answers in Slack's shapes (including message metadata in conversations.history, permalinks and
 * files.uploadV2's three steps: getUploadURLExternal, the upload, completeUploadExternal), and can inject
 * 429 with Retry-After and 500 to exercise the outbox.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeUploads, pngOf, type StoredFile } from './slack-files.ts';

export type { StoredFile };

export type RecordedCall = {
  method: string;
  args: Record<string, unknown>;
  /** Wall-clock milliseconds when the request arrived. */
  atMs: number;
  /** HTTP status the fake answered with. */
  status: number;
};

export type StoredMessage = {
  channel: string;
  ts: string;
  text: string;
  blocks?: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  threadTs?: string;
  user: string;
  edited?: boolean;
};

export type Faults = {
  /** Probability (0-1) of answering 429 with Retry-After. */
  rate429: number;
  /** Probability (0-1) of answering 500. */
  rate500: number;
  retryAfterSec: number;
  /** When true, half of the injected 500s happen after the call took effect (reply lost). */
  lostReplies: boolean;
  /** Methods faults apply to. */
  methods: string[];
  /** Seed for the deterministic random sequence. */
  seed: number;
};

export type FakeSlackOptions = {
  botUserId?: string;
  /** user group id → member user ids, for usergroups.users.list */
  userGroups?: Record<string, string[]>;
  /** channel name (without #) → id, for conversations.list; two per page to test paging */
  channels?: Record<string, string>;
};

const JSON_FIELDS = ['blocks', 'metadata', 'attachments', 'view', 'files'];

const BOT_ID = 'B0TALLY';

/** mulberry32: small, seedable, good enough to spread faults deterministically. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function readArgs(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  const type = req.headers['content-type'] ?? '';
  const args: Record<string, unknown> = type.includes('json')
    ? (JSON.parse(raw || '{}') as Record<string, unknown>)
    : Object.fromEntries(new URLSearchParams(raw));
  for (const field of JSON_FIELDS) {
    const value = args[field];
    if (typeof value === 'string' && value !== '') args[field] = JSON.parse(value);
  }
  return args;
}

export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly messages: StoredMessage[] = [];
  readonly views: Record<string, unknown>[] = [];
  /** Files uploaded (completed or not), by id. */
  readonly uploads = new FakeUploads(() => this.origin, this.calls);
  get files(): Map<string, StoredFile> {
    return this.uploads.files;
  }
  faults: Faults | null = null;
  private server: Server;
  private random: () => number = Math.random;
  private tsCounter = 0;
  private readonly botUserId: string;
  private readonly userGroups: Record<string, string[]>;
  private readonly channelIds: Record<string, string>;

  constructor(options: FakeSlackOptions = {}) {
    this.botUserId = options.botUserId ?? 'UTALLYBOT';
    this.userGroups = options.userGroups ?? {};
    this.channelIds = options.channels ?? {};
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this.url;
  }

  get url(): string {
    return `${this.origin}/api/`;
  }

  /** A response_url for one interaction; posts to it are recorded as method "response_url". */
  responseUrl(id: string): string {
    return `${this.origin}/response/${id}`;
  }

  private get origin(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  injectFaults(faults: Partial<Faults>): void {
    this.faults = {
      rate429: 0,
      rate500: 0,
      retryAfterSec: 1,
      lostReplies: false,
      methods: ['chat.postMessage', 'chat.update'],
      seed: 42,
      ...faults,
    };
    this.random = seeded(this.faults.seed);
  }

  clearFaults(): void {
    this.faults = null;
  }

  /** Successful calls of one method, in arrival order. */
  succeeded(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && c.status === 200);
  }

  /** Top-level messages of a channel, oldest first. */
  channelMessages(channel: string): StoredMessage[] {
    return this.messages.filter((m) => m.channel === channel && m.threadTs === undefined);
  }

  threadReplies(channel: string, threadTs: string): StoredMessage[] {
    return this.messages.filter((m) => m.channel === channel && m.threadTs === threadTs);
  }

  /** Files shared in a channel (completeUploadExternal with channel_id). */
  sharedFiles(channel: string): StoredFile[] {
    return [...this.files.values()].filter((f) => f.channel === channel);
  }

  /** The PNG inside an upload's body (the client may wrap it in a multipart form). */
  static png = pngOf;

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (path.startsWith('/upload/'))
      return this.uploads.receive(path.slice('/upload/'.length), req, res);
    // response_url posts (Bolt's respond()) land here too, recorded as method "response_url"
    const method = path.startsWith('/response/') ? 'response_url' : path.replace(/^\/api\//, '');
    const args = await readArgs(req);
    const call: RecordedCall = { method, args, atMs: Date.now(), status: 200 };
    this.calls.push(call);
    const fault = this.pickFault(method);
    if (fault === 429) {
      call.status = 429;
      res.writeHead(429, { 'Retry-After': String(this.faults?.retryAfterSec ?? 1) });
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    if (fault === 500 && !(this.faults?.lostReplies && this.random() < 0.5)) {
      call.status = 500;
      res.writeHead(500).end('Internal Server Error');
      return;
    }
    const body = this.answer(method, args);
    if (fault === 500) {
      // the call took effect but the reply never arrived: the caller must not repost blindly
      call.status = 500;
      res.writeHead(500).end('Internal Server Error');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }

  private pickFault(method: string): 429 | 500 | null {
    const faults = this.faults;
    if (!faults || !faults.methods.includes(method)) return null;
    const roll = this.random();
    if (roll < faults.rate429) return 429;
    if (roll < faults.rate429 + faults.rate500) return 500;
    return null;
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.tsCounter).padStart(6, '0')}`;
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://tally-test.slack.com/',
          team: 'Tally Test',
          user: 'tally',
          team_id: 'T0TALLY',
          user_id: this.botUserId,
          bot_id: BOT_ID,
        };
      case 'chat.postMessage':
        return this.postMessage(args);
      case 'chat.update':
        return this.update(args);
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.nextTs() };
      case 'conversations.history':
        return this.history(args);
      case 'conversations.replies':
        return this.replies(args);
      case 'views.open':
      case 'views.update':
        return this.openView(args);
      case 'usergroups.users.list':
        return this.groupUsers(args);
      case 'conversations.list':
        return this.listChannels(args);
      case 'response_url':
        return { ok: true };
      case 'chat.getPermalink':
        return this.permalink(args);
      case 'files.getUploadURLExternal':
        return this.uploads.uploadUrl(args);
      case 'files.completeUploadExternal':
        return this.uploads.complete(args);
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  private postMessage(args: Record<string, unknown>): Record<string, unknown> {
    const channel = String(args.channel ?? '');
    if (channel === '') return { ok: false, error: 'channel_not_found' };
    if (!args.text && !args.blocks) return { ok: false, error: 'no_text' };
    const message: StoredMessage = {
      channel,
      ts: this.nextTs(),
      text: String(args.text ?? ''),
      blocks: args.blocks as unknown[] | undefined,
      metadata: args.metadata as StoredMessage['metadata'],
      threadTs: typeof args.thread_ts === 'string' ? args.thread_ts : undefined,
      user: this.botUserId,
    };
    this.messages.push(message);
    return { ok: true, channel, ts: message.ts, message: this.render(message, true) };
  }

  private update(args: Record<string, unknown>): Record<string, unknown> {
    const message = this.messages.find((m) => m.channel === args.channel && m.ts === args.ts);
    if (!message) return { ok: false, error: 'message_not_found' };
    if (args.text !== undefined) message.text = String(args.text);
    if (args.blocks !== undefined) message.blocks = args.blocks as unknown[];
    if (args.metadata !== undefined) message.metadata = args.metadata as StoredMessage['metadata'];
    message.edited = true;
    return { ok: true, channel: message.channel, ts: message.ts, text: message.text };
  }

  private history(args: Record<string, unknown>): Record<string, unknown> {
    const channel = String(args.channel ?? '');
    const limit = Number(args.limit ?? 100);
    const withMetadata = args.include_all_metadata === 'true' || args.include_all_metadata === true;
    const messages = this.channelMessages(channel)
      .slice()
      .reverse()
      .slice(0, limit)
      .map((m) => this.render(m, withMetadata));
    return { ok: true, messages, has_more: false, pin_count: 0 };
  }

  private replies(args: Record<string, unknown>): Record<string, unknown> {
    const channel = String(args.channel ?? '');
    const ts = String(args.ts ?? '');
    const parent = this.messages.find((m) => m.channel === channel && m.ts === ts);
    if (!parent) return { ok: false, error: 'thread_not_found' };
    const withMetadata = args.include_all_metadata === 'true' || args.include_all_metadata === true;
    const messages = [parent, ...this.threadReplies(channel, ts)].map((m) =>
      this.render(m, withMetadata),
    );
    return { ok: true, messages, has_more: false };
  }

  private render(m: StoredMessage, withMetadata: boolean): Record<string, unknown> {
    return {
      type: 'message',
      user: m.user,
      bot_id: BOT_ID,
      text: m.text,
      ts: m.ts,
      ...(m.blocks ? { blocks: m.blocks } : {}),
      ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
      ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
    };
  }

  private permalink(args: Record<string, unknown>): Record<string, unknown> {
    const channel = String(args.channel ?? '');
    const ts = String(args.message_ts ?? '');
    if (!this.messages.some((m) => m.channel === channel && m.ts === ts))
      return { ok: false, error: 'message_not_found' };
    return {
      ok: true,
      channel,
      permalink: `https://tally-test.slack.com/archives/${channel}/p${ts.replace('.', '')}`,
    };
  }

  private openView(args: Record<string, unknown>): Record<string, unknown> {
    if (!args.trigger_id && !args.view_id) return { ok: false, error: 'invalid_trigger_id' };
    const view = { id: `V${this.views.length + 1}`, ...(args.view as Record<string, unknown>) };
    this.views.push(view);
    return { ok: true, view };
  }

  private listChannels(args: Record<string, unknown>): Record<string, unknown> {
    const all = Object.entries(this.channelIds).map(([name, id]) => ({
      id,
      name,
      is_channel: true,
      is_archived: false,
    }));
    const start = Number(args.cursor ?? 0) || 0;
    const page = all.slice(start, start + 2);
    const next = start + 2 < all.length ? String(start + 2) : '';
    return { ok: true, channels: page, response_metadata: { next_cursor: next } };
  }

  private groupUsers(args: Record<string, unknown>): Record<string, unknown> {
    const users = this.userGroups[String(args.usergroup ?? '')];
    if (!users) return { ok: false, error: 'no_such_subteam' };
    return { ok: true, users };
  }
}
