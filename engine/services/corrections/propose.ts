/**
 * Proposing a correction: a resolver says which system, which key, what delta and why. The
 * idempotency key (by default a hash of exception, key, delta, ruleset version and proposal
 * generation) makes a repeated proposal return the first one; the same key with other
 * parameters is refused. The generation counts the exception's corrections that closed without
 * effect (rejected, or stale / failed at the system of record): a double click on an open
 * proposal returns it, a new proposal after a closed one is a new correction.
 */
import type { Knex } from 'knex';
import type { Roles } from '../../core/rules/types.ts';
import { inTransaction } from '../store/db.ts';
import { canonicalJson, nowIso, sha256Hex } from '../../core/model/canonical.ts';
import { appendAudit } from '../audit/log.ts';
import { describeMove, postingTime, type PeriodMove } from '../periods/lock.ts';
import { loadException, transition } from '../exceptions/transition.ts';
import { approversNeeded, currencyOfRoles } from '../../core/rules/roles.ts';
import {
  type Currency,
  type Decimal,
  decimalText,
  extendMinor,
  minorText,
  parseDecimal,
  unitOfTotal,
} from '../../core/model/money.ts';
import { reasonFor } from '../../core/model/reasons.ts';
import { REVERSED_WRITEBACK_STATUSES } from './effective.ts';
import { assertCanPropose, CorrectionError, type Actor } from './roles.ts';
import { toCorrection, type Correction } from './model.ts';

export type ProposeInput = {
  exceptionId: number;
  actor: Actor;
  /** Source whose books the correction changes. */
  system: string;
  /** Signed base units to add to the system's quantity. */
  deltaQuantity: number;
  reasonCode: string;
  note?: string;
  /**
   * Cost of one base unit as decimal text ("214.06"); defaults to the item's unit cost the
   * exception was valued with.
   */
  unitCost?: string;
  idempotencyKey?: string;
  at?: string;
};

export type Proposed = {
  correction: Correction;
  created: boolean;
  /** Dated inside a closed period: dated in the next open one instead, and why. */
  moved?: PeriodMove;
  notice?: string;
};

/** What a correction changes: the fields its default idempotency key is made of. */
export type CorrectionTarget = Pick<
  Correction,
  'exceptionId' | 'system' | 'sku' | 'location' | 'bucket' | 'deltaQuantity' | 'rulesetVersion'
>;

export function defaultIdempotencyKey(p: CorrectionTarget, generation = 0): string {
  const parts = [
    'correction',
    p.exceptionId,
    p.system,
    p.sku,
    p.location,
    p.bucket,
    p.deltaQuantity,
    p.rulesetVersion,
  ];
  // generation 0 hashes as keys did before generations, so open proposals keep their key
  return sha256Hex(canonicalJson(generation === 0 ? parts : [...parts, generation]));
}

/** Corrections on the exception that ended without effect: rejected, stale or failed. */
export async function closedCorrections(db: Knex, exceptionId: number): Promise<number> {
  const row = (await db('corrections')
    .where({ exception_id: exceptionId })
    .andWhere((q) =>
      q.where('state', 'rejected').orWhereIn('writeback_status', [...REVERSED_WRITEBACK_STATUSES]),
    )
    .count({ n: '*' })
    .first()) as { n: number | string } | undefined;
  return Number(row?.n ?? 0);
}

