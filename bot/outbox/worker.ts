/**
 * Delivers outbox rows to Slack: at most one message per second per channel (Slack's posting
 * limit), 429s retried after Retry-After, 5xx and network errors retried with backoff, the ts
 * recorded on success. A post that may already have landed (any retry, or a row reclaimed from a
 * crashed worker) is first looked for in the channel's history by its outbox key.
 */
import { randomUUID } from 'node:crypto';
import type { ChannelPacer } from './pacer.ts';
import { classifySlackError } from './slack-errors.ts';
import type { Body, OutboxPayload, OutboxRow, OutboxStore, Rendering, Sender } from './types.ts';
import type { Log, LogFields } from '../../engine/core/log.ts';

export type WorkerOptions = {
  store: OutboxStore;
  sender: Sender;
  /** Gap between two requests to the same channel; a little over 1 s so arrival jitter is safe. */
  perChannelIntervalMs?: number;
  /** A row left in `sending` longer than this is assumed to belong to a crashed worker. */
  leaseMs?: number;
  maxAttempts?: number;
  pollMs?: number;
  /**
   * Rows read per pass, and at most this many of one channel (paced at ~1 s each, a pass of
   * them takes about as many seconds: how long another channel's message may wait behind a
   * channel's backlog).
   */
  rowsPerPass?: number;
  rowsPerChannel?: number;
  now?: () => Date;
  onDelivered?: (row: OutboxRow, ts: string) => Promise<void>;
  /**
   * Renders a message a row names instead of carrying (an exception's card or evidence, see
   * Rendering) as it stands at sending; null when there is no such exception.
   */
  render?: (rendering: Rendering, now: Date) => Promise<Body | null>;
  log?: Log;
  /** Pacing shared through the database, for one worker or several replicas (pacer.ts). */
  pacer: ChannelPacer;
  /** Told of every Slack call the worker makes: its method, duration and outcome (metrics). */
  observe?: (call: SlackCall) => void;
};

export type SlackCall = {
  method: 'chat.postMessage' | 'chat.update' | 'conversations.history';
  seconds: number;
  outcome: 'ok' | 'rate_limited' | 'error';
};

/** Errors thrown by the sender (Slack's answers); anything else around a send is storage. */
const fromSlack = new WeakSet<object>();

