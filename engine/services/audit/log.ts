/**
 * The audit trail: append-only and hash-chained. Each entry's hash covers the previous hash and
 * the canonical JSON of the entry, sequence number included, so an edited, deleted or reordered
 * row breaks the chain at that row. Scheme 2 (TALLY_AUDIT_KEY set, see key.ts) makes it an HMAC
 * under a key outside the database; scheme 1 entries (older, or no key) keep verifying as sha256.
 */
import type { Knex } from 'knex';
import { dialectOf } from '../store/db.ts';
import { bulkInsert, type Cell, type Column } from '../store/bulk.ts';
import { canonicalJson, nowIso } from '../../core/model/canonical.ts';
import { auditKey, chainHash, type AuditScheme } from './key.ts';

export type AuditInput = {
  actor: string;
  action: string;
  entityType: 'run' | 'exception' | 'correction' | 'ruleset' | 'system' | 'period';
  entityId: string;
  rulesetVersion: string;
  before?: unknown;
  after?: unknown;
  at?: string;
};

export type AuditEntry = {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  rulesetVersion: string;
  before: string | null;
  after: string | null;
  prevHash: string;
  hash: string;
  scheme: AuditScheme;
};

export const GENESIS_HASH = '0'.repeat(64);

const COLUMNS: Column[] = [
  { name: 'seq', pgType: 'int' },
  { name: 'at', pgType: 'text' },
  { name: 'actor', pgType: 'text' },
  { name: 'action', pgType: 'text' },
  { name: 'entity_type', pgType: 'text' },
  { name: 'entity_id', pgType: 'text' },
  { name: 'ruleset_version', pgType: 'text' },
  { name: 'before', pgType: 'text' },
  { name: 'after', pgType: 'text' },
  { name: 'prev_hash', pgType: 'text' },
  { name: 'hash', pgType: 'text' },
  { name: 'scheme', pgType: 'int' },
];

/** What the hash covers: every stored field but the hashes themselves (and, keyed, the scheme). */
export function entryHash(
  prevHash: string,
  e: Omit<AuditEntry, 'hash' | 'prevHash' | 'scheme'> & { scheme?: AuditScheme },
  key: string | null = null,
): string {
  const scheme = e.scheme ?? 1;
  const body = {
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    rulesetVersion: e.rulesetVersion,
    before: e.before,
    after: e.after,
    ...(scheme === 1 ? {} : { scheme }),
  };
  return chainHash(scheme, key, prevHash, canonicalJson(body));
}

export async function appendAudit(trx: Knex.Transaction, input: AuditInput): Promise<AuditEntry> {
  const [entry] = await appendAuditBatch(trx, [input]);
  return entry!;
}

/**
 * Appends entries in order. Writers are serialized (a transaction-scoped advisory lock on
 * PostgreSQL; SQLite has a single writer) so two transactions never chain onto the same head.
 */
export async function appendAuditBatch(
  trx: Knex.Transaction,
  inputs: AuditInput[],
): Promise<AuditEntry[]> {
  if (inputs.length === 0) return [];
  if (dialectOf(trx) === 'pg')
    await trx.raw("select pg_advisory_xact_lock(hashtext(current_schema() || '.audit_log'))");
  const head = (await trx('audit_log').select('seq', 'hash').orderBy('seq', 'desc').first()) as
    { seq: number; hash: string } | undefined;
  let seq = head ? Number(head.seq) : 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  const at = nowIso();
  const key = auditKey();
  const scheme: AuditScheme = key ? 2 : 1;
  const entries = inputs.map((input) => {
    seq += 1;
    const base = {
      seq,
      at: input.at ?? at,
      actor: input.actor,
      action: input.action,
      entityType: input.entityType,
      entityId: input.entityId,
      rulesetVersion: input.rulesetVersion,
      before: input.before === undefined ? null : canonicalJson(input.before),
      after: input.after === undefined ? null : canonicalJson(input.after),
      scheme,
    };
    const entry: AuditEntry = { ...base, prevHash, hash: entryHash(prevHash, base, key) };
    prevHash = entry.hash;
    return entry;
  });
  await bulkInsert(trx, 'audit_log', COLUMNS, entries.map(toRow));
  return entries;
}

function toRow(e: AuditEntry): Cell[] {
  return [
    e.seq,
    e.at,
    e.actor,
    e.action,
    e.entityType,
    e.entityId,
    e.rulesetVersion,
    e.before,
    e.after,
    e.prevHash,
    e.hash,
    e.scheme,
  ];
}

export function fromRow(r: Record<string, unknown>): AuditEntry {
  return {
    seq: Number(r.seq),
    at: String(r.at),
    actor: String(r.actor),
    action: String(r.action),
    entityType: String(r.entity_type),
    entityId: String(r.entity_id),
    rulesetVersion: String(r.ruleset_version),
    before: (r.before as string | null) ?? null,
    after: (r.after as string | null) ?? null,
    prevHash: String(r.prev_hash),
    hash: String(r.hash),
    scheme: Number(r.scheme ?? 1) as AuditScheme,
  };
}
