/**
 * Which applied corrections still count as adjustments. A correction whose write-back came back
 * stale or failed had its ledger entry reversed (recordWritebackResult), so KPIs and digests
 * must not count it as stock adjusted, although its state stays `applied` for the record.
 */
import type { Knex } from 'knex';

export const REVERSED_WRITEBACK_STATUSES = ['stale', 'failed'] as const;

/** Restricts a query over `corrections as <alias>` to applied corrections still in force. */
export function whereInForce(query: Knex.QueryBuilder, alias = 'c'): Knex.QueryBuilder {
  return query
    .where(`${alias}.state`, 'applied')
    .andWhere((q) =>
      q
        .whereNull(`${alias}.writeback_status`)
        .orWhereNotIn(`${alias}.writeback_status`, [...REVERSED_WRITEBACK_STATUSES]),
    );
}
