/**
 * What the store already holds that a run's save is decided against: the exceptions it may
 * change (by fingerprint), the run before it (its ruleset, and which keys it did not match).
 */
import type { Knex } from 'knex';
import type { Key, KeyResult, RunResult } from '../../core/recon/types.ts';
import type { AuditInput } from '../audit/log.ts';
import { keyId, type ResultKey } from '../store/runs.ts';
import type { Known, Plan } from './plan.ts';

const KNOWN_COLUMNS = [
  'id',
  'fingerprint',
  'sku',
  'location',
  'bucket',
  'source',
  'cause',
  'state',
  'assignee',
  'last_seen_at',
  'resolved_at',
  'version',
  'recurrence_count',
  'recent_occurrences',
  'process_failure',
  'opened_at',
  'last_matched_run_id',
  'last_matched_at',
  'ruleset_version',
  'card_digest',
  'card_run_id',
];

/** Every stored run but this one, the latest (by as-of, then start) first. */
function otherRunsLatestFirst(trx: Knex, run: Pick<RunResult, 'runId'>) {
  return trx('runs')
    .whereNot({ id: run.runId })
    .orderBy([
      { column: 'as_of', order: 'desc' },
      { column: 'started_at', order: 'desc' },
    ]);
}

/** A run under a different ruleset than the run before it records the change in the audit chain. */
export async function rulesetChange(
  trx: Knex.Transaction,
  run: RunResult,
  actor: string,
): Promise<AuditInput | null> {
  const prev = (await otherRunsLatestFirst(trx, run).first('id', 'ruleset_version')) as
    { id: string; ruleset_version: string } | undefined;
  const version = run.rulesetVersion;
  if (!prev || prev.ruleset_version === version.label) return null;
  return {
    actor,
    action: 'ruleset.changed',
    entityType: 'ruleset',
    entityId: version.label,
    rulesetVersion: version.label,
    before: { version: prev.ruleset_version, lastRunId: prev.id },
    after: {
      version: version.label,
      hash: version.hash,
      commit: version.commit,
      firstRunId: run.runId,
    },
  };
}

/** What the latest saved full run as of this run's as-of or before read, file by file. */
export async function previousInputs(
  db: Knex,
  run: Pick<RunResult, 'runId' | 'asOf'>,
): Promise<{ asOf: string; inputs: { source: string; path: string; read: number }[] } | undefined> {
  const row = (await otherRunsLatestFirst(db, run)
    .where({ mode: 'full' })
    .where('as_of', '<=', run.asOf)
    .first('as_of', 'inputs')) as { as_of: string; inputs: string } | undefined;
  if (!row) return undefined;
  return {
    asOf: row.as_of,
    inputs: JSON.parse(row.inputs) as { source: string; path: string; read: number }[],
  };
}

/**
 * The as-of of the latest saved full run other than this one when it is later than this run's
 * (this run is then history: planExceptions opens nothing from it); else undefined.
 */
export async function laterFullRunAsOf(
  trx: Knex.Transaction,
  run: RunResult,
): Promise<string | undefined> {
  const row = (await otherRunsLatestFirst(trx, run)
    .where({ mode: 'full' })
    .where('as_of', '>', run.asOf)
    .first('as_of')) as { as_of: string } | undefined;
  return row?.as_of;
}

/**
 * The skus an incremental run can change exceptions of (its results' and the keys it
 * reconciled); undefined for a full run, which reads every exception.
 */
export function skusOf(
  run: RunResult,
  touchedKeys: readonly Key[] | undefined,
): string[] | undefined {
  if (run.mode === 'full') return undefined;
  return [...new Set([...run.results, ...(touchedKeys ?? [])].map((k) => k.sku))];
}

const SKU_CHUNK = 500;

/** Rows of `table` for these skus (every row without a sku list), read in chunks. */
async function whereSkus<T>(
  skus: string[] | undefined,
  read: (narrow: (q: Knex.QueryBuilder) => Knex.QueryBuilder) => Promise<T[]>,
): Promise<T[]> {
  if (!skus) return read((q) => q);
  const out: T[] = [];
  for (let i = 0; i < skus.length; i += SKU_CHUNK) {
    out.push(...(await read((q) => q.whereIn('sku', skus.slice(i, i + SKU_CHUNK)))));
  }
  return out;
}

export async function loadKnown(
  trx: Knex.Transaction,
  skus: string[] | undefined,
): Promise<Map<string, Known>> {
  const rows = await whereSkus(
    skus,
    (narrow) => narrow(trx('exceptions')).select(KNOWN_COLUMNS) as Promise<Known[]>,
  );
  return new Map(
    rows.map((r) => [
      r.fingerprint,
      {
        ...r,
        id: Number(r.id),
        version: Number(r.version),
        process_failure: Number(r.process_failure),
      },
    ]),
  );
}

export type LastMatch = (k: KeyResult) => { runId: string; at: string } | undefined;

/**
 * A key raised (or back) now matched in the previous run unless it was a non-match there;
 * a continuing exception keeps what was recorded when it was raised.
 */
export async function lastMatchFor(
  trx: Knex.Transaction,
  run: RunResult,
  plan: Plan,
): Promise<LastMatch> {
  if (plan.fresh.length === 0 && plan.reopened.length === 0) return () => undefined;
  const prev = (await otherRunsLatestFirst(trx, run)
    .where('as_of', '<=', run.asOf)
    .first('id', 'as_of')) as { id: string; as_of: string } | undefined;
  if (!prev) return () => undefined;
  const raised = [...plan.fresh, ...plan.reopened.map((r) => r.result)];
  const skus = run.mode === 'full' ? undefined : [...new Set(raised.map((r) => r.sku))];
  const rows = await whereSkus(
    skus,
    (narrow) =>
      narrow(trx('run_results').where({ run_id: prev.id })).select(
        'sku',
        'location',
        'bucket',
        'source',
      ) as Promise<ResultKey[]>,
  );
  const nonMatch = new Set(rows.map(keyId));
  return (k) => (nonMatch.has(keyId(k)) ? undefined : { runId: prev.id, at: prev.as_of });
}
