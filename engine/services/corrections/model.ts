/** The corrections row as code sees it. */
import type { Knex } from 'knex';
import { CorrectionError } from './roles.ts';

export type CorrectionState = 'proposed' | 'approved' | 'rejected' | 'applied';

export type Correction = {
  id: number;
  exceptionId: number;
  system: string;
  sku: string;
  location: string;
  bucket: string;
  deltaQuantity: number;
  /** Cost of one base unit, exact decimal text in the rules' currency ("214.06"). */
  unitCost: string;
  /** |deltaQuantity| × unitCost in the currency's minor units (cents), exact. */
  valueMinor: number;
  /** ISO 4217 code of unitCost and valueMinor. */
  currency: string;
  reasonCode: string;
  note: string;
  proposer: string;
  proposedAt: string;
  state: CorrectionState;
  approvalsNeeded: number;
  approvalCount: number;
  approvers: string[];
  rejectedBy: string | null;
  idempotencyKey: string;
  rulesetVersion: string;
  appliedAt: string | null;
  executionResult: unknown;
  /** The system of record's answer to the write-back (applied, exported, stale, failed). */
  writebackStatus: string | null;
};

export function toCorrection(r: Record<string, unknown>): Correction {
  return {
    id: Number(r.id),
    exceptionId: Number(r.exception_id),
    system: String(r.system),
    sku: String(r.sku),
    location: String(r.location),
    bucket: String(r.bucket),
    deltaQuantity: Number(r.delta_quantity),
    unitCost: String(r.unit_cost),
    valueMinor: Number(r.value_minor),
    currency: String(r.currency ?? 'USD'),
    reasonCode: String(r.reason_code),
    note: String(r.note),
    proposer: String(r.proposer),
    proposedAt: String(r.proposed_at),
    state: r.state as CorrectionState,
    approvalsNeeded: Number(r.approvals_needed),
    approvalCount: Number(r.approval_count),
    approvers: [r.approver1, r.approver2].filter((a): a is string => typeof a === 'string'),
    rejectedBy: (r.rejected_by as string | null) ?? null,
    idempotencyKey: String(r.idempotency_key),
    rulesetVersion: String(r.ruleset_version),
    appliedAt: (r.applied_at as string | null) ?? null,
    executionResult: r.execution_result ? JSON.parse(String(r.execution_result)) : null,
    writebackStatus: (r.writeback_status as string | null | undefined) ?? null,
  };
}

export async function loadCorrection(db: Knex, id: number): Promise<Correction> {
  const row = (await db('corrections').where({ id }).first()) as
    Record<string, unknown> | undefined;
  if (!row) throw new CorrectionError('CORRECTION_NOT_FOUND', `no correction with id ${id}`);
  return toCorrection(row);
}