async function slack<T>(
  method: SlackCall['method'],
  observe: WorkerOptions['observe'],
  call: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  const done = (outcome: SlackCall['outcome']) =>
    observe?.({ method, seconds: (performance.now() - started) / 1000, outcome });
  try {
    const result = await call();
    done('ok');
    return result;
  } catch (error) {
    if (error !== null && typeof error === 'object') fromSlack.add(error);
    done(classifySlackError(error).retryAfterMs !== undefined ? 'rate_limited' : 'error');
    throw error;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class OutboxWorker {
  readonly id = `worker-${randomUUID().slice(0, 8)}`;
  private readonly intervalMs: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly now: () => Date;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  /** Set by stop(): the message being sent finishes, the rest stay in the outbox. */
  private stopping = false;

  constructor(private readonly options: WorkerOptions) {
    this.intervalMs = options.perChannelIntervalMs ?? 1100;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.maxAttempts = options.maxAttempts ?? 12;
    this.now = options.now ?? (() => new Date());
  }

  /** Polls until stopped. */
  start(): void {
    this.stopping = false;
    const tick = async () => {
      this.running = this.runOnce().then(() => undefined);
      await this.running.catch((e) => this.log(`outbox: ${String(e)}`));
      if (this.timer !== null) this.timer = setTimeout(tick, this.options.pollMs ?? 500);
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** Delivers what is due now; channels in parallel, each channel in order. Returns rows handled. */
  async runOnce(): Promise<number> {
    const { rowsPerPass = 200, rowsPerChannel = 20 } = this.options;
    const rows = await this.options.store.due(
      this.now(),
      this.leaseMs,
      rowsPerPass,
      rowsPerChannel,
    );
    const byLane = new Map<string, OutboxRow[]>();
    for (const row of rows) {
      const lane = this.lane(row.channel);
      const list = byLane.get(lane) ?? [];
      list.push(row);
      byLane.set(lane, list);
    }
    const counts = await Promise.all(
      [...byLane].map(([lane, list]) => this.drainChannel(lane, list)),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Runs until nothing is pending (tests, console mode). */
  async drain(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const handled = await this.runOnce();
      const pending = await this.options.store.due(this.now(), this.leaseMs, 1);
      if (pending.length === 0) return;
      if (handled === 0) await sleep(100);
    }
    throw new Error('outbox did not drain in time');
  }

  private async drainChannel(channel: string, rows: OutboxRow[]): Promise<number> {
    const { pacer } = this.options;
    // another worker holds the channel: it sends these rows, in order and paced
    if (!(await pacer.acquire(channel, this.id, this.leaseMs))) return 0;
    try {
      return await this.drainRows(rows);
    } finally {
      await pacer.release(channel, this.id);
    }
  }

  private async drainRows(rows: OutboxRow[]): Promise<number> {
    let handled = 0;
    for (const row of rows) {
      if (this.stopping) break;
      // a later row of the same channel waits while an earlier one is backing off (order matters)
      if (new Date(row.nextAttemptAt) > this.now() && row.state === 'pending') break;
      const outcome = await this.deliver(row);
      handled += 1;
      if (outcome === 'deferred') break;
    }
    return handled;
  }

  /**
   * Sends in the channel's next slot, and books the slot after it from when the call returned:
   * Slack counts arrivals, and a slow request followed by a fast one would otherwise land two
   * messages closer than the interval.
   */
  private async paced<T>(channel: string, send: () => Promise<T>): Promise<T> {
    const { pacer } = this.options;
    const lane = this.lane(channel);
    await pacer.reserve(lane, this.id, this.intervalMs, this.leaseMs);
    try {
      return await send();
    } finally {
      if (this.intervalMs > 0) await pacer.pushBack(lane, Date.now() + this.intervalMs);
    }
  }

  /** One lane per Slack channel, whichever way a row names it. */
  private lane(channel: string): string {
    return this.options.sender.lane?.(channel) ?? channel;
  }

  private async deliver(row: OutboxRow): Promise<'sent' | 'deferred' | 'failed'> {
    const { store } = this.options;
    if (!(await store.claim(row, this.id, this.now()))) return 'deferred';
    let payload: Sendable | string;
    let parent: Delivered | undefined;
    try {
      // a message that follows another (a thread, an update) waits for it before it is rendered
      // (an evidence thread would render again at every retry), and goes when it was given up
      const follows = await this.parentOf(row.payload);
      if (follows === 'waiting') return this.waitForParent(row);
      if ('failed' in follows) {
        this.log(`outbox: giving up on ${row.key}: ${follows.failed}`, fieldsOf(row));
        await store.markFailed(row.id, follows.failed, this.now());
        return 'failed';
      }
      parent = follows.out;
      payload = await this.rendered(row.payload);
    } catch (error) {
      return this.keepForLater(row, error);
    }
    if (typeof payload === 'string') {
      this.log(`outbox: giving up on ${row.key}: ${payload}`, fieldsOf(row));
      await store.markFailed(row.id, payload, this.now());
      return 'failed';
    }
    let ts: string;
    try {
      ts = await this.send(row, payload, parent);
      await store.markSent(row.id, ts, this.now(), 'render' in row.payload ? payload : undefined);
    } catch (error) {
      if (fromSlack.has(error as object)) return this.handleError(row, error);
      return this.keepForLater(row, error);
    }
    // the message is out and recorded: a failure to note it elsewhere must not undo that
    await this.options.onDelivered?.(row, ts).catch((error: unknown) => {
      this.log(
        `outbox: ${row.key} delivered, recording it failed: ${String(error)}`,
        fieldsOf(row),
      );
    });
    return 'sent';
  }

  /**
   * The database failed around a send (a failover, a lock): the row is never given up for that.
   * It is retried after a backoff, or, when even that cannot be written, reclaimed once its lease
   * ends; the retry looks for the message by its key first, so nothing is posted twice.
   */
  private async keepForLater(row: OutboxRow, error: unknown): Promise<'deferred'> {
    const message = error instanceof Error ? error.message : String(error);
    this.log(`outbox: storage error on ${row.key}, kept for a retry: ${message}`, fieldsOf(row));
    const backoffMs = Math.min(60_000, 1000 * 2 ** Math.min(row.attempts, 6));
    await this.options.store
      .retryLater(row.id, new Date(Date.now() + backoffMs), `storage: ${message}`, this.now())
      .catch(() => undefined);
    return 'deferred';
  }

  /**
   * The message a row follows (the card it threads under or updates): where it was delivered
   * (undefined for a row that follows none), or that it is still to come, or given up (or never
   * queued).
   */
  private async parentOf(
    p: OutboxPayload,
  ): Promise<{ out: Delivered | undefined } | 'waiting' | { failed: string }> {
    const key = p.kind === 'update' ? p.targetKey : p.threadOfKey;
    if (key === undefined) return { out: undefined };
    const parent = await this.options.store.standing(key);
    // a row is queued with (or after) the one it follows: none at all will never come (rows
    // deleted by hand, a database restored without them), and waiting would hold its channel
    if (parent === null) return { failed: `the message it follows (${key}) was never queued` };
    if (parent.state === 'sent') return { out: { channel: parent.channel, ts: parent.ts } };
    if (parent.state === 'failed')
      return { failed: `the message it follows (${key}) was given up: ${parent.reason}` };
    return 'waiting';
  }

  private async waitForParent(row: OutboxRow): Promise<'deferred'> {
    const retryAt = new Date(Date.now() + 1000);
    await this.options.store.retryLater(row.id, retryAt, 'waiting for parent', this.now());
    return 'deferred';
  }

  /** The payload with its body: as queued, or rendered now; a string says why there is none. */
  private async rendered(payload: OutboxPayload): Promise<Sendable | string> {
    if (!('render' in payload)) return payload;
    const { render, ...rest } = payload;
    if (!this.options.render) return 'this worker cannot render exception messages';
    const body = await this.options.render(render, this.now());
    if (!body) return `exception ${render.exceptionId} is not in the database`;
    return { ...rest, ...body };
  }

  /** Sends the message and returns its ts; `parent`: where the message it follows went. */
  private async send(row: OutboxRow, p: Sendable, parent: Delivered | undefined): Promise<string> {
    const { store, sender } = this.options;
    if (p.kind === 'update') {
      const target = parent!;
      try {
        await this.paced(row.channel, () =>
          slack('chat.update', this.options.observe, () =>
            sender.update({ ...strip(p), channel: target.channel, ts: target.ts }),
          ),
        );
        return target.ts;
      } catch (error) {
        if (!isMessageGone(error)) throw error;
        // deleted in Slack: post it again and send every later update to the new message
        const ts = await this.paced(row.channel, () =>
          slack('chat.postMessage', this.options.observe, () =>
            sender.post({ ...strip(p), channel: target.channel }),
          ),
        );
        await store.moveDelivered(p.targetKey, ts, this.now());
        this.log(`outbox: ${p.targetKey} was deleted in Slack; posted again`, fieldsOf(row));
        return ts;
      }
    }
    const threadTs = p.threadOfKey ? parent!.ts : undefined;
    // attempts counts this claim: > 1 means an earlier attempt may have reached Slack
    if (row.attempts > 0 || row.state === 'sending') {
      const found = await slack('conversations.history', this.options.observe, () =>
        sender.findByKey(p.channel, row.key, threadTs),
      );
      if (found) return found;
    }
    return this.paced(row.channel, () =>
      slack('chat.postMessage', this.options.observe, () => sender.post({ ...strip(p), threadTs })),
    );
  }

  private async handleError(row: OutboxRow, error: unknown): Promise<'deferred' | 'failed'> {
    const { store } = this.options;
    const kind = classifySlackError(error);
    const attempts = row.attempts + 1;
    if (kind.retry && attempts < this.maxAttempts) {
      const backoffMs = kind.retryAfterMs ?? Math.min(60_000, 500 * 2 ** Math.min(attempts, 7));
      if (kind.retryAfterMs !== undefined) {
        // the channel is rate limited: nothing else goes to it before Retry-After has passed
        await this.options.pacer.pushBack(this.lane(row.channel), Date.now() + kind.retryAfterMs);
      }
      await store.retryLater(row.id, new Date(Date.now() + backoffMs), kind.message, this.now());
      return 'deferred';
    }
    this.log(`outbox: giving up on ${row.key}: ${kind.message}`, fieldsOf(row));
    await store.markFailed(row.id, kind.message, this.now());
    return 'failed';
  }

  private log(line: string, fields?: LogFields): void {
    if (this.options.log) this.options.log(line, fields);
    else process.stderr.write(`${line}\n`);
  }
}

/** A payload ready for Slack: its body written. */
type Sendable = OutboxPayload & Body;
/** Where a message went: its channel and ts. */
type Delivered = { channel: string; ts: string };

/** chat.update's answer for a message that is not there any more (deleted in Slack). */
function isMessageGone(error: unknown): boolean {
  return (error as { data?: { error?: string } } | null)?.data?.error === 'message_not_found';
}

function strip<T extends { channel: string; text: string; blocks: unknown; metadata: unknown }>(
  p: T,
) {
  return {
    channel: p.channel,
    text: p.text,
    blocks: p.blocks as never,
    metadata: p.metadata as never,
  };
}

/** The fields a log collector finds an outbox row by: its key and the exception it is about. */
function fieldsOf(row: OutboxRow): LogFields {
  const exception = /^exception:(\d+)/.exec(row.key);
  return { outboxKey: row.key, exceptionId: exception ? Number(exception[1]) : undefined };
}
