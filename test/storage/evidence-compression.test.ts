/**
 * Migration 015: on PostgreSQL with lz4 (14+, as CI's), the evidence columns are compressed by
 * lz4, and evidence written after it reads back as written, a large one (stored compressed)
 * included; elsewhere (SQLite, a server without lz4) the migration changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEvidence } from '../../engine/core/recon/stored-evidence.ts';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import { hasLz4 } from '../../engine/services/store/migrations/015_evidence_lz4.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { testDatabases } from '../support/databases.ts';
import { keyResult, ownerByLocation, runResult } from './fixtures.ts';

describe.each(testDatabases())('evidence storage on $name', (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await engine.open();
  });
  afterAll(() => engine.close());

  it('compresses the evidence columns by lz4 where PostgreSQL has it', async () => {
    if (engine.name === 'sqlite') {
      expect(await hasLz4(db)).toBe(false);
      return;
    }
    const lz4 = await hasLz4(db);
    // CI's servers (Debian's PostgreSQL 15, the postgres:15 image) have lz4: there the lz4
    // paths of this file must run, not pass by finding no lz4
    if (process.env.TALLY_REQUIRE_PG === '1') expect(lz4).toBe(true);
    const methods = (await db.raw(
      `SELECT c.relname AS t, a.attcompression AS m FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       WHERE a.attname = 'evidence' AND c.oid IN ('exceptions'::regclass, 'exception_history'::regclass)
       ORDER BY c.relname`,
    )) as { rows: { t: string; m: string }[] };
    // 'l' is lz4; '' the server's default (pglz)
    expect(methods.rows).toEqual([
      { t: 'exception_history', m: lz4 ? 'l' : '' },
      { t: 'exceptions', m: lz4 ? 'l' : '' },
    ]);
  });

  it('reads back a large evidence as it was written', async () => {
    const result = keyResult({ sku: 'SKU-LZ4', location: 'WH-EAST' });
    const history = Array.from({ length: 60 }, (_, i) => ({ note: `event ${i} — naïve "quoted"` }));
    (result.evidence as unknown as Record<string, unknown>).history = history;
    const run = runResult({
      runId: 'run-lz4',
      asOf: '2026-11-21T23:00:00.000Z',
      results: [result],
    });
    await persistRun(db, run, { owners: ownerByLocation });
    const row = (await db('exceptions').where({ sku: 'SKU-LZ4' }).first('evidence')) as {
      evidence: string;
    };
    expect(row.evidence.length).toBeGreaterThan(2_500);
    expect(readEvidence(row.evidence).history).toEqual(history);
    if (engine.name === 'postgres' && (await hasLz4(db))) {
      const stored = (await db.raw(
        "SELECT pg_column_compression(evidence) AS m FROM exceptions WHERE sku = 'SKU-LZ4'",
      )) as { rows: { m: string | null }[] };
      expect(stored.rows[0]!.m).toBe('lz4');
    }
  });

  it("keeps lz4 on the next day's update of a large evidence", async () => {
    const large = (variance: number) => {
      const result = keyResult({ sku: 'SKU-NEXT', location: 'WH-EAST', variance });
      // ~80 KB, over PG_COPY_MIN_CHARS: the update goes by COPY through a temporary table
      const history = Array.from({ length: 3_000 }, (_, i) => ({
        note: `event ${i} of ${variance}`,
      }));
      (result.evidence as unknown as Record<string, unknown>).history = history;
      return { result, history };
    };
    const day = (d: number) => `2026-11-${20 + d}T23:00:00.000Z`;
    await persistRun(db, runResult({ runId: 'day-1', asOf: day(1), results: [large(5).result] }), {
      owners: ownerByLocation,
    });
    const next = large(6);
    await persistRun(db, runResult({ runId: 'day-2', asOf: day(2), results: [next.result] }), {
      owners: ownerByLocation,
    });
    const row = (await db('exceptions')
      .where({ sku: 'SKU-NEXT' })
      .first('evidence', 'last_run_id')) as {
      evidence: string;
      last_run_id: string;
    };
    expect(row.last_run_id).toBe('day-2');
    expect(readEvidence(row.evidence).history).toEqual(next.history);
    if (engine.name === 'postgres' && (await hasLz4(db))) {
      const stored = (await db.raw(
        "SELECT pg_column_compression(evidence) AS m FROM exceptions WHERE sku = 'SKU-NEXT'",
      )) as { rows: { m: string | null }[] };
      expect(stored.rows[0]!.m).toBe('lz4');
    }
  });
});
