/**
 * What the bot shows about one exception, read from the persistence tables (exceptions,
 * corrections). Reading is done here, in bot/, so views stay pure functions of a card.
 */
import type { Knex } from 'knex';
import { decodeEvidence } from '../engine/core/recon/stored-evidence.ts';
import type { Evidence } from '../engine/core/recon/types.ts';
import { loadCorrection, type Correction } from '../engine/services/corrections/index.ts';

export type ExceptionCard = {
  id: number;
  state: string;
  sku: string;
  location: string;
  bucket: string;
  source: string;
  cause: string;
  causes: string[];
  severity: string;
  owner: string;
  assignee: string | null;
  explanation: string | null;
  variance: number;
  /** |variance| × unit cost in minor units of `currency` (cents for USD), exact. */
  valueAtRiskMinor: number;
  /** ISO 4217 code of the value; format with formatMoney(valueAtRiskMinor, currency). */
  currency: string;
  firstSeenAt: string;
  openedAt: string;
  recurrence: number;
  processFailure: boolean;
  rulesetVersion: string;
  version: number;
  slackChannel: string | null;
  slackTs: string | null;
  evidence: Evidence | null;
  correction: Correction | null;
};

function parseJson<T>(text: unknown, fallback: T): T {
  if (typeof text !== 'string' || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export async function loadCard(db: Knex, id: number): Promise<ExceptionCard | null> {
  const [card] = await loadCards(db, [id]);
  return card ?? null;
}

/** What a card reads of an exception row, its evidence aside. */
const CARD_COLUMNS = [
  'id',
  'state',
  'sku',
  'location',
  'bucket',
  'source',
  'cause',
  'causes',
  'severity',
  'owner',
  'assignee',
  'explanation',
  'variance',
  'value_at_risk_minor',
  'currency',
  'first_seen_at',
  'opened_at',
  'recurrence_count',
  'process_failure',
  'ruleset_version',
  'version',
  'slack_channel',
  'slack_ts',
];

/**
 * The cards of many exceptions in a few queries (a run touches thousands), in id order.
 * `known`: evidence already in memory (the run that just stored it), not read back;
 * `opened`: the rows of exceptions the run just inserted (PersistSummary.openedRows), not read
 * back either, and without a correction (one is proposed on an exception that exists).
 */
export async function loadCards(
  db: Knex,
  ids: readonly number[],
  known?: ReadonlyMap<number, Evidence>,
  opened?: ReadonlyMap<number, Readonly<Record<string, unknown>>>,
): Promise<ExceptionCard[]> {
  const cards: ExceptionCard[] = [];
  for (let at = 0; at < ids.length; at += CHUNK) {
    const chunk = ids.slice(at, at + CHUNK);
    // an opened row serves when its evidence is in memory too; any other is read
    const inMemory = (id: number) => opened?.has(id) === true && known?.has(id) === true;
    const stored = chunk.filter((id) => !inMemory(id));
    const read = stored.length
      ? ((await db('exceptions')
          .whereIn('id', stored)
          .select(known ? CARD_COLUMNS : '*')) as Record<string, unknown>[])
      : [];
    if (known) await withEvidence(db, read, known);
    const latest = new Map<number, number>();
    if (stored.length)
      for (const c of (await db('corrections')
        .whereIn('exception_id', stored)
        .groupBy('exception_id')
        .select('exception_id')
        .max({ id: 'id' })) as { exception_id: number; id: number }[])
        latest.set(Number(c.exception_id), Number(c.id));
    const made = new Map<number, ExceptionCard>();
    for (const r of read) {
      const correctionId = latest.get(Number(r.id));
      const correction = correctionId ? await loadCorrection(db, correctionId) : null;
      made.set(Number(r.id), cardOf(r, correction));
    }
    for (const id of chunk)
      if (inMemory(id)) made.set(id, cardOf(opened!.get(id)!, null, known!.get(id)!));
    cards.push(...[...made.keys()].sort((a, b) => a - b).map((id) => made.get(id)!));
  }
  return cards;
}

/** Fills `evidence` of each row: from `known`, or read for the rows it lacks. */
async function withEvidence(
  db: Knex,
  rows: Record<string, unknown>[],
  known: ReadonlyMap<number, Evidence>,
): Promise<void> {
  const missing: number[] = [];
  for (const r of rows) {
    const e = known.get(Number(r.id));
    if (e) r.evidence = e;
    else missing.push(Number(r.id));
  }
  if (missing.length === 0) return;
  const stored = new Map<number, unknown>();
  for (const r of (await db('exceptions').whereIn('id', missing).select('id', 'evidence')) as {
    id: number;
    evidence: unknown;
  }[])
    stored.set(Number(r.id), r.evidence);
  for (const r of rows) if (r.evidence === undefined) r.evidence = stored.get(Number(r.id));
}

/** Ids per query: well under SQLite's and PostgreSQL's limits on bound parameters. */
const CHUNK = 500;

/** `evidence`: the row's evidence when it is not in the row (an opened row, PersistSummary). */
function cardOf(
  r: Readonly<Record<string, unknown>>,
  correction: Correction | null,
  evidence?: Evidence,
): ExceptionCard {
  return {
    id: Number(r.id),
    state: String(r.state),
    sku: String(r.sku),
    location: String(r.location),
    bucket: String(r.bucket),
    source: String(r.source),
    cause: String(r.cause),
    causes: parseJson<string[]>(r.causes, []),
    severity: String(r.severity),
    owner: String(r.owner),
    assignee: (r.assignee as string | null) ?? null,
    explanation: (r.explanation as string | null) ?? null,
    variance: Number(r.variance),
    valueAtRiskMinor: Number(r.value_at_risk_minor),
    currency: String(r.currency ?? 'USD'),
    firstSeenAt: String(r.first_seen_at),
    openedAt: String(r.opened_at),
    recurrence: Number(r.recurrence_count),
    processFailure: Number(r.process_failure) === 1,
    rulesetVersion: String(r.ruleset_version),
    version: Number(r.version),
    slackChannel: (r.slack_channel as string | null) ?? null,
    slackTs: (r.slack_ts as string | null) ?? null,
    evidence:
      evidence ??
      (typeof r.evidence === 'object' && r.evidence !== null
        ? decodeEvidence<Evidence>(r.evidence)
        : decodeEvidence<Evidence | null>(parseJson<unknown>(r.evidence, null))),
    correction,
  };
}
