/** Audit export for auditors: every field of each entry in [from, to], as CSV or JSON. */
import type { Knex } from 'knex';
import { fromRow, type AuditEntry } from './log.ts';
import { csvCell } from '../../core/model/csv.ts';

export type ExportFormat = 'csv' | 'json';
export type ExportOptions = { from?: string; to?: string; format: ExportFormat };

export async function readAudit(
  db: Knex,
  opts: { from?: string; to?: string },
): Promise<AuditEntry[]> {
  const q = db('audit_log').orderBy('seq');
  if (opts.from) q.where('at', '>=', opts.from);
  if (opts.to) q.where('at', '<=', opts.to);
  return ((await q) as Record<string, unknown>[]).map(fromRow);
}

export async function exportAudit(db: Knex, opts: ExportOptions): Promise<string> {
  const entries = await readAudit(db, opts);
  return opts.format === 'json' ? JSON.stringify(entries, null, 2) + '\n' : toCsv(entries);
}

const HEADER: (keyof AuditEntry)[] = [
  'seq',
  'at',
  'actor',
  'action',
  'entityType',
  'entityId',
  'rulesetVersion',
  'before',
  'after',
  'prevHash',
  'hash',
  'scheme',
];

function toCsv(entries: AuditEntry[]): string {
  const lines = [HEADER.join(',')];
  for (const e of entries)
    lines.push(HEADER.map((k) => csvCell(e[k], { guardFormulas: true })).join(','));
  return lines.join('\n') + '\n';
}
