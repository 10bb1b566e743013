/** Reading exceptions for people: filtered lists and one exception with its history. */
import type { Knex } from 'knex';
import { InputError } from '../../core/errors.ts';
import { readEvidence } from '../../core/recon/stored-evidence.ts';
import { SEVERITIES } from '../../core/rules/types.ts';
import { isExceptionState, EXCEPTION_STATES } from './states.ts';
import { loadException } from './transition.ts';

export type ExceptionFilters = {
  state?: string;
  owner?: string;
  location?: string;
  severity?: string;
  /** Only exceptions opened at least this long ago, e.g. "36h", "2d", "90m". */
  age?: string;
  limit?: number;
  now?: string;
};

export type ExceptionSummary = {
  id: number;
  state: string;
  severity: string;
  sku: string;
  location: string;
  bucket: string;
  source: string;
  cause: string;
  owner: string;
  assignee: string | null;
  variance: number;
  /** |variance| × unit cost in the currency's minor units (cents), exact. */
  valueAtRiskMinor: number;
  /** ISO 4217 code of the value. */
  currency: string;
  recurrenceCount: number;
  processFailure: boolean;
  firstSeenAt: string;
  lastSeenAt: string;
  openedAt: string;
  resolvedAt: string | null;
};

export function parseAgeMinutes(age: string): number {
  const m = /^(\d+)([mhd])$/.exec(age.trim());
  if (!m) throw new InputError('BAD_AGE', `age must look like 90m, 36h or 2d, got "${age}"`);
  return Number(m[1]) * { m: 1, h: 60, d: 1440 }[m[2] as 'm' | 'h' | 'd'];
}

export async function listExceptions(
  db: Knex,
  f: ExceptionFilters = {},
): Promise<ExceptionSummary[]> {
  const q = db('exceptions').orderBy('id', 'desc');
  if (f.state) {
    if (f.state !== 'live' && !isExceptionState(f.state))
      throw new InputError(
        'BAD_STATE',
        `unknown state "${f.state}" (one of ${EXCEPTION_STATES.join(', ')}, live)`,
      );
    if (f.state === 'live') q.whereNot('state', 'resolved');
    else q.where('state', f.state);
  }
  if (f.severity) {
    if (!(SEVERITIES as readonly string[]).includes(f.severity))
      throw new InputError(
        'BAD_SEVERITY',
        `unknown severity "${f.severity}" (one of ${SEVERITIES.join(', ')})`,
      );
    q.where('severity', f.severity);
  }
  if (f.owner) q.where('owner', f.owner);
  if (f.location) q.where('location', f.location);
  if (f.age) {
    const now = Date.parse(f.now ?? new Date().toISOString());
    q.where('opened_at', '<=', new Date(now - parseAgeMinutes(f.age) * 60_000).toISOString());
  }
  if (f.limit) q.limit(f.limit);
  return ((await q) as Record<string, unknown>[]).map(toSummary);
}

export function toSummary(r: Record<string, unknown>): ExceptionSummary {
  return {
    id: Number(r.id),
    state: String(r.state),
    severity: String(r.severity),
    sku: String(r.sku),
    location: String(r.location),
    bucket: String(r.bucket),
    source: String(r.source),
    cause: String(r.cause),
    owner: String(r.owner),
    assignee: (r.assignee as string | null) ?? null,
    variance: Number(r.variance),
    valueAtRiskMinor: Number(r.value_at_risk_minor),
    currency: String(r.currency ?? 'USD'),
    recurrenceCount: Number(r.recurrence_count),
    processFailure: Number(r.process_failure) === 1,
    firstSeenAt: String(r.first_seen_at),
    lastSeenAt: String(r.last_seen_at),
    openedAt: String(r.opened_at),
    resolvedAt: (r.resolved_at as string | null) ?? null,
  };
}

export type ExceptionDetail = ExceptionSummary & {
  causes: string[];
  evidence: unknown;
  rulesetVersion: string;
  history: { from: string | null; to: string; actor: string; at: string; reason: string }[];
  corrections: {
    id: number;
    state: string;
    system: string;
    deltaQuantity: number;
    reasonCode: string;
    proposer: string;
    /** In the currency's minor units, exact. */
    valueMinor: number;
    currency: string;
  }[];
};

export async function showException(db: Knex, id: number): Promise<ExceptionDetail> {
  const row = await loadException(db, id);
  const history = (await db('exception_history')
    .where({ exception_id: id })
    .orderBy('id')) as Record<string, unknown>[];
  const corrections = (await db('corrections').where({ exception_id: id }).orderBy('id')) as Record<
    string,
    unknown
  >[];
  return {
    ...toSummary(row),
    causes: JSON.parse(String(row.causes)) as string[],
    evidence: readEvidence(row.evidence),
    rulesetVersion: row.ruleset_version,
    history: history.map((h) => ({
      from: (h.from_state as string | null) ?? null,
      to: String(h.to_state),
      actor: String(h.actor),
      at: String(h.at),
      reason: String(h.reason),
    })),
    corrections: corrections.map((c) => ({
      id: Number(c.id),
      state: String(c.state),
      system: String(c.system),
      deltaQuantity: Number(c.delta_quantity),
      reasonCode: String(c.reason_code),
      proposer: String(c.proposer),
      valueMinor: Number(c.value_minor),
      currency: String(c.currency ?? 'USD'),
    })),
  };
}
