/**
 * The live ledger behind the event endpoint: an intake seeded from the data folder (the same
 * read `tally run` does) plus every event received since, kept in `inbound_events` so a restart
 * rebuilds it and every replica (and every full run) sees what any replica received. Each
 * accepted batch is appended to the stored ledger (idempotent on source + source event id),
 * re-reconciled over the keys it touched only, persisted, and handed to
 * `notify` so the changed exceptions' Slack messages are updated through the outbox.
 * Batches are applied one at a time: the intake is not shared between concurrent runs.
 */
import type { Knex } from 'knex';
import { ingest } from '../connectors/ingest.ts';
import type { NormalizationFinding, RawEvent, RawPosition } from '../engine/core/model/types.ts';
import { BUCKETS } from '../engine/core/model/types.ts';
import { createIntake, type Intake } from '../engine/core/normalize/intake.ts';
import type { LiveRefusal } from '../engine/core/normalize/incomplete.ts';
import { intakeIndex } from '../engine/core/normalize/sku-rows.ts';
import { keysTouchedBy } from '../engine/core/recon/touched.ts';
import { reconcile } from '../engine/core/recon/reconcile.ts';
import type { Key } from '../engine/core/recon/types.ts';
import { persistRun } from '../engine/services/exceptions/persist-run.ts';
import type { Ruleset } from '../engine/core/rules/types.ts';
import { appendEvents } from '../engine/services/store/ledger.ts';
import { feed, InboundCursor, replayInbound } from './inbound.ts';
import { movementsFrom } from './ledger-rows.ts';
import { ownerOf } from '../engine/services/impact/labels.ts';
import { inTransaction } from '../engine/services/store/db.ts';
import { appendAudit } from '../engine/services/audit/log.ts';
import { canonicalJson, sha256Hex } from '../engine/core/model/canonical.ts';
import { InputError } from '../engine/core/errors.ts';
import type { Log } from '../engine/core/log.ts';
import type { SkuPosition } from '../bot/context.ts';
import { positionsOfSku } from './sku-positions.ts';

/** `refused`: what the delivery held without a quantity, its key known (inbound.ts). */
export type Batch = { events: RawEvent[]; positions: RawPosition[]; refused?: LiveRefusal[] };

export type Accepted = {
  received: number;
  /** Events and positions not seen before (a redelivered webhook adds nothing). */
  fresh: number;
  keys: number;
  runId: string | null;
  /** Exceptions whose message was queued for an update. */
  notified: number;
  /**
   * What became of this batch's new records that the ledger did not take: each one the
   * normalization kept out (a location or sku the rules do not map, a status without a
   * bucket…), with its reason, and the events whose id the source had already given.
   */
  problems?: string[];
};

export type LiveOptions = {
  db: Knex;
  ruleset: Ruleset;
  /** Folder the scheduled runs read; seeds the live ledger. */
  dataDir?: string;
  /** Enqueues the Slack updates for everything a run touched (resolved too); returns how many. */
  notify: (runId: string, db: Knex) => Promise<number>;
  log?: Log;
  now?: () => Date;
  /** Adds rows before the replay (tests and the latency benchmark seed without files). */
  seed?: (intake: Intake) => void | Promise<void>;
};

export class LiveLedger {
  /** What each source reports for one SKU now (`/tally sku`). */
  positionsOf(sku: string, location?: string): SkuPosition[] {
    return positionsOfSku(this.intake, sku, location);
  }

  /** How many normalization findings the live intake holds (its load's). */
  get findingsHeld(): number {
    return this.intake.findings.length;
  }

  private intake: Intake;
  private queue: Promise<unknown> = Promise.resolve();
  private cursor = new InboundCursor();
  private stale = false;

  constructor(private readonly o: LiveOptions) {
    this.intake = createIntake(o.ruleset);
  }

