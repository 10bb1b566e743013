/**
 * What the outbox carries. Every Slack post and update is first written here (in the same
 * transaction as the state change that caused it, where the caller has one), then delivered by
 * the worker. The outbox key is the idempotency key: it is unique in the table and travels in
 * the message metadata, so a crash between posting and recording can be detected in Slack.
 */
import type { Block } from '../views/clamp.ts';

export type MessageMetadata = {
  event_type: string;
  event_payload: Record<string, string | number | boolean>;
};

/** What Slack shows: the text, the blocks and the metadata carrying the outbox key. */
export type Body = { text: string; blocks: Block[]; metadata: MessageMetadata };

/**
 * An exception's message named rather than written: the worker renders it from the exception as
 * it stands when it is sent (a run queues tens of thousands, sent at Slack's pace of one a
 * second per channel), and records what it sent in the row.
 */
export type Rendering = {
  exceptionId: number;
  /** The card itself, or the evidence posted in its thread. */
  part: 'message' | 'evidence';
  /** A further receiver's copy (its team mentioned); absent for the owner's message. */
  receiver?: string;
};

/** A body, or the exception part to render one from when sending. */
export type Content = Body | { render: Rendering };

export type PostPayload = {
  kind: 'post';
  channel: string;
  /** Reply in the thread of the message delivered under this outbox key. */
  threadOfKey?: string;
  /** After delivery, record the ts on this exception (its main message). */
  exceptionId?: string;
} & Content;

export type UpdatePayload = {
  kind: 'update';
  channel: string;
  /** The message to update: the one delivered under this outbox key. */
  targetKey: string;
} & Content;

export type OutboxPayload = PostPayload | UpdatePayload;

export type OutboxState = 'pending' | 'sending' | 'sent' | 'failed';

export type OutboxRow = {
  id: number;
  key: string;
  channel: string;
  payload: OutboxPayload;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: string;
  externalTs: string | null;
  updatedAt: string;
};

/** A row to queue: its idempotency key and what to send. */
export type Queued = { key: string; payload: OutboxPayload };

/** Where a queued message stands: delivered (where), given up (why), or still to go. */
export type Standing =
  | { state: 'sent'; channel: string; ts: string }
  | { state: 'failed'; reason: string }
  | { state: 'waiting' };

/** Storage the worker needs; `bot/outbox/store.ts` implements it on the `outbox` table. */
export type OutboxStore = {
  /** Inserts unless the key exists; returns true when inserted. */
  enqueue(key: string, payload: OutboxPayload, now: Date): Promise<boolean>;
  /** Inserts each row whose key does not exist, in order, in few statements; returns those inserted. */
  enqueueMany(rows: readonly Queued[], now: Date): Promise<Set<string>>;
  /** Which of these keys are in the outbox already. */
  existing(keys: readonly string[]): Promise<Set<string>>;
  /**
   * Pending rows (due or not, in order) and rows whose `sending` lease expired (crashed worker):
   * at most `limit`, and at most `perChannel` (default `limit`) of any one channel, its first.
   */
  due(now: Date, leaseMs: number, limit: number, perChannel?: number): Promise<OutboxRow[]>;
  /** Conditional update from the state the row was read in; false when another worker won. */
  claim(row: OutboxRow, workerId: string, now: Date): Promise<boolean>;
  /** `sent`: the payload as rendered for Slack, recorded in place of the rendering it named. */
  markSent(id: number, ts: string, now: Date, sent?: OutboxPayload): Promise<void>;
  retryLater(id: number, nextAttemptAt: Date, error: string, now: Date): Promise<void>;
  markFailed(id: number, error: string, now: Date): Promise<void>;
  /**
   * Where the message queued under `key` stands, in one read: delivered (its channel and ts),
   * given up (why), still to go, or never queued (null).
   */
  standing(key: string): Promise<Standing | null>;
  /** ts of the message delivered under `key`, or null when not (yet) delivered. */
  deliveredTs(key: string): Promise<{ channel: string; ts: string } | null>;
  /** The message delivered under `key` was posted again (deleted in Slack): its new ts. */
  moveDelivered(key: string, ts: string, now: Date): Promise<void>;
};

/** Where messages go: Slack, or the terminal in console mode. */
export type Sender = {
  post(args: {
    channel: string;
    text: string;
    blocks: Block[];
    metadata: MessageMetadata;
    threadTs?: string;
  }): Promise<string>;
  update(args: {
    channel: string;
    ts: string;
    text: string;
    blocks: Block[];
    metadata: MessageMetadata;
  }): Promise<void>;
  /** Looks for a message already carrying this outbox key in recent history (or the thread). */
  findByKey(channel: string, key: string, threadTs?: string): Promise<string | null>;
  /**
   * The channel as Slack knows it (`#inv-east` and `C0EAST` are one channel): pacing and
   * Retry-After are per lane, so rows naming one channel two ways still share one pace.
   */
  lane?(channel: string): string;
};
