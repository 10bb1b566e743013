/**
 * Persists a run in one transaction: the run row and its counts, every non-match result, the
 * exceptions updated by fingerprint (raised, continued, reopened, auto-resolved), their
 * history and the audit chain. All or nothing.
 */
import type { Knex } from 'knex';
import type { Evidence, Key, KeyResult, RunResult } from '../../core/recon/types.ts';
import { bulkInsert, bulkUpdateById, type Cell } from '../store/bulk.ts';
import { dialectOf } from '../store/db.ts';
import { insertRunResults, insertRunRow } from '../store/runs.ts';
import { appendAuditBatch, type AuditInput } from '../audit/log.ts';
import { keepHistoryEvidence } from './history.ts';
import { comparedIn, planExceptions, type Known, type Plan } from './plan.ts';
import {
  laterFullRunAsOf,
  lastMatchFor,
  loadKnown,
  rulesetChange,
  skusOf,
  type LastMatch,
} from './prior.ts';
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
  /**
   * Live exceptions left as they were because the run did not make their comparison (their
   * source failed or sent nothing there, or their key was incomplete): not resolved by absence.
   */
  notCompared: number[];
  /** Live or resolved exceptions a run as of a later time decided: left as they were. */
  decidedLater: number[];
  /** Exceptions found that no record holds, not opened: a later full run is saved. */
  notOpened: number;
  /** The as-of of that later full run, when there is one. */
  laterFullRunAsOf?: string;
  processFailures: number[];
  auditEntries: number;
  persistMs: number;
  /**
   * The evidence objects this run wrote to its exceptions, by exception id (the stored JSON is
   * theirs), so what queues the run's messages need not read them back. Absent: read them.
   */
  writtenEvidence?: ReadonlyMap<number, Evidence>;
  /**
   * The row each exception this run opened was inserted with (by id, its columns by name, the
   * evidence aside): what queues the run's messages need not read them back.
   */
  openedRows?: ReadonlyMap<number, Readonly<Record<string, unknown>>>;
};

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
    const later = await laterFullRunAsOf(trx, run);
    const plan = planExceptions(known, run.results, run.mode, run.asOf, {
      touchedKeys: opts.touchedKeys,
      compared: comparedIn(run),
      laterFullRunAsOf: later,
    });
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
      notCompared: plan.notCompared.map((r) => r.id),
      decidedLater: plan.decidedLater.map((r) => r.id),
      notOpened: plan.notOpened.length,
      ...(later === undefined ? {} : { laterFullRunAsOf: later }),
      processFailures: plan.reopened
        .filter((r) => r.processFailure && r.known.process_failure !== 1)
        .map((r) => r.known.id),
      auditEntries: entries.audit.length,
      persistMs,
      writtenEvidence: written,
      openedRows: new Map(opened.map((o) => [o.id, o.row])),
    };
    if (opts.onPersisted) await opts.onPersisted(trx, summary);
    // Last: the audit append serializes every writer of the log (a click's too) until commit.
    await appendAuditBatch(trx, entries.audit);
    return summary;
  });
}

/**
 * Exceptions inserted (insertFresh) or updated (updateExisting) per statement batch: small
 * enough that a slice's rows and evidence text die young (2,000 a slice lived into the old
 * generation: 1M keys, save ~1.8 s slower with the notify batches below at 1,000).
 * SQLite: at 250, a slice's ~1 MB of evidence text was often alive across two scavenges and
 * promoted (the old generation grew ~300 MB during a 1M-key save); at 100 the scavenges after
 * classifying took 658 ms against 993 ms and the save 6.14 → 4.96 s (medians of 6 interleaved
 * runs; 50 was no better). PostgreSQL: each slice is a few statements and round trips (a
 * COPY, a temporary table emptied and filled, the history's evidence kept); at 100 the next
 * day's save took 11.0/13.7 s against 8.2/9.6 s at 250 (2 interleaved pairs).
 */
const saveSlice = (trx: Knex.Transaction): number => (dialectOf(trx) === 'pg' ? 250 : 100);

async function insertFresh(
  trx: Knex.Transaction,
  run: RunResult,
  plan: Plan,
  owners: (k: KeyResult) => string,
  lastMatch: LastMatch,
): Promise<{ id: number; result: KeyResult; row: Record<string, unknown> }[]> {
  if (plan.fresh.length === 0) return [];
  const fps = new Map<string, number>();
  const written: Record<string, unknown>[] = [];
  // in slices: only one slice's evidence text is alive at a time (30,000 exceptions: ~130 MB)
  const slice = saveSlice(trx);
  for (let at = 0; at < plan.fresh.length; at += slice) {
    const rows: Cell[][] = [];
    for (let i = at; i < Math.min(at + slice, plan.fresh.length); i++) {
      const result = plan.fresh[i]!;
      const match = lastMatch(result);
      const evidence = withLastMatch(result.evidence, match);
      const before = plan.continues.get(result);
      const row = freshRow(run, result, owners(result), evidence, match, before?.assignee);
      fps.set(String(row[0]), i);
      rows.push(row);
      written.push(rowObject(row));
    }
    await bulkInsert(trx, 'exceptions', INSERT_COLUMNS, rows);
  }
  const ids = (await trx('exceptions')
    .where({ first_run_id: run.runId })
    .select('id', 'fingerprint')) as { id: number; fingerprint: string }[];
  return ids.map((r) => {
    const i = fps.get(r.fingerprint)!;
    const row = written[i]!;
    row.id = Number(r.id);
    return { id: Number(r.id), result: plan.fresh[i]!, row };
  });
}

