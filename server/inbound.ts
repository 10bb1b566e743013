/**
 * The events and positions received on the event endpoint (`inbound_events`) fed into an
 * intake: a full run reads them after the data folder so it keeps what arrived live, and each
 * replica's live ledger catches up with what the others received before it applies a batch.
 */
import type { Knex } from 'knex';
import { InputError } from '../engine/core/errors.ts';
import type { RawEvent, RawPosition } from '../engine/core/model/types.ts';
import type { LiveRefusal } from '../engine/core/normalize/incomplete.ts';
import type { Intake } from '../engine/core/normalize/intake.ts';

type Row = { id: number | string; kind: string; payload: string };

/**
 * `refused`: records a delivery held without a usable quantity whose key is known (a Shopify
 * level with `available: null`): each leaves its key incomplete for its source until the
 * source's next row there (incomplete.ts), as a refused file row does for its run.
 */
export type InboundRecords = {
  events: RawEvent[];
  positions: RawPosition[];
  refused: LiveRefusal[];
};

/**
 * How far below the highest id read a row may still appear: PostgreSQL hands out ids before
 * commit, so a concurrent replica's row can become visible after a higher one was read.
 */
const LOOKBACK_IDS = 5_000;
const CHUNK = 500;

/** Feeds every stored inbound row into the intake, in arrival order. */
export async function replayInbound(db: Knex, intake: Intake): Promise<InboundCursor> {
  const cursor = new InboundCursor();
  feed(intake, await cursor.readNew(db));
  return cursor;
}

export function feed(intake: Intake, records: InboundRecords): void {
  // a large replay makes its room at once; a few live events grow the tables as pushes would
  if (records.events.length) intake.expect('events', records.events.length);
  if (records.positions.length) intake.expect('positions', records.positions.length);
  for (const e of records.events) intake.event(e);
  for (const p of records.positions) intake.position(p);
  for (const r of records.refused) intake.reject(r);
}

/** The rows one reader has seen, so the next read returns only the others. */
export class InboundCursor {
  private maxId = 0;
  private readonly seen = new Set<number>();

  async readNew(db: Knex): Promise<InboundRecords> {
    return (await this.readNewSplit(db, new Set())).others;
  }

  /**
   * The rows not seen yet, those of `mine` (ids) apart from the others (what other replicas
   * received meanwhile): the live ledger feeds the others first, then tells the sender what
   * became of its own.
   */
  async readNewSplit(
    db: Knex,
    mine: ReadonlySet<number>,
  ): Promise<{ others: InboundRecords; mine: InboundRecords }> {
    const floor = Math.max(0, this.maxId - LOOKBACK_IDS);
    const ids = ((await db('inbound_events').where('id', '>', floor).pluck('id')) as unknown[])
      .map(Number)
      .filter((id) => !this.seen.has(id))
      .sort((a, b) => a - b);
    const others: InboundRecords = { events: [], positions: [], refused: [] };
    const own: InboundRecords = { events: [], positions: [], refused: [] };
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = (await db('inbound_events')
        .whereIn('id', ids.slice(i, i + CHUNK))
        .orderBy('id')
        .select('id', 'kind', 'payload')) as Row[];
      for (const r of rows) {
        const out = mine.has(Number(r.id)) ? own : others;
        if (r.kind === 'event') out.events.push(JSON.parse(r.payload) as RawEvent);
        else if (r.kind === 'position') out.positions.push(JSON.parse(r.payload) as RawPosition);
        else if (r.kind === 'refused') out.refused.push(JSON.parse(r.payload) as LiveRefusal);
        // a kind this Tally does not know (a newer one stored it): refused, never misread
        else
          throw new InputError(
            'INBOUND_KIND_UNKNOWN',
            `inbound_events row ${String(r.id)} is of kind "${r.kind}", which this Tally does not read (upgrade it)`,
          );
        this.note(Number(r.id));
      }
    }
    this.prune();
    return { others, mine: own };
  }

  private note(id: number): void {
    this.seen.add(id);
    if (id > this.maxId) this.maxId = id;
  }

  private prune(): void {
    const floor = this.maxId - LOOKBACK_IDS;
    if (this.seen.size < 2 * LOOKBACK_IDS) return;
    for (const id of this.seen) if (id <= floor) this.seen.delete(id);
  }
}