export async function proposeCorrection(
  db: Knex,
  roles: Roles,
  input: ProposeInput,
): Promise<Proposed> {
  if (!Number.isInteger(input.deltaQuantity) || input.deltaQuantity === 0) {
    throw new CorrectionError(
      'INVALID_DELTA',
      `delta must be a non-zero whole number of base units, got ${input.deltaQuantity}`,
    );
  }
  const reason = reasonFor(input.reasonCode);
  if (!reason) {
    throw new CorrectionError(
      'UNKNOWN_REASON_CODE',
      `unknown reason code ${input.reasonCode} (see the catalogue: PHYSICAL_COUNT, FOUND, …)`,
    );
  }
  // a legacy `edi947:AA` is stored as the catalogue's own code
  const reasonCode = reason.code;
  return inTransaction(db, async (trx) => {
    const exc = await loadException(trx, input.exceptionId);
    const key: CorrectionTarget = {
      exceptionId: exc.id,
      system: input.system,
      sku: String(exc.sku),
      location: String(exc.location),
      bucket: String(exc.bucket),
      deltaQuantity: input.deltaQuantity,
      rulesetVersion: exc.ruleset_version,
    };
    assertCanPropose(roles, input.actor, key.location);
    const currency = currencyOfRoles(roles);
    const unitCost = unitCostOf(input.unitCost, exc, currency);
    const params = { ...key, reasonCode, note: input.note ?? '', unitCost: decimalText(unitCost) };
    const idempotencyKey =
      input.idempotencyKey ?? defaultIdempotencyKey(key, await closedCorrections(trx, exc.id));
    const paramsHash = sha256Hex(canonicalJson(params));
    const existing = await trx('corrections').where({ idempotency_key: idempotencyKey }).first();
    if (existing)
      return sameOrConflict(existing as Record<string, unknown>, paramsHash, idempotencyKey);
    if (exc.state === 'resolved')
      throw new CorrectionError(
        'EXCEPTION_CLOSED',
        `exception ${exc.id} is resolved; nothing to correct`,
      );
    const { at, moved } = await postingTime(trx, input.at ?? nowIso());
    const valueMinor = extendMinor(unitCost, input.deltaQuantity, currency);
    const inserted = await trx('corrections')
      .insert({
        exception_id: exc.id,
        system: input.system,
        sku: key.sku,
        location: key.location,
        bucket: key.bucket,
        delta_quantity: input.deltaQuantity,
        unit_cost: params.unitCost,
        value_minor: valueMinor,
        currency: currency.code,
        reason_code: reasonCode,
        note: params.note,
        proposer: input.actor.id,
        proposed_at: at,
        state: 'proposed',
        approvals_needed: approversNeeded(roles, valueMinor),
        idempotency_key: idempotencyKey,
        params_hash: paramsHash,
        ruleset_version: exc.ruleset_version,
      })
      .onConflict('idempotency_key')
      .ignore()
      .returning('id');
    const row = (await trx('corrections')
      .where({ idempotency_key: idempotencyKey })
      .first()) as Record<string, unknown>;
    if (inserted.length === 0) return sameOrConflict(row, paramsHash, idempotencyKey);
    const correction = toCorrection(row);
    await transition(trx, {
      exceptionId: exc.id,
      to: 'correction_proposed',
      actor: input.actor.id,
      at,
      reason: `correction ${correction.id} proposed: ${input.system} ${signed(input.deltaQuantity)} (${reasonCode})`,
    });
    await appendAudit(trx, {
      actor: input.actor.id,
      action: 'correction.proposed',
      entityType: 'correction',
      entityId: String(correction.id),
      rulesetVersion: exc.ruleset_version,
      after: {
        ...params,
        value: minorText(valueMinor, currency),
        currency: currency.code,
        idempotencyKey,
        approvalsNeeded: correction.approvalsNeeded,
      },
    });
    if (!moved) return { correction, created: true };
    return {
      correction,
      created: true,
      moved,
      notice: describeMove(`correction ${correction.id}`, moved),
    };
  });
}

/**
 * The unit cost a correction is valued at: the one given, else the item's cost stored with the
 * exception, else (rows stored before unit costs were kept) value at risk ÷ |variance|.
 */
function unitCostOf(
  given: string | undefined,
  exc: Record<string, unknown>,
  currency: Currency,
): Decimal {
  if (given !== undefined) {
    const d = parseDecimal(given);
    if (d === undefined || d.coefficient < 0n)
      throw new CorrectionError(
        'INVALID_UNIT_COST',
        `unit cost must be a non-negative decimal such as 214.06, got "${given}"`,
      );
    return d;
  }
  const stored = typeof exc.unit_cost === 'string' ? parseDecimal(exc.unit_cost) : undefined;
  if (stored !== undefined) return stored;
  return unitOfTotal(Number(exc.value_at_risk_minor), Math.abs(Number(exc.variance)), currency);
}

function sameOrConflict(row: Record<string, unknown>, paramsHash: string, key: string): Proposed {
  if (row.params_hash !== paramsHash) {
    throw new CorrectionError(
      'IDEMPOTENCY_CONFLICT',
      `idempotency key ${key.slice(0, 12)}… was already used for correction ${String(row.id)} with different parameters`,
    );
  }
  return { correction: toCorrection(row), created: false };
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}