const EVIDENCE_AT = INSERT_COLUMNS.findIndex((c) => c.name === 'evidence');

/** An inserted row's columns by name, as a query reads them back, without its evidence text. */
function rowObject(row: Cell[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (let c = 0; c < INSERT_COLUMNS.length; c++)
    if (c !== EVIDENCE_AT) o[INSERT_COLUMNS[c]!.name] = row[c];
  return o;
}

async function updateExisting(
  trx: Knex.Transaction,
  run: RunResult,
  plan: Plan,
  owners: (k: KeyResult) => string,
  lastMatch: LastMatch,
): Promise<void> {
  const rowOf = (i: number): Cell[] => {
    if (i < plan.continuing.length) {
      const { known, result } = plan.continuing[i]!;
      const match = known.last_matched_run_id
        ? { runId: known.last_matched_run_id, at: known.last_matched_at ?? '' }
        : undefined;
      return updateRow(run, result, owners(result), withLastMatch(result.evidence, match), known, {
        state: known.state,
        recurrence: known.recurrence_count,
        occurrences: known.recent_occurrences,
        processFailure: known.process_failure,
        openedAt: known.opened_at,
        match,
      });
    }
    const r = plan.reopened[i - plan.continuing.length]!;
    const match = lastMatch(r.result);
    return updateRow(
      run,
      r.result,
      owners(r.result),
      withLastMatch(r.result.evidence, match),
      r.known,
      {
        state: 'reopened',
        recurrence: r.known.recurrence_count + 1,
        occurrences: JSON.stringify(r.occurrences),
        processFailure: r.processFailure ? 1 : 0,
        openedAt: run.asOf,
        match,
      },
    );
  };
  // in slices, as insertFresh: a run over yesterday's database continues every exception, and
  // all their rows at once held every evidence text together (1M keys: 30,115, ~120 MB)
  const count = plan.continuing.length + plan.reopened.length;
  const slice = saveSlice(trx);
  for (let at = 0; at < count; at += slice) {
    const rows: Cell[][] = [];
    for (let i = at; i < Math.min(at + slice, count); i++) rows.push(rowOf(i));
    await keepHistoryEvidence(
      trx,
      rows.map((r) => Number(r[0])),
    );
    await bulkUpdateById(trx, 'exceptions', UPDATE_COLUMNS, rows);
  }
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
        // open exceptions whose comparison the run did not make: left open, not resolved
        ...(plan.notCompared.length ? { keptOpenNotCompared: plan.notCompared.length } : {}),
        // resolved because the rules no longer compare them at all
        ...(plan.retired.size ? { retiredByRules: plan.retired.size } : {}),
        // a run as of before a later one: what the later run decided stays
        ...(plan.decidedLater.length ? { decidedLater: plan.decidedLater.length } : {}),
        ...(plan.notOpened.length ? { notOpened: plan.notOpened.length } : {}),
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
  const continuedAs = new Map<Known, number>();
  for (const o of opened) {
    const before = plan.continues.get(o.result);
    if (!before) {
      add(o.id, null, 'open', `raised by run ${run.runId}`, null);
      continue;
    }
    continuedAs.set(before, o.id);
    add(
      o.id,
      null,
      'open',
      `raised by run ${run.runId}: continues exception #${before.id} (its cause was ${before.cause})`,
      null,
    );
    if (before.assignee)
      add(
        o.id,
        'open',
        'assigned',
        `assigned to ${before.assignee} (carried over from #${before.id})`,
        null,
      );
  }
  for (const r of plan.reopened) {
    const before = plan.continues.get(r.result);
    if (before) continuedAs.set(before, r.known.id);
    const continues = before
      ? `; continues exception #${before.id} (its cause was ${before.cause})`
      : '';
    add(
      r.known.id,
      'resolved',
      'reopened',
      `difference back in run ${run.runId} (occurrence ${r.known.recurrence_count + 1}${r.processFailure ? ', process failure' : ''})${continues}`,
      // the exception's evidence is this one, last match added, unless the result had none
      r.result.evidence ? null : '{}',
    );
  }
  for (const k of plan.resolved)
    add(
      k.id,
      k.state,
      'resolved',
      plan.retired.has(k)
        ? `no longer compared: ruleset ${version} does not compare ${k.source} at ${k.location} (${k.bucket}); run ${run.runId}`
        : continuedAs.has(k)
          ? `cause changed in run ${run.runId}: the difference continues as exception #${continuedAs.get(k)}`
          : `difference gone in run ${run.runId}`,
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
