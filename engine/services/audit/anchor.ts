/**
 * Head checkpoints kept outside the database: `tally audit anchor` prints the newest entry as one
 * token, `<seq>-<hash>`, and the daily digest carries it into Slack. `tally audit verify
 * --anchor <token>` then fails if anything up to that entry was changed or removed.
 */
import type { Knex } from 'knex';
import { InputError } from '../../core/errors.ts';
import { GENESIS_HASH } from './log.ts';

export type Anchor = { seq: number; hash: string };

export function formatAnchor(a: Anchor): string {
  return `${a.seq}-${a.hash}`;
}

export function parseAnchor(token: string): Anchor {
  const m = /^(\d+)-([0-9a-f]{64})$/.exec(token.trim());
  if (!m)
    throw new InputError(
      'BAD_ANCHOR',
      `anchor "${token}" is not <seq>-<64 hex digits> as \`tally audit anchor\` prints it`,
    );
  return { seq: Number(m[1]), hash: m[2]! };
}

/** The current head of the chain (not verified: `verify` does that). */
export async function auditAnchor(db: Knex): Promise<string> {
  const head = (await db('audit_log').orderBy('seq', 'desc').first('seq', 'hash')) as
    { seq: number; hash: string } | undefined;
  return formatAnchor(
    head ? { seq: Number(head.seq), hash: head.hash } : { seq: 0, hash: GENESIS_HASH },
  );
}
