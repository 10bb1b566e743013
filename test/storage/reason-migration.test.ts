/**
 * Migration 005 moves corrections from `edi947:AA`-style codes to the catalogue's own codes: the
 * reference table takes the catalogue, and a proposal repeated under the idempotency key of a
 * correction made before the migration is still the same proposal. 006 lifts the write-back
 * status into its own column.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { proposeCorrection } from '../../engine/services/corrections/index.ts';
import { REASONS } from '../../engine/core/model/reasons.ts';
import { canonicalJson, sha256Hex } from '../../engine/core/model/canonical.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { migrateLatest } from '../../engine/services/store/migrate.ts';
import { migrationSource } from '../../engine/services/store/migrations/index.ts';
import { ROLES } from '../bot/harness.ts';
import { testDatabases } from '../support/databases.ts';

const config = { migrationSource, tableName: 'tally_migrations' };

describe.each(testDatabases())('reason catalogue migration on $name', (engine) => {
  afterEach(() => engine.close());

  it('recodes corrections to catalogue codes and keeps their idempotency', async () => {
    const db: Db = await engine.open({ migrate: false });
    for (let i = 0; i < 4; i++) await db.migrate.up(config); // up to 004
    // an exception as the schema of 004 holds it (today's persistRun writes later columns)
    const at = '2026-11-01T00:00:00.000Z';
    await db('exceptions').insert({
      fingerprint: 'f'.repeat(32),
      sku: 'A',
      location: 'WH1',
      bucket: 'sellable',
      source: 'erp',
      cause: 'UNEXPLAINED_VARIANCE',
      causes: '[]',
      severity: 'medium',
      state: 'open',
      owner: 'ops',
      variance: -5,
      value_at_risk: 50,
      first_seen_at: at,
      last_seen_at: at,
      opened_at: at,
      first_run_id: 'r1',
      last_run_id: 'r1',
      recent_occurrences: '[]',
      evidence: '{}',
      ruleset_version: 'v1',
      updated_at: at,
    });
    const exc = await db('exceptions')
      .where({ fingerprint: 'f'.repeat(32) })
      .first();
    const params = {
      exceptionId: Number(exc.id),
      system: 'erp',
      sku: 'A',
      location: 'WH1',
      bucket: 'sellable',
      deltaQuantity: -5,
      rulesetVersion: exc.ruleset_version,
      reasonCode: 'edi947:AA',
      note: '',
      unitValue: 10,
    };
    const row = {
      exception_id: params.exceptionId,
      system: 'erp',
      sku: 'A',
      location: 'WH1',
      bucket: 'sellable',
      delta_quantity: -5,
      unit_value: 10,
      value: 50,
      note: '',
      proposer: 'URES',
      proposed_at: '2026-11-01T00:00:00.000Z',
      state: 'proposed',
      approvals_needed: 1,
      ruleset_version: exc.ruleset_version,
    };
    await db('corrections').insert([
      {
        ...row,
        reason_code: 'edi947:AA',
        idempotency_key: 'old-1',
        params_hash: sha256Hex(canonicalJson(params)),
      },
      {
        ...row,
        state: 'applied',
        reason_code: 'amazon:F',
        idempotency_key: 'old-2',
        params_hash: 'own-scheme',
        execution_result: JSON.stringify({ ledger: 'booked', writeback: 'stale' }),
      },
    ]);

    expect(await migrateLatest(db)).toContain('005_reason_catalogue');
    const { unitValue, ...rest } = params;
    const upgraded = { ...rest, unitCost: String(unitValue) };

    const rows = await db('corrections').orderBy('id');
    expect(rows.map((r) => [r.reason_code, r.params_hash])).toEqual([
      // 012 names the unit cost as exact decimal text in the hash
      ['PHYSICAL_COUNT', sha256Hex(canonicalJson({ ...upgraded, reasonCode: 'PHYSICAL_COUNT' }))],
      ['FOUND', 'own-scheme'],
    ]);
    // 006 lifts the write-back's answer out of the execution result
    expect(rows.map((r) => r.writeback_status)).toEqual([null, 'stale']);
    const again = await proposeCorrection(db, ROLES, {
      exceptionId: params.exceptionId,
      actor: { id: 'URES' },
      system: 'erp',
      deltaQuantity: -5,
      reasonCode: 'PHYSICAL_COUNT',
      unitCost: '10',
      idempotencyKey: 'old-1',
    });
    expect(again).toMatchObject({ created: false, correction: { id: Number(rows[0].id) } });
    const seeded = await db('correction_reasons').orderBy('code');
    expect(seeded).toHaveLength(REASONS.length);
    expect(seeded.find((r) => r.code === 'DAMAGED_IN_FACILITY')).toMatchObject({
      w19_codes: 'AU',
      amazon_codes: 'E',
      shopify_reason: 'damaged',
    });
  });
});