  /** Reads the data folder and replays what the endpoint received (here or on a replica). */
  async load(): Promise<void> {
    const intake = createIntake(this.o.ruleset);
    if (this.o.dataDir) {
      await ingest(this.o.ruleset, this.o.dataDir, intake, { asOf: this.now().toISOString() });
    }
    await this.o.seed?.(intake);
    this.cursor = await replayInbound(this.o.db, intake);
    intake.flush();
    // the per-SKU row index the incremental runs read, built at start-up, not on the first event
    intakeIndex(intake);
    intake.makeRoomForLiveRows();
    this.intake = intake;
  }

  accept(batch: Batch): Promise<Accepted> {
    const next = this.queue.then(() => this.applyOrRecover(batch));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * A failed batch left nothing in the database (one transaction) but may have left its rows in
   * the in-memory intake; the intake is rebuilt from what is stored before the next batch.
   */
  private async applyOrRecover(batch: Batch): Promise<Accepted> {
    if (this.stale) {
      await this.load();
      this.stale = false;
    }
    try {
      return await this.apply(batch);
    } catch (error) {
      this.stale = true;
      if (error instanceof ReusedEventIdError) await this.recordReuse(error);
      throw error;
    }
  }

  /**
   * The inbound record, the ledger append, the re-reconciliation of the touched keys and the
   * Slack updates it queues commit together: a crash or a database error anywhere leaves none
   * of them, so the sender's retry finds the event new and nothing is lost.
   */
  private async apply(batch: Batch): Promise<Accepted> {
    const given = batch.refused ?? [];
    const received = batch.events.length + batch.positions.length + given.length;
    return inTransaction(this.o.db, async (trx) => {
      const mine = new Set<number>();
      const keep = <T extends { source: string }>(
        kind: 'event' | 'position' | 'refused',
        records: T[],
        idOf: (r: T) => string,
      ) => this.keepFresh(trx, kind, records, idOf, mine);
      const events = await keep('event', batch.events, (e) => e.sourceEventId);
      const positions = await keep('position', batch.positions, positionId);
      const refused = await keep('refused', given, refusedId);
      const fresh = events.length + positions.length + refused.length;
      const none = { received, fresh, keys: 0, runId: null, notified: 0 };
      if (fresh === 0) return none;
      const intake = this.intake;
      const firstRow = intake.events.length;
      const held = intake.findings.length;
      // every stored row not read yet: what other replicas received meanwhile (appending theirs
      // again is a no-op; their keys are theirs to re-reconcile), then this batch's, so what the
      // normalization kept out of this batch is told to its sender
      const read = await this.cursor.readNewSplit(trx, mine);
      feed(intake, read.others);
      intake.flush();
      const [findingsBefore, duplicatesBefore] = [intake.findings.length, intake.duplicateEvents];
      feed(intake, read.mine);
      // a row of a sku the item master does not know waits for it until the flush
      intake.flush();
      const findings = intake.findings.slice(findingsBefore);
      // told to their senders (the other replicas' by theirs): the intake keeps its load's
      // findings only, or it would grow with each kept-out delivery for the server's life
      intake.findings.length = held;
      const problems = findings.map(describeFinding);
      const duplicates = intake.duplicateEvents - duplicatesBefore;
      if (duplicates > 0)
        problems.push(
          `${duplicates} event(s) already in the ledger under the same source event id (read from the data folder or received before): not counted again`,
        );
      const told = problems.length ? { problems } : {};
      await appendEvents(trx, movementsFrom(intake, firstRow));
      const keys = [
        ...keysTouchedBy(intake, events),
        ...positionKeys(intake, [...positions, ...refused]),
      ];
      if (keys.length === 0) return { ...none, ...told };
      const run = await reconcile(intake, { asOf: this.now().toISOString(), keys });
      // the run's findings are its batch's, not the load's again
      run.findings = findings;
      await persistRun(trx, run, {
        owners: (k) => ownerOf(this.o.ruleset, k),
        touchedKeys: keys,
      });
      const notified = await this.o.notify(run.runId, trx);
      return { received, fresh, keys: keys.length, runId: run.runId, notified, ...told };
    });
  }

  /**
   * Stores the raw records; returns those not stored before. A record whose id was stored with
   * other content is refused (an idempotency key reused for a different event), never dropped.
   */
  private async keepFresh<T extends { source: string }>(
    trx: Knex,
    kind: 'event' | 'position' | 'refused',
    records: T[],
    idOf: (r: T) => string,
    /** Collects the ids of the rows stored now. */
    ids: Set<number>,
  ): Promise<T[]> {
    const fresh: T[] = [];
    const at = this.now().toISOString();
    for (const r of records) {
      const externalId = idOf(r).slice(0, 300);
      const payload = JSON.stringify(r);
      const inserted = await trx('inbound_events')
        .insert({ source: r.source, kind, external_id: externalId, payload, received_at: at })
        .onConflict(['source', 'kind', 'external_id'])
        .ignore()
        .returning('id');
      if (inserted.length > 0) {
        fresh.push(r);
        ids.add(Number(idOfRow(inserted[0])));
        continue;
      }
      const stored = (await trx('inbound_events')
        .where({ source: r.source, kind, external_id: externalId })
        .first('payload')) as { payload: string };
      if (canonicalJson(JSON.parse(stored.payload)) !== canonicalJson(r))
        throw new ReusedEventIdError(r.source, externalId, stored.payload, payload);
    }
    return fresh;
  }

  /** The refusal goes into the audit chain, so the sender's mistake is on record. */
  private async recordReuse(e: ReusedEventIdError): Promise<void> {
    this.o.log?.(`events: ${e.message}`);
    await inTransaction(this.o.db, (trx) =>
      appendAudit(trx, {
        actor: `source:${e.source}`,
        action: 'event.refused',
        entityType: 'system',
        entityId: `${e.source}:${e.externalId}`.slice(0, 100),
        rulesetVersion: this.o.ruleset.version.label,
        before: { payloadSha256: sha256Hex(e.stored) },
        after: { reason: e.code, payloadSha256: sha256Hex(e.given), payload: e.given },
      }),
    );
  }

  private now(): Date {
    return (this.o.now ?? (() => new Date()))();
  }
}

/** An inserted row's id as `returning('id')` gives it: `{ id }`, or the id itself. */
function idOfRow(row: unknown): unknown {
  return typeof row === 'object' && row !== null ? (row as { id: unknown }).id : row;
}

/** A normalization finding of a received record, as its sender is told. */
function describeFinding(f: NormalizationFinding): string {
  return `${f.source}: ${f.message} (${f.code})`;
}

/** A position is identified by where, what and when: the same level update twice is one. */
function positionId(p: RawPosition): string {
  return `${p.sku}|${p.location}|${p.status}|${p.asOf}|${p.quantity}`;
}

/** A refusal is identified by its key and time: the same untracked level twice is one. */
function refusedId(r: LiveRefusal): string {
  return `${r.sku}|${r.location}|${r.asOf}|refused`;
}

function positionKeys(
  intake: Intake,
  positions: { source: string; sku: string; location: string }[],
): Key[] {
  const out: Key[] = [];
  const seen = new Set<string>();
  for (const p of positions) {
    const sku = intake.skuResolver.resolve(p.source, p.sku) ?? p.sku;
    const location = intake.locate(p.source, p.location)?.compare;
    if (!location || seen.has(`${sku}|${location}`)) continue;
    seen.add(`${sku}|${location}`);
    for (const bucket of BUCKETS) out.push({ sku, location, bucket });
  }
  return out;
}

/** A source event id (or position identity) already received with different content. */
export class ReusedEventIdError extends InputError {
  constructor(
    readonly source: string,
    readonly externalId: string,
    readonly stored: string,
    readonly given: string,
  ) {
    super(
      'EVENT_ID_REUSED',
      `${source} event "${externalId}" was received before with different content; a new event needs a new sourceEventId`,
    );
  }
}
