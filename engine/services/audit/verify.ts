/**
 * Recomputes the audit chain and names the first entry that does not fit. With an anchor (a head
 * printed earlier by `tally audit anchor` and kept outside the database) it also fails when that
 * entry is gone or different: the chain alone cannot notice its newest rows being cut off, or an
 * unkeyed chain being rewritten from an edited row on.
 */
import type { Knex } from 'knex';
import { entryHash, fromRow, GENESIS_HASH, type AuditEntry } from './log.ts';
import { auditKey } from './key.ts';
import { parseAnchor, type Anchor } from './anchor.ts';

export type AuditProblem =
  | 'sequence_gap'
  | 'hash_mismatch'
  | 'chain_broken'
  | 'key_missing'
  | 'unknown_scheme'
  | 'downgraded'
  | 'anchor_missing'
  | 'anchor_mismatch';
export type VerifyResult =
  | {
      ok: true;
      checked: number;
      headHash: string;
      /** Entries chained without a key (before TALLY_AUDIT_KEY was set, or without it). */
      unkeyed: number;
      anchor?: Anchor;
    }
  | {
      ok: false;
      checked: number;
      firstBad: { seq: number; problem: AuditProblem; message: string };
    };

export type VerifyOptions = { key?: string | null; anchor?: string };

const PAGE_ROWS = 5000;

export async function verifyAudit(db: Knex, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const key = opts.key === undefined ? auditKey() : opts.key;
  const anchor = opts.anchor === undefined ? undefined : parseAnchor(opts.anchor);
  const state = { expectedSeq: 1, prevHash: GENESIS_HASH, checked: 0, unkeyed: 0, keyed: false };
  for (let after = 0; ;) {
    const rows = (await db('audit_log')
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(PAGE_ROWS)) as Record<string, unknown>[];
    if (rows.length === 0) break;
    for (const row of rows) {
      const entry = fromRow(row);
      const problem = check(entry, state, key) ?? anchorCheck(entry, anchor);
      if (problem)
        return { ok: false, checked: state.checked, firstBad: { seq: entry.seq, ...problem } };
      state.checked += 1;
      state.expectedSeq = entry.seq + 1;
      state.prevHash = entry.hash;
      if (entry.scheme === 1) state.unkeyed += 1;
      else state.keyed = true;
    }
    after = Number(rows[rows.length - 1]!.seq);
  }
  if (anchor && anchor.seq >= state.expectedSeq)
    return {
      ok: false,
      checked: state.checked,
      firstBad: {
        seq: anchor.seq,
        problem: 'anchor_missing',
        message: `entry ${anchor.seq}, the anchored head, is gone: the log ends at entry ${state.expectedSeq - 1} (entries were removed)`,
      },
    };
  return {
    ok: true,
    checked: state.checked,
    headHash: state.prevHash,
    unkeyed: state.unkeyed,
    anchor,
  };
}

type Problem = { problem: AuditProblem; message: string };

function check(
  entry: AuditEntry,
  s: { expectedSeq: number; prevHash: string; keyed: boolean },
  key: string | null,
): Problem | null {
  if (entry.seq !== s.expectedSeq) {
    return {
      problem: 'sequence_gap',
      message: `entry ${entry.seq} follows entry ${s.expectedSeq - 1}: entries ${s.expectedSeq}..${entry.seq - 1} are missing`,
    };
  }
  if (entry.prevHash !== s.prevHash) {
    return {
      problem: 'chain_broken',
      message: `entry ${entry.seq} does not link to the hash of entry ${entry.seq - 1} (deleted, reordered or edited)`,
    };
  }
  if (entry.scheme !== 1 && entry.scheme !== 2)
    return {
      problem: 'unknown_scheme',
      message: `entry ${entry.seq} names hash scheme ${String(entry.scheme)}, which does not exist`,
    };
  if (entry.scheme === 1 && s.keyed)
    return {
      problem: 'downgraded',
      message: `entry ${entry.seq} is unkeyed after keyed entries (rewritten without the key)`,
    };
  if (entry.scheme === 2 && !key)
    return {
      problem: 'key_missing',
      message: `entry ${entry.seq} is keyed: set TALLY_AUDIT_KEY to the key it was written with to verify it`,
    };
  if (entryHash(s.prevHash, entry, key) !== entry.hash) {
    return {
      problem: 'hash_mismatch',
      message: `entry ${entry.seq} was changed after it was written (its content no longer matches its hash${entry.scheme === 2 ? ', or TALLY_AUDIT_KEY is not the key it was written with' : ''})`,
    };
  }
  return null;
}

function anchorCheck(entry: AuditEntry, anchor: Anchor | undefined): Problem | null {
  if (!anchor || entry.seq !== anchor.seq || entry.hash === anchor.hash) return null;
  return {
    problem: 'anchor_mismatch',
    message: `entry ${entry.seq} is not the one anchored: its hash differs from the anchor, so it or an entry before it was changed and the chain recomputed`,
  };
}
