/**
 * Persists a run in one transaction: the run row and its counts, every non-match result, the
 * exceptions updated by fingerprint (raised, continued, reopened, auto-resolved), their
 * history and the audit chain. All or nothing.
 */
import type { Knex } from 'knex';
import type { Evidence, Key, KeyResult, RunResult } from '../../core/recon/types.ts';
import { bulkInsert, bulkUpdateById, type Cell } from '../store/bulk.ts';
import { insertRunResults, insertRunRow, keyId, type ResultKey } from '../store/runs.ts';
import { appendAuditBatch, type AuditInput } from '../audit/log.ts';
import { keepHistoryEvidence } from './history.ts';
import { planExceptions, type Known, type Plan } from './plan.ts';
import {
  HISTORY_COLUMNS,
  INSERT_COLUMNS,
  RESOLVE_COLUMNS,
  UPDATE_COLUMNS,
  freshRow,
  updateRow,
  withLastMatch,
} from './rows.ts';

export type PersistOptions = {
  owners: (k: KeyResult) => string;
  /** Actor recorded for system transitions. */
  actor?: string;
  /**
   * Incremental runs: the keys the run reconciled. A live exception on one of them that the run
   * did not raise again has gone away and is resolved with the run (full runs resolve by
   * absence everywhere; other keys of an incremental run are left alone).
   */
  touchedKeys?: readonly Key[];
  /** Runs inside the same transaction after everything is written (e.g. outbox rows). */
  onPersisted?: (trx: Knex.Transaction, summary: PersistSummary) => Promise<void>;
};

export type PersistSummary = {
  runId: string;
  results: number;
  opened: number[];
  continued: number;
  reopened: number[];
  resolved: number[];
  processFailures: number[];
  auditEntries: number;
  persistMs: number;
  /**
   * The evidence objects this run wrote to its exceptions, by exception id (the stored JSON is
   * theirs), so what queues the run's messages need not read them back. Absent: read them.
   */
  writtenEvidence?: ReadonlyMap<number, Evidence>;
};

const KNOWN_COLUMNS = [
  'id',
  'fingerprint',
  'sku',
  'location',
  'bucket',
  'state',
  'version',
  'recurrence_count',
  'recent_occurrences',
  'process_failure',
  'opened_at',
  'last_matched_run_id',
  'last_matched_at',
  'ruleset_version',
];

export async function persistRun(
  db: Knex,
  run: RunResult,
  opts: PersistOptions,
): Promise<PersistSummary> {
  const started = performance.now();
  return db.transaction(async (trx) => {
    const actor = opts.actor ?? 'tally';
    await insertRunRow(trx, run, (location, source) => opts.owners(matchedAt(location, source)));
    await insertRunResults(trx, run.runId, run.results, opts.owners);
    const known = await loadKnown(trx, skusOf(run, opts.touchedKeys));
    const plan = planExceptions(known, run.results, run.mode, run.asOf, opts.touchedKeys);
    const lastMatch = await lastMatchFor(trx, run, plan);
    const opened = await insertFresh(trx, run, plan, opts.owners, lastMatch);
    await updateExisting(trx, run, plan, opts.owners, lastMatch);
    await resolveGone(trx, run, plan);
    const entries = historyAndAudit(run, actor, plan, opened);
    const change = await rulesetChange(trx, run, actor);
    if (change) entries.audit.unshift(change);
    await bulkInsert(trx, 'exception_history', HISTORY_COLUMNS, entries.history);
    const persistMs = Math.round(performance.now() - started);
    await trx('runs').where({ id: run.runId }).update({ persist_ms: persistMs });
    const written = new Map<number, Evidence>();
    for (const o of opened) if (o.result.evidence) written.set(o.id, o.result.evidence);
    for (const c of plan.continuing)
      if (c.result.evidence) written.set(Number(c.known.id), c.result.evidence);
    for (const r of plan.reopened)
      if (r.result.evidence) written.set(Number(r.known.id), r.result.evidence);
    const summary: PersistSummary = {
      runId: run.runId,
      results: run.results.length,
      opened: opened.map((o) => o.id),
      continued: plan.continuing.length,
      reopened: plan.reopened.map((r) => r.known.id),
      resolved: plan.resolved.map((r) => r.id),
      processFailures: plan.reopened
        .filter((r) => r.processFailure && r.known.process_failure !== 1)
        .map((r) => r.known.id),
      auditEntries: entries.audit.length,
      persistMs,
      writtenEvidence: written,
    };
    if (opts.onPersisted) await opts.onPersisted(trx, summary);
    // Last: the audit append serializes every writer of the log (a click's too) until commit.
    await appendAuditBatch(trx, entries.audit);
    return summary;
  });
}

