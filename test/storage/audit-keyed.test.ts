/**
 * The keyed chain and its anchors: an old unkeyed chain keeps verifying and new entries are
 * HMACs under TALLY_AUDIT_KEY; an edit with the later hashes recomputed (no key) is caught; cut
 * off or rewritten entries are caught against an anchor kept outside the database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.ts';
import { appendAudit, entryHash, fromRow, GENESIS_HASH } from '../../engine/services/audit/log.ts';
import { verifyAudit } from '../../engine/services/audit/verify.ts';
import { auditAnchor } from '../../engine/services/audit/anchor.ts';
import type { Db } from '../../engine/services/store/db.ts';

const KEY = 'k'.repeat(32);

async function append(db: Db, n: number, key: string | null): Promise<void> {
  const saved = process.env.TALLY_AUDIT_KEY;
  if (key) process.env.TALLY_AUDIT_KEY = key;
  else delete process.env.TALLY_AUDIT_KEY;
  try {
    for (let i = 0; i < n; i++)
      await db.transaction((trx) =>
        appendAudit(trx, {
          actor: `U${i}`,
          action: 'exception.assigned',
          entityType: 'exception',
          entityId: String(i),
          rulesetVersion: 'v1',
          after: { n: i },
        }),
      );
  } finally {
    if (saved === undefined) delete process.env.TALLY_AUDIT_KEY;
    else process.env.TALLY_AUDIT_KEY = saved;
  }
}

/** What someone with write access but no key can do: edit a row, re-chain everything after. */
async function editAndRechain(db: Db, seq: number): Promise<void> {
  await db('audit_log').where({ seq }).update({ after: '{"n":999}' });
  const rows = (await db('audit_log').orderBy('seq')).map(fromRow);
  let prev = GENESIS_HASH;
  for (const r of rows) {
    const hash = r.seq < seq ? r.hash : entryHash(prev, { ...r, scheme: 1 });
    if (r.seq >= seq)
      await db('audit_log').where({ seq: r.seq }).update({ prev_hash: prev, hash, scheme: 1 });
    prev = hash;
  }
}

describe.each(testDatabases())('keyed audit chain on $name', (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await engine.open();
  });
  afterAll(() => engine.close());

  it('keeps an unkeyed chain verifying and keys the entries written after the key is set', async () => {
    await append(db, 5, null);
    await append(db, 5, KEY);
    const schemes = (await db('audit_log').orderBy('seq')).map((r) => Number(r.scheme));
    expect(schemes).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
    expect(await verifyAudit(db, { key: KEY })).toMatchObject({
      ok: true,
      checked: 10,
      unkeyed: 5,
    });
    expect(await verifyAudit(db, { key: null })).toMatchObject({
      ok: false,
      firstBad: { seq: 6, problem: 'key_missing' },
    });
    expect(await verifyAudit(db, { key: 'x'.repeat(32) })).toMatchObject({
      ok: false,
      firstBad: { seq: 6, problem: 'hash_mismatch' },
    });
  });

  it('catches an edited keyed row whose later hashes were recomputed without the key', async () => {
    const anchor = await auditAnchor(db);
    await editAndRechain(db, 8);
    const result = await verifyAudit(db, { key: KEY });
    expect(result).toMatchObject({ ok: false, firstBad: { seq: 8, problem: 'downgraded' } });
    expect(await verifyAudit(db, { key: KEY, anchor })).toMatchObject({ ok: false });
  });

  it('catches an unkeyed chain rewritten from an edited row, against an anchor', async () => {
    await db('audit_log').delete();
    await append(db, 20, null);
    const anchor = await auditAnchor(db);
    expect(anchor).toMatch(/^20-[0-9a-f]{64}$/);
    await editAndRechain(db, 3);
    expect((await verifyAudit(db, { key: null })).ok).toBe(true); // the chain alone cannot tell
    expect(await verifyAudit(db, { key: null, anchor })).toMatchObject({
      ok: false,
      firstBad: { seq: 20, problem: 'anchor_mismatch' },
    });
  });

  it.each([1, 5, 100])('catches the newest %i entries removed, against an anchor', async (n) => {
    await db('audit_log').delete();
    await append(db, 10, KEY);
    const anchor = await auditAnchor(db);
    await db('audit_log')
      .where('seq', '>', 10 - n)
      .delete();
    expect((await verifyAudit(db, { key: KEY })).ok).toBe(true);
    expect(await verifyAudit(db, { key: KEY, anchor })).toMatchObject({
      ok: false,
      firstBad: { seq: 10, problem: 'anchor_missing' },
    });
    await append(db, 12, KEY); // refilled past the anchor: still not the anchored entry
    expect(await verifyAudit(db, { key: KEY, anchor })).toMatchObject({
      ok: false,
      firstBad: { problem: 'anchor_mismatch' },
    });
  });
});
