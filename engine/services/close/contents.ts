/**
 * What a close reads from the database for a period: the exceptions open at its close (the same
 * reading of the exception history as the KPI's open value), the corrections applied in it that
 * are still in force, and a digest of the ledger events dated in it.
 */
import type { Knex } from 'knex';
import { canonicalJson, sha256Hex } from '../../core/model/canonical.ts';
import { whereInForce } from '../corrections/effective.ts';
import type { Period } from '../periods/period.ts';

export type OpenAtClose = {
  exceptionId: number;
  sku: string;
  location: string;
  bucket: string;
  source: string;
  cause: string;
  severity: string;
  owner: string;
  /** When the occurrence open at close began (raised or reopened). */
  openedAt: string;
  variance: number;
  valueMinor: number;
};

export type AppliedCorrection = {
  correctionId: number;
  exceptionId: number;
  system: string;
  sku: string;
  location: string;
  bucket: string;
  deltaQuantity: number;
  reasonCode: string;
  valueMinor: number;
  appliedAt: string;
  appliedBy: string;
};

type HistoryRow = { exception_id: number | string; to_state: string; at: string };

export async function openExceptionsAt(db: Knex, period: Period): Promise<OpenAtClose[]> {
  const history = (await db('exception_history')
    .where('at', '<=', period.asOf)
    .whereIn('to_state', ['open', 'reopened', 'resolved'])
    .orderBy([{ column: 'exception_id' }, { column: 'id' }])
    .select('exception_id', 'to_state', 'at')) as HistoryRow[];
  const openSince = new Map<number, string>();
  for (const h of history) {
    const id = Number(h.exception_id);
    if (h.to_state === 'resolved') openSince.delete(id);
    else openSince.set(id, h.at);
  }
  if (openSince.size === 0) return [];
  const rows: Record<string, unknown>[] = [];
  const ids = [...openSince.keys()];
  for (let i = 0; i < ids.length; i += 500)
    rows.push(...((await db('exceptions').whereIn('id', ids.slice(i, i + 500))) as []));
  return rows
    .map((r) => ({
      exceptionId: Number(r.id),
      sku: String(r.sku),
      location: String(r.location),
      bucket: String(r.bucket),
      source: String(r.source),
      cause: String(r.cause),
      severity: String(r.severity),
      owner: String(r.owner),
      openedAt: openSince.get(Number(r.id))!,
      variance: Number(r.variance),
      valueMinor: Number(r.value_at_risk_minor),
    }))
    .sort((a, b) => a.exceptionId - b.exceptionId);
}

export async function correctionsIn(db: Knex, period: Period): Promise<AppliedCorrection[]> {
  const rows = (await whereInForce(db('corrections as c'))
    .andWhere('c.applied_at', '>=', period.startsAt)
    .andWhere('c.applied_at', '<', period.endsAt)
    .orderBy('c.id')
    .select('c.*')) as Record<string, unknown>[];
  return rows.map((r) => ({
    correctionId: Number(r.id),
    exceptionId: Number(r.exception_id),
    system: String(r.system),
    sku: String(r.sku),
    location: String(r.location),
    bucket: String(r.bucket),
    deltaQuantity: Number(r.delta_quantity),
    reasonCode: String(r.reason_code),
    valueMinor: Number(r.value_minor),
    appliedAt: String(r.applied_at),
    appliedBy: String(r.applied_by ?? ''),
  }));
}

export type LedgerDigest = { events: number; hash: string };

/** Count and hash of the ledger events dated in the period: any later edit, insert or delete shows. */
export async function ledgerDigest(db: Knex, period: Period): Promise<LedgerDigest> {
  const rows = (await db('events')
    .where('occurred_at', '>=', period.startsAt)
    .andWhere('occurred_at', '<', period.endsAt)
    .orderBy('id')
    .select(
      'id',
      'source',
      'source_event_id',
      'type',
      'sku',
      'from_location',
      'from_bucket',
      'from_outside',
      'to_location',
      'to_bucket',
      'to_outside',
      'quantity',
      'occurred_at',
      'reason_code',
      'correction_id',
    )) as Record<string, unknown>[];
  const normal = rows.map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [
        k,
        v === null ? null : typeof v === 'string' ? v : Number(v),
      ]),
    ),
  );
  return { events: rows.length, hash: sha256Hex(canonicalJson(normal)) };
}

export function correctionsHash(corrections: AppliedCorrection[]): string {
  return sha256Hex(canonicalJson(corrections));
}