/** Every stored run but this one, the latest (by as-of, then start) first. */
function otherRunsLatestFirst(trx: Knex.Transaction, run: RunResult) {
  return trx('runs')
    .whereNot({ id: run.runId })
    .orderBy([
      { column: 'as_of', order: 'desc' },
      { column: 'started_at', order: 'desc' },
    ]);
}

/** A run under a different ruleset than the run before it records the change in the audit chain. */
async function rulesetChange(
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

/**
 * The skus an incremental run can change exceptions of (its results' and the keys it
 * reconciled); undefined for a full run, which reads every exception.
 */
function skusOf(run: RunResult, touchedKeys: readonly Key[] | undefined): string[] | undefined {
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

async function loadKnown(
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

type LastMatch = (k: KeyResult) => { runId: string; at: string } | undefined;

/**
 * A key raised (or back) now matched in the previous run unless it was a non-match there;
 * a continuing exception keeps what was recorded when it was raised.
 */
async function lastMatchFor(trx: Knex.Transaction, run: RunResult, plan: Plan): Promise<LastMatch> {
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

/**
 * Exceptions inserted per statement batch in insertFresh: small enough that a slice's rows and
 * evidence text die young (2,000 a slice lived into the old generation: 1M keys, save ~1.8 s
 * slower with the notify batches below at 1,000).
 */
const FRESH_SLICE = 250;

async function insertFresh(
  trx: Knex.Transaction,
  run: RunResult,
  plan: Plan,
  owners: (k: KeyResult) => string,
  lastMatch: LastMatch,
): Promise<{ id: number; result: KeyResult }[]> {
  if (plan.fresh.length === 0) return [];
  const fps = new Map<string, number>();
  // in slices: only one slice's evidence text is alive at a time (30,000 exceptions: ~130 MB)
  for (let at = 0; at < plan.fresh.length; at += FRESH_SLICE) {
    const rows: Cell[][] = [];
    for (let i = at; i < Math.min(at + FRESH_SLICE, plan.fresh.length); i++) {
      const result = plan.fresh[i]!;
      const match = lastMatch(result);
      const evidence = withLastMatch(result.evidence, match);
      const row = freshRow(run, result, owners(result), evidence, match);
      fps.set(String(row[0]), i);
      rows.push(row);
    }
    await bulkInsert(trx, 'exceptions', INSERT_COLUMNS, rows);
  }
  const ids = (await trx('exceptions')
    .where({ first_run_id: run.runId })
    .select('id', 'fingerprint')) as { id: number; fingerprint: string }[];
  return ids.map((r) => {
    const i = fps.get(r.fingerprint)!;
    return { id: Number(r.id), result: plan.fresh[i]! };
  });
}

async function updateExisting(
  trx: Knex.Transaction,
  run: RunResult,
  plan: Plan,
  owners: (k: KeyResult) => string,
  lastMatch: LastMatch,
): Promise<void> {
  const rows: Cell[][] = [];
  for (const { known, result } of plan.continuing) {
    const match = known.last_matched_run_id
      ? { runId: known.last_matched_run_id, at: known.last_matched_at ?? '' }
      : undefined;
    rows.push(
      updateRow(run, result, owners(result), withLastMatch(result.evidence, match), known, {
        state: known.state,
        recurrence: known.recurrence_count,
        occurrences: known.recent_occurrences,
        processFailure: known.process_failure,
        openedAt: known.opened_at,
        match,
      }),
    );
  }
  for (const r of plan.reopened) {
    const match = lastMatch(r.result);
    rows.push(
      updateRow(run, r.result, owners(r.result), withLastMatch(r.result.evidence, match), r.known, {
        state: 'reopened',
        recurrence: r.known.recurrence_count + 1,
        occurrences: JSON.stringify(r.occurrences),
        processFailure: r.processFailure ? 1 : 0,
        openedAt: run.asOf,
        match,
      }),
    );
  }
  await keepHistoryEvidence(
    trx,
    rows.map((r) => Number(r[0])),
  );
  await bulkUpdateById(trx, 'exceptions', UPDATE_COLUMNS, rows);
}

async function resolveGone(trx: Knex.Transaction, run: RunResult, plan: Plan): Promise<void> {
  const rows: Cell[][] = plan.resolved.map((k) => [
    k.id,
    'resolved',
    run.asOf,
    k.version + 1,
    run.asOf,
  ]);
  await bulkUpdateById(trx, 'exceptions', RESOLVE_COLUMNS, rows);
}

function historyAndAudit(
  run: RunResult,
  actor: string,
  plan: Plan,
  opened: { id: number; result: KeyResult }[],
): { history: Cell[][]; audit: AuditInput[] } {
  const version = run.rulesetVersion.label;
  const history: Cell[][] = [];
  const audit: AuditInput[] = [
    {
      actor,
      action: 'run.persisted',
      entityType: 'run',
      entityId: run.runId,
      rulesetVersion: version,
      after: {
        asOf: run.asOf,
        mode: run.mode,
        inputs: run.inputs.map((i) => ({ source: i.source, path: i.path, sha256: i.sha256 })),
        summary: { ...run.summary, comparedBy: undefined },
        opened: opened.length,
        reopened: plan.reopened.length,
        resolved: plan.resolved.length,
      },
    },
  ];
  /** `evidence` null: the row shares the exception's evidence (history.ts). */
  const add = (
    id: number,
    from: string | null,
    to: string,
    reason: string,
    evidence: string | null,
  ): void => {
    history.push([id, from, to, actor, run.asOf, reason, run.runId, evidence, evidence ? 0 : 1]);
    audit.push({
      actor,
      action: 'exception.transition',
      entityType: 'exception',
      entityId: String(id),
      rulesetVersion: version,
      before: from === null ? undefined : { state: from },
      after: { state: to, reason, runId: run.runId },
    });
  };
  for (const o of opened) add(o.id, null, 'open', `raised by run ${run.runId}`, null);
  for (const r of plan.reopened)
    add(
      r.known.id,
      'resolved',
      'reopened',
      `difference back in run ${run.runId} (occurrence ${r.known.recurrence_count + 1}${r.processFailure ? ', process failure' : ''})`,
      // the exception's evidence is this one, last match added, unless the result had none
      r.result.evidence ? null : '{}',
    );
  for (const k of plan.resolved)
    add(
      k.id,
      k.state,
      'resolved',
      `difference gone in run ${run.runId}`,
      JSON.stringify({ runId: run.runId, asOf: run.asOf }),
    );
  return { history, audit };
}

/**
 * A matched key of a location and source, as the owners function sees it: the Owners tree
 * routes it on its location and source (cause MATCH, no severity, no sku or bucket).
 */
function matchedAt(location: string, source: string): KeyResult {
  return {
    sku: '',
    location,
    bucket: '' as Key['bucket'],
    source,
    outcome: { type: 'match' },
    causes: [],
    variance: 0,
    valueAtRiskMinor: 0,
  };
}
