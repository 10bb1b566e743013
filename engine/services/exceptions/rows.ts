/** Row shapes of the exceptions table for the bulk paths of persistRun. */
import { createHash } from 'node:crypto';
import type { Evidence, KeyResult, RunResult } from '../../core/recon/types.ts';
import type { Cell, Column } from '../store/bulk.ts';
import { causeOf, fingerprintOf } from '../store/runs.ts';
import type { Known } from './plan.ts';
import { DEFAULT_CURRENCY } from '../../core/model/money.ts';
import { encodeEvidence } from '../../core/recon/stored-evidence.ts';

const t = (name: string): Column => ({ name, pgType: 'text' });
const i = (name: string): Column => ({ name, pgType: 'int' });
const big = (name: string): Column => ({ name, pgType: 'bigint' });

export const INSERT_COLUMNS: Column[] = [
  t('fingerprint'),
  t('sku'),
  t('location'),
  t('bucket'),
  t('source'),
  t('cause'),
  t('causes'),
  t('severity'),
  t('state'),
  t('owner'),
  big('variance'),
  big('value_at_risk_minor'),
  t('unit_cost'),
  t('currency'),
  t('first_seen_at'),
  t('last_seen_at'),
  t('opened_at'),
  t('first_run_id'),
  t('last_run_id'),
  i('recurrence_count'),
  t('recent_occurrences'),
  i('process_failure'),
  t('evidence'),
  t('ruleset_version'),
  i('version'),
  t('updated_at'),
  t('last_matched_run_id'),
  t('last_matched_at'),
  t('card_digest'),
  t('card_run_id'),
  t('assignee'),
];

export const UPDATE_COLUMNS: Column[] = [
  i('id'),
  t('severity'),
  t('causes'),
  t('state'),
  t('owner'),
  big('variance'),
  big('value_at_risk_minor'),
  t('unit_cost'),
  t('currency'),
  t('last_seen_at'),
  t('opened_at'),
  t('resolved_at'),
  t('last_run_id'),
  i('recurrence_count'),
  t('recent_occurrences'),
  i('process_failure'),
  t('evidence'),
  t('ruleset_version'),
  i('version'),
  t('updated_at'),
  t('last_matched_run_id'),
  t('last_matched_at'),
  t('card_digest'),
  t('card_run_id'),
];

export const RESOLVE_COLUMNS: Column[] = [
  i('id'),
  t('state'),
  t('resolved_at'),
  i('version'),
  t('updated_at'),
];

export const HISTORY_COLUMNS: Column[] = [
  i('exception_id'),
  t('from_state'),
  t('to_state'),
  t('actor'),
  t('at'),
  t('reason'),
  t('run_id'),
  t('evidence'),
  i('evidence_of_exception'),
];

type Match = { runId: string; at: string } | undefined;

function severityOf(k: KeyResult): string {
  return k.severity ?? (k.outcome.type === 'exception' ? k.outcome.severity : 'low');
}

/**
 * What the exception's Slack message shows that a run sets (bot/views/exception-message.ts):
 * equal digests, the message would read the same, so no update is queued for it.
 */
export function cardDigest(
  run: RunResult,
  k: KeyResult,
  owner: string,
  state: string,
  recurrence: number,
  processFailure: number,
  openedAt: string,
): string {
  const ev = k.evidence;
  const shown = [
    state,
    causeOf(k),
    k.causes?.[0] ?? null,
    severityOf(k),
    k.variance,
    k.valueAtRiskMinor,
    run.currency?.code ?? DEFAULT_CURRENCY.code,
    ev?.unit ?? null,
    ev?.quantities ?? null,
    ev?.expected ?? null,
    recurrence,
    processFailure,
    openedAt,
    run.rulesetVersion.label,
    owner,
  ];
  return createHash('sha256').update(JSON.stringify(shown)).digest('hex').slice(0, 32);
}

/**
 * `assignee`: the person working the exception it continues (the same difference under another
 * cause): it starts assigned to them.
 */
export function freshRow(
  run: RunResult,
  k: KeyResult,
  owner: string,
  evidence: string,
  match: Match,
  assignee?: string | null,
): Cell[] {
  const state = assignee ? 'assigned' : 'open';
  return [
    fingerprintOf(k),
    k.sku,
    k.location,
    k.bucket,
    k.source,
    causeOf(k),
    JSON.stringify(k.causes),
    severityOf(k),
    state,
    owner,
    k.variance,
    k.valueAtRiskMinor,
    k.unitCost ?? null,
    run.currency?.code ?? DEFAULT_CURRENCY.code,
    run.asOf,
    run.asOf,
    run.asOf,
    run.runId,
    run.runId,
    1,
    JSON.stringify([run.asOf]),
    0,
    evidence,
    run.rulesetVersion.label,
    1,
    run.asOf,
    match?.runId ?? null,
    match?.at ?? null,
    cardDigest(run, k, owner, state, 1, 0, run.asOf),
    run.runId,
    assignee ?? null,
  ];
}

export type Carry = {
  state: string;
  recurrence: number;
  occurrences: string;
  processFailure: number;
  openedAt: string;
  match: Match;
};

export function updateRow(
  run: RunResult,
  k: KeyResult,
  owner: string,
  evidence: string,
  known: Known,
  c: Carry,
): Cell[] {
  const digest = cardDigest(run, k, owner, c.state, c.recurrence, c.processFailure, c.openedAt);
  return [
    known.id,
    severityOf(k),
    JSON.stringify(k.causes),
    c.state,
    owner,
    k.variance,
    k.valueAtRiskMinor,
    k.unitCost ?? null,
    run.currency?.code ?? DEFAULT_CURRENCY.code,
    run.asOf,
    c.openedAt,
    null,
    run.runId,
    c.recurrence,
    c.occurrences,
    c.processFailure,
    evidence,
    run.rulesetVersion.label,
    known.version + 1,
    run.asOf,
    c.match?.runId ?? null,
    c.match?.at ?? null,
    digest,
    // the last run that changed what the message shows: its messages update it
    digest === known.card_digest ? known.card_run_id : run.runId,
  ];
}

/** The evidence text stored with an exception, the last match recorded in it. */
export function withLastMatch(
  evidence: Evidence | undefined,
  match: { runId: string; at: string } | undefined,
): string {
  if (!evidence)
    return JSON.stringify(match ? { lastMatchedRunId: match.runId, lastMatchedAt: match.at } : {});
  if (match) {
    evidence.lastMatchedRunId = match.runId;
    evidence.lastMatchedAt = match.at;
  }
  return encodeEvidence(evidence);
}
