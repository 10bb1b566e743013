/** The run row, its compared counts and its non-match results (bulk). */
import type { Knex } from 'knex';
import type { KeyResult, RunResult } from '../../core/recon/types.ts';
import { bulkInsert, type Cell, type Column } from './bulk.ts';
import { nowIso } from '../../core/model/canonical.ts';
import { fingerprint } from '../../core/recon/fingerprint.ts';

const RESULT_COLUMNS: Column[] = [
  { name: 'run_id', pgType: 'text' },
  { name: 'sku', pgType: 'text' },
  { name: 'location', pgType: 'text' },
  { name: 'bucket', pgType: 'text' },
  { name: 'source', pgType: 'text' },
  { name: 'outcome', pgType: 'text' },
  { name: 'code', pgType: 'text' },
  { name: 'severity', pgType: 'text' },
  { name: 'variance', pgType: 'bigint' },
  { name: 'value_at_risk_minor', pgType: 'bigint' },
  { name: 'fingerprint', pgType: 'text' },
  { name: 'owner', pgType: 'text' },
  { name: 'risk', pgType: 'text' },
];

const COUNT_COLUMNS: Column[] = [
  { name: 'run_id', pgType: 'text' },
  { name: 'location', pgType: 'text' },
  { name: 'source', pgType: 'text' },
  { name: 'sku', pgType: 'text' },
  { name: 'compared', pgType: 'int' },
  { name: 'owner', pgType: 'text' },
];

/** Who owns the matched keys of a location and source (the Owners tree on those labels). */
export type CellOwner = (location: string, source: string) => string;

export type RiskKind = 'oversell' | 'stockout';

/** The engine's fingerprint, computed the engine's way for a result built without one. */
export function fingerprintOf(k: KeyResult): string {
  return k.fingerprint || fingerprint(k.sku, k.location, k.bucket, k.source, causeOf(k));
}

export function causeOf(k: KeyResult): string {
  if (k.outcome.type === 'exception') return k.causes[0] ?? k.outcome.rootCause;
  if (k.outcome.type === 'explained') return k.outcome.code;
  return 'MATCH';
}

/**
 * A channel shows sellable stock the ledger does not have (oversell risk), or the ledger says
 * none is sellable while the channel still sells (stockout risk: orders that cannot ship).
 */
export function riskOf(k: KeyResult): RiskKind | null {
  const facts = k.evidence?.facts;
  if (!facts || facts.channelSellable < 0) return null;
  if (facts.expectedSellable <= 0 && facts.channelSellable > 0) return 'stockout';
  if (facts.channelSellable > facts.expectedSellable) return 'oversell';
  return null;
}

export async function insertRunRow(
  trx: Knex.Transaction,
  run: RunResult,
  cellOwner?: CellOwner,
): Promise<void> {
  const explained = sum(run.summary.explained);
  const exceptions = sum(run.summary.exceptions);
  await trx('runs').insert({
    id: run.runId,
    as_of: run.asOf,
    started_at: run.startedAt,
    finished_at: nowIso(),
    mode: run.mode,
    status: 'completed',
    ruleset_version: run.rulesetVersion.label,
    ruleset_hash: run.rulesetVersion.hash,
    inputs: JSON.stringify(
      run.inputs.map((i) => ({
        source: i.source,
        path: i.path,
        sha256: i.sha256,
        read: i.read,
        accepted: i.accepted,
        rejected: i.rejected,
        outsideAsOf: i.outsideAsOf,
        keptOut: i.keptOut,
        duplicate: i.duplicate,
        ...(i.notes?.length ? { notes: i.notes } : {}),
      })),
    ),
    run_findings: JSON.stringify(run.runFindings),
    not_compared: JSON.stringify(run.notCompared),
    not_compared_count: run.summary.notCompared ?? 0,
    summary: JSON.stringify(run.summary),
    durations: JSON.stringify(run.durations),
    keys_count: run.summary.keys,
    compared_count: run.summary.compared,
    matched_count: run.summary.matched,
    explained_count: explained,
    exception_count: exceptions,
    findings_count: run.findings.length,
  });
  const counts = run.summary.comparedBy ?? [];
  await bulkInsert(
    trx,
    'run_counts',
    COUNT_COLUMNS,
    counts.map((c) => [
      run.runId,
      c.location,
      c.source,
      c.sku ?? '',
      c.compared,
      cellOwner ? cellOwner(c.location, c.source) : null,
    ]),
  );
}

export async function insertRunResults(
  trx: Knex.Transaction,
  runId: string,
  results: KeyResult[],
  owners: (k: KeyResult) => string,
): Promise<void> {
  const rows: Cell[][] = results.map((k) => [
    runId,
    k.sku,
    k.location,
    k.bucket,
    k.source,
    k.outcome.type,
    causeOf(k),
    k.severity ?? (k.outcome.type === 'exception' ? k.outcome.severity : null),
    k.variance,
    k.valueAtRiskMinor,
    k.outcome.type === 'exception' ? fingerprintOf(k) : null,
    owners(k),
    riskOf(k),
  ]);
  await bulkInsert(trx, 'run_results', RESULT_COLUMNS, rows);
}

/** What identifies one comparison's result in a run. */
export type ResultKey = Pick<KeyResult, 'sku' | 'location' | 'bucket' | 'source'>;

export function keyId(k: ResultKey): string {
  return `${k.sku}\u0000${k.location}\u0000${k.bucket}\u0000${k.source}`;
}

function sum(record: Record<string, number>): number {
  return Object.values(record).reduce((a, b) => a + b, 0);
}
