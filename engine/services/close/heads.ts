/**
 * The audit heads recorded at each close, checked against the log: `tally audit verify` fails
 * when a closed period's head is gone or different (the chain was cut, or rewritten from an
 * edited row on), which the chain alone cannot show.
 */
import type { Knex } from 'knex';

export type CloseHead = {
  period: string;
  seq: number;
  ok: boolean;
  message: string;
};

export async function checkCloseHeads(db: Knex): Promise<CloseHead[]> {
  const periods = (await db('close_periods')
    .orderBy('period')
    .select('period', 'audit_head_seq', 'audit_head_hash')) as {
    period: string;
    audit_head_seq: number | string;
    audit_head_hash: string;
  }[];
  const out: CloseHead[] = [];
  for (const p of periods) {
    const seq = Number(p.audit_head_seq);
    const row = (await db('audit_log').where({ seq }).first('hash')) as
      { hash: string } | undefined;
    const ok = row?.hash === p.audit_head_hash;
    out.push({
      period: p.period,
      seq,
      ok,
      message: ok
        ? `the head at the close of ${p.period} (entry ${seq}) is intact`
        : row
          ? `entry ${seq}, the head at the close of ${p.period}, is not the one recorded: it or an entry before it was changed and the chain recomputed`
          : `entry ${seq}, the head at the close of ${p.period}, is gone (entries were removed)`,
    });
  }
  return out;
}
