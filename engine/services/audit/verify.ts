/** Recomputes the audit chain and names the first entry that does not fit. */
import type { Knex } from 'knex';
import { entryHash, fromRow, GENESIS_HASH, type AuditEntry } from './log.ts';

export type AuditProblem = 'sequence_gap' | 'hash_mismatch' | 'chain_broken';
export type VerifyResult =
  | { ok: true; checked: number; headHash: string }
  | {
      ok: false;
      checked: number;
      firstBad: { seq: number; problem: AuditProblem; message: string };
    };

const PAGE_ROWS = 5000;

export async function verifyAudit(db: Knex): Promise<VerifyResult> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (let after = 0; ;) {
    const rows = (await db('audit_log')
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(PAGE_ROWS)) as Record<string, unknown>[];
    if (rows.length === 0) break;
    for (const row of rows) {
      const entry = fromRow(row);
      const problem = check(entry, expectedSeq, prevHash);
      if (problem) return { ok: false, checked, firstBad: { seq: entry.seq, ...problem } };
      checked += 1;
      expectedSeq = entry.seq + 1;
      prevHash = entry.hash;
    }
    after = Number(rows[rows.length - 1]!.seq);
  }
  return { ok: true, checked, headHash: prevHash };
}

function check(
  entry: AuditEntry,
  expectedSeq: number,
  prevHash: string,
): { problem: AuditProblem; message: string } | null {
  if (entry.seq !== expectedSeq) {
    return {
      problem: 'sequence_gap',
      message: `entry ${entry.seq} follows entry ${expectedSeq - 1}: entries ${expectedSeq}..${entry.seq - 1} are missing`,
    };
  }
  if (entry.prevHash !== prevHash) {
    return {
      problem: 'chain_broken',
      message: `entry ${entry.seq} does not link to the hash of entry ${entry.seq - 1} (deleted, reordered or edited)`,
    };
  }
  if (entryHash(prevHash, entry) !== entry.hash) {
    return {
      problem: 'hash_mismatch',
      message: `entry ${entry.seq} was changed after it was written (its content no longer matches its hash)`,
    };
  }
  return null;
}
