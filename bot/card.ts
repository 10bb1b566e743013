/**
 * What the bot shows about one exception, read from the persistence tables (exceptions,
 * corrections). Reading is done here, in bot/, so views stay pure functions of a card.
 */
import type { Knex } from 'knex';
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
  const r = (await db('exceptions').where({ id }).first()) as Record<string, unknown> | undefined;
  if (!r) return null;
  const latest = (await db('corrections')
    .where({ exception_id: id })
    .orderBy('id', 'desc')
    .first('id')) as { id: number } | undefined;
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
    evidence: parseJson<Evidence | null>(r.evidence, null),
    correction: latest ? await loadCorrection(db, Number(latest.id)) : null,
  };
}
