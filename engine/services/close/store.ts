/**
 * The close tables: writing what a close fixed and reading it back exactly as it was written,
 * so a digest over the rows read equals the digest taken at close on both engines.
 */
import type { Knex } from 'knex';
import { canonicalJson, sha256Hex } from '../../core/model/canonical.ts';
import type { AppliedCorrection, OpenAtClose } from './contents.ts';
import type { JournalLine } from './journal.ts';
import type { PeriodPosition } from './positions.ts';

export type CloseContent = {
  positions: PeriodPosition[];
  openExceptions: OpenAtClose[];
  corrections: AppliedCorrection[];
  journal: JournalLine[];
};

export const CLOSE_TABLES = [
  'close_positions',
  'close_exceptions',
  'close_corrections',
  'close_journal',
] as const;

export function contentHash(period: string, c: CloseContent): string {
  return sha256Hex(canonicalJson({ period, ...c }));
}

const CHUNK_ROWS = 200;

async function insertChunked(trx: Knex, table: string, rows: Record<string, unknown>[]) {
  for (let i = 0; i < rows.length; i += CHUNK_ROWS)
    await trx(table).insert(rows.slice(i, i + CHUNK_ROWS));
}

export async function writeContent(trx: Knex, period: string, c: CloseContent): Promise<void> {
  for (const table of CLOSE_TABLES) await trx(table).where({ period }).delete();
  await insertChunked(
    trx,
    'close_positions',
    c.positions.map((p) => ({
      period,
      sku: p.sku,
      location: p.location,
      bucket: p.bucket,
      quantity: p.quantity,
      unit_cost: p.unitCost,
      value_minor: p.valueMinor,
    })),
  );
  await insertChunked(
    trx,
    'close_exceptions',
    c.openExceptions.map((e) => ({
      period,
      exception_id: e.exceptionId,
      sku: e.sku,
      location: e.location,
      bucket: e.bucket,
      source: e.source,
      cause: e.cause,
      severity: e.severity,
      owner: e.owner,
      opened_at: e.openedAt,
      variance: e.variance,
      value_minor: e.valueMinor,
    })),
  );
  await insertChunked(
    trx,
    'close_corrections',
    c.corrections.map((x) => ({
      period,
      correction_id: x.correctionId,
      exception_id: x.exceptionId,
      system: x.system,
      sku: x.sku,
      location: x.location,
      bucket: x.bucket,
      delta_quantity: x.deltaQuantity,
      reason_code: x.reasonCode,
      value_minor: x.valueMinor,
      applied_at: x.appliedAt,
      applied_by: x.appliedBy,
    })),
  );
  await insertChunked(
    trx,
    'close_journal',
    c.journal.map((l) => ({
      period,
      entry: l.entry,
      line: l.line,
      posting_date: l.postingDate,
      account: l.account,
      debit_minor: l.debitMinor,
      credit_minor: l.creditMinor,
      reason_code: l.reasonCode,
      sku: l.sku,
      location: l.location,
      memo: l.memo,
    })),
  );
}

type Row = Record<string, unknown>;
const s = (v: unknown) => String(v);
const n = (v: unknown) => Number(v);

export async function readContent(db: Knex, period: string): Promise<CloseContent> {
  const rows = (table: string) => db(table).where({ period }).orderBy('id') as Promise<Row[]>;
  return {
    positions: (await rows('close_positions')).map((r) => ({
      sku: s(r.sku),
      location: s(r.location),
      bucket: s(r.bucket),
      quantity: n(r.quantity),
      unitCost: r.unit_cost === null ? null : s(r.unit_cost),
      valueMinor: n(r.value_minor),
    })),
    openExceptions: (await rows('close_exceptions')).map((r) => ({
      exceptionId: n(r.exception_id),
      sku: s(r.sku),
      location: s(r.location),
      bucket: s(r.bucket),
      source: s(r.source),
      cause: s(r.cause),
      severity: s(r.severity),
      owner: s(r.owner),
      openedAt: s(r.opened_at),
      variance: n(r.variance),
      valueMinor: n(r.value_minor),
    })),
    corrections: (await rows('close_corrections')).map((r) => ({
      correctionId: n(r.correction_id),
      exceptionId: n(r.exception_id),
      system: s(r.system),
      sku: s(r.sku),
      location: s(r.location),
      bucket: s(r.bucket),
      deltaQuantity: n(r.delta_quantity),
      reasonCode: s(r.reason_code),
      valueMinor: n(r.value_minor),
      appliedAt: s(r.applied_at),
      appliedBy: s(r.applied_by),
    })),
    journal: (await rows('close_journal')).map((r) => ({
      entry: s(r.entry),
      line: n(r.line),
      postingDate: s(r.posting_date),
      account: s(r.account),
      debitMinor: n(r.debit_minor),
      creditMinor: n(r.credit_minor),
      reasonCode: s(r.reason_code),
      sku: s(r.sku),
      location: s(r.location),
      memo: s(r.memo),
    })),
  };
}

export type CloseRecord = {
  period: string;
  state: 'closed' | 'reopened';
  closedBy: string;
  closedAt: string;
  closeCount: number;
  currency: string | null;
  rulesetVersion: string;
  auditHead: { seq: number; hash: string };
  contentHash: string;
  correctionsHash: string;
  ledgerHash: string;
  ledgerEvents: number;
  reopenedBy: string | null;
  reopenedAt: string | null;
  reopenReason: string | null;
};

export async function loadRecord(db: Knex, period: string): Promise<CloseRecord | undefined> {
  const r = (await db('close_periods').where({ period }).first()) as Row | undefined;
  if (!r) return undefined;
  return {
    period: s(r.period),
    state: r.state as CloseRecord['state'],
    closedBy: s(r.closed_by),
    closedAt: s(r.closed_at),
    closeCount: n(r.close_count),
    currency: (r.currency as string | null) ?? null,
    rulesetVersion: s(r.ruleset_version),
    auditHead: { seq: n(r.audit_head_seq), hash: s(r.audit_head_hash) },
    contentHash: s(r.content_hash),
    correctionsHash: s(r.corrections_hash),
    ledgerHash: s(r.ledger_hash),
    ledgerEvents: n(r.ledger_events),
    reopenedBy: (r.reopened_by as string | null) ?? null,
    reopenedAt: (r.reopened_at as string | null) ?? null,
    reopenReason: (r.reopen_reason as string | null) ?? null,
  };
}
