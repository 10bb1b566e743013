/**
 * The write-back worker: takes outbox rows of kind 'writeback' (written by applyCorrection in
 * the approval's transaction), calls the system of record's connector once per claim under the
 * correction's idempotency key, and hands the result to recordWritebackResult (engine/ owns
 * every write to the correction, exception, ledger and audit). A claim is a conditional UPDATE;
 * a row left in `sending` past its lease (a crashed worker) is claimed again and the connector
 * is called again with the same key, which it must treat as the same request (Shopify finds
 * its earlier adjustment by reference document; exports find their file).
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { ExternalError } from '../../engine/core/errors.ts';
import { readEvidence } from '../../engine/core/recon/stored-evidence.ts';
import {
  recordWritebackResult,
  type WritebackClaim as Claim,
  type WritebackOutcome,
} from '../../engine/services/corrections/index.ts';
import { getConnector } from '../registry.ts';
import type { Connector, WriteBackRequest, WriteBackResult } from '../types.ts';
import { writeCsvExport } from './csv-export.ts';
import {
  buildRequest,
  parsePayload,
  targetSource,
  type TargetRules,
  type WritebackPayload,
} from './request.ts';

export type WritebackWorkerOptions = {
  db: Knex;
  rules: TargetRules;
  /** Defaults to the registry. */
  connectorFor?: (id: string) => Connector;
  /** Folder for adjustment files of systems that cannot be written to. */
  exportDir: string;
  leaseMs?: number;
  maxAttempts?: number;
  pollMs?: number;
  now?: () => Date;
  /** After a result is recorded: the Slack update is enqueued here (server/ composes it). */
  onRecorded?: (p: WritebackPayload, outcome: WritebackOutcome) => Promise<void>;
  log?: (line: string) => void;
};

type Row = {
  id: number;
  payload: string;
  state: string;
  attempts: number;
  updated_at: string;
};

export class WritebackWorker {
  readonly id = `writeback-${randomUUID().slice(0, 8)}`;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly now: () => Date;

  constructor(private readonly o: WritebackWorkerOptions) {
    this.leaseMs = o.leaseMs ?? 120_000;
    this.maxAttempts = o.maxAttempts ?? 8;
    this.now = o.now ?? (() => new Date());
  }

  start(): void {
    const tick = async () => {
      this.running = this.runOnce().catch((e) => this.log(`write-back: ${String(e)}`));
      await this.running;
      if (this.timer !== null) this.timer = setTimeout(tick, this.o.pollMs ?? 1000);
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Handles every due row once; returns how many were claimed. */
  async runOnce(): Promise<number> {
    let handled = 0;
    for (const row of await this.due()) {
      const claim = await this.claim(row);
      if (!claim) continue;
      handled += 1;
      await this.handle(row, claim);
    }
    return handled;
  }

  /** Until nothing is due (tests, `tally serve --once`). */
  async drain(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      // runOnce read what is due; nothing claimed means nothing was due (or another worker has it)
      if ((await this.runOnce()) === 0) return;
    }
    throw new Error('write-back outbox did not drain in time');
  }

  private async due(): Promise<Row[]> {
    const now = this.now();
    const leaseExpired = new Date(now.getTime() - this.leaseMs).toISOString();
    return (await this.o
      .db('outbox')
      .where({ kind: 'writeback' })
      .andWhere((q) =>
        q
          .where((p) =>
            p.where('state', 'pending').andWhere('next_attempt_at', '<=', now.toISOString()),
          )
          .orWhere((s) => s.where('state', 'sending').andWhere('updated_at', '<=', leaseExpired)),
      )
      .orderBy('id')
      .limit(50)
      .select('id', 'payload', 'state', 'attempts', 'updated_at')) as Row[];
  }

  private async claim(row: Row): Promise<Claim | null> {
    // a distinct stamp per claim, so a reclaimed row's first holder cannot record afterwards
    const claimedAt = new Date(Math.max(this.now().getTime(), Date.parse(row.updated_at) + 1));
    const changed = await this.o
      .db('outbox')
      .where({ id: row.id, state: row.state, updated_at: row.updated_at })
      .update({
        state: 'sending',
        attempts: Number(row.attempts) + 1,
        updated_at: claimedAt.toISOString(),
        result: JSON.stringify({ claimedBy: this.id }),
      });
    return changed === 1 ? { rowId: Number(row.id), claimedAt: claimedAt.toISOString() } : null;
  }

  private async handle(row: Row, claim: Claim): Promise<void> {
    const p = parsePayload(row.payload);
    let outcome: WritebackOutcome;
    try {
      outcome = await this.execute(p);
    } catch (error) {
      const attempts = Number(row.attempts) + 1;
      const message = error instanceof Error ? error.message : String(error);
      const retry = !(error instanceof ExternalError) || error.retryable || attempts < 3;
      if (retry && attempts < this.maxAttempts) return this.retryLater(claim, attempts, message);
      outcome = { status: 'failed', reason: message, source: p.system };
    }
    const at = this.now().toISOString();
    const recorded = await recordWritebackResult(this.o.db, { claim, target: p, outcome, at });
    if (!recorded) return;
    await this.o.onRecorded?.(p, outcome).catch((e) => this.log(`write-back notify: ${String(e)}`));
  }

  private async execute(p: WritebackPayload): Promise<WritebackOutcome> {
    const source = targetSource(this.o.rules, p);
    if (!source) {
      const reason = `no source ${p.system} and no system of record for ${p.location}`;
      return { status: 'failed', reason, source: p.system };
    }
    const seen = await this.seenQuantity(p.exceptionId, source.id);
    const request = buildRequest(this.o.rules, source, p, seen);
    if ('reason' in request) return { status: 'failed', reason: request.reason, source: source.id };
    const connector = (this.o.connectorFor ?? getConnector)(source.connector);
    const result: WriteBackResult = connector.writeBack
      ? await connector.writeBack(source, request)
      : exportFor(this.o.exportDir, source.id, request);
    return {
      ...result,
      source: source.id,
      ...(seen === undefined ? {} : { expectedCurrent: seen }),
    };
  }

  /** The source's quantity in the evidence the approver looked at. */
  private async seenQuantity(exceptionId: number, source: string): Promise<number | undefined> {
    const row = (await this.o.db('exceptions').where({ id: exceptionId }).first('evidence')) as
      { evidence: string } | undefined;
    if (!row) return undefined;
    const { quantities } = readEvidence<{ quantities?: Record<string, number> }>(row.evidence);
    const q = quantities?.[source];
    return typeof q === 'number' ? q : undefined;
  }

  private async retryLater(claim: Claim, attempts: number, message: string): Promise<void> {
    const backoffMs = Math.min(300_000, 1000 * 2 ** Math.min(attempts, 8));
    const now = this.now();
    this.log(`write-back: attempt ${attempts} failed, retrying in ${backoffMs} ms: ${message}`);
    await this.o
      .db('outbox')
      .where({ id: claim.rowId, state: 'sending', updated_at: claim.claimedAt })
      .update({
        state: 'pending',
        next_attempt_at: new Date(now.getTime() + backoffMs).toISOString(),
        updated_at: now.toISOString(),
        result: JSON.stringify({ error: message }),
      });
  }

  private log(line: string): void {
    (this.o.log ?? ((l: string) => process.stderr.write(`${l}\n`)))(line);
  }
}

function exportFor(dir: string, source: string, request: WriteBackRequest): WriteBackResult {
  return { status: 'exported', path: writeCsvExport(dir, source, request) };
}
