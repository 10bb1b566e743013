import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.ts';
import { appendAuditBatch, type AuditInput } from '../../engine/services/audit/log.ts';
import { verifyAudit } from '../../engine/services/audit/verify.ts';
import { exportAudit } from '../../engine/services/audit/export.ts';
import type { Db } from '../../engine/services/store/db.ts';

const ROWS = 10_000;

describe.each(testDatabases())('audit chain on $name', (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await engine.open();
    const entries: AuditInput[] = Array.from({ length: ROWS }, (_, i) => ({
      actor: `U${i % 7}`,
      action: 'exception.transition',
      entityType: 'exception',
      entityId: String(i),
      rulesetVersion: 'abc123',
      before: { state: 'open' },
      after: { state: 'assigned', n: i },
      at: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(),
    }));
    await db.transaction((trx) => appendAuditBatch(trx, entries));
  });
  afterAll(() => engine.close());

  // Any row but the last: a deleted tail leaves no trace inside the chain itself.
  const randomSeq = () => 2 + Math.floor(Math.random() * (ROWS - 3));

  it('verifies an untouched chain', async () => {
    expect(await verifyAudit(db)).toMatchObject({ ok: true, checked: ROWS });
  });

  it('names an edited row', async () => {
    const seq = randomSeq();
    const row = await db('audit_log').where({ seq }).first();
    await db('audit_log').where({ seq }).update({ after: '{"state":"resolved"}' });
    expect(await verifyAudit(db)).toMatchObject({
      ok: false,
      firstBad: { seq, problem: 'hash_mismatch' },
    });
    await db('audit_log').where({ seq }).update({ after: row.after });
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('names the row after a deleted one', async () => {
    const seq = randomSeq();
    const row = await db('audit_log').where({ seq }).first();
    await db('audit_log').where({ seq }).delete();
    expect(await verifyAudit(db)).toMatchObject({
      ok: false,
      firstBad: { seq: seq + 1, problem: 'sequence_gap' },
    });
    await db('audit_log').insert(row);
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('names the first of two swapped rows', async () => {
    const seq = randomSeq();
    const [a, b] = await db('audit_log')
      .whereIn('seq', [seq, seq + 1])
      .orderBy('seq');
    const { seq: _sa, ...restA } = a;
    const { seq: _sb, ...restB } = b;
    await db.transaction(async (trx) => {
      await trx('audit_log').where({ seq }).update(restB);
      await trx('audit_log')
        .where({ seq: seq + 1 })
        .update(restA);
    });
    expect(await verifyAudit(db)).toMatchObject({
      ok: false,
      firstBad: { seq, problem: 'chain_broken' },
    });
  });

  it('exports a period as CSV and JSON', async () => {
    const opts = { from: '2026-11-01T00:10:00.000Z', to: '2026-11-01T00:19:00.000Z' };
    const json = JSON.parse(await exportAudit(db, { ...opts, format: 'json' }));
    expect(json).toHaveLength(10);
    expect(json[0]).toMatchObject({ seq: 11, actor: 'U3', entityId: '10' });
    const csv = (await exportAudit(db, { ...opts, format: 'csv' })).trim().split('\n');
    expect(csv).toHaveLength(11);
    expect(csv[0]).toBe(
      'seq,at,actor,action,entityType,entityId,rulesetVersion,before,after,prevHash,hash,scheme',
    );
    expect(csv[1]).toContain('"{""n"":10,""state"":""assigned""}"');
  });
});
