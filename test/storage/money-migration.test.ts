/**
 * Migration 012 turns the doubles that held money into integer minor units: a value stored as
 * 642.1800000000001 becomes 64218 cents, a unit value 214.06 the decimal text "214.06", and a
 * proposal repeated after the upgrade under a key made before it is still the same proposal.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { proposeCorrection } from '../../engine/services/corrections/index.ts';
import { canonicalJson, sha256Hex } from '../../engine/core/model/canonical.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { migrateLatest } from '../../engine/services/store/migrate.ts';
import { migrationSource } from '../../engine/services/store/migrations/index.ts';
import { ROLES } from '../bot/harness.ts';
import { testDatabases } from '../support/databases.ts';

const config = { migrationSource, tableName: 'tally_migrations' };
const at = '2026-11-01T00:00:00.000Z';

describe.each(testDatabases())('money migration on $name', (engine) => {
  afterEach(() => engine.close());

  it('converts values at risk and corrections to exact minor units', async () => {
    const db: Db = await engine.open({ migrate: false });
    for (let i = 0; i < 11; i++) await db.migrate.up(config); // up to 011
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
      variance: 3,
      value_at_risk: 3 * 214.06,
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
    await db('run_results').insert({
      run_id: 'r1',
      sku: 'B',
      location: 'WH1',
      bucket: 'sellable',
      source: 'erp',
      outcome: 'exception',
      code: 'X',
      variance: -2,
      value_at_risk: 2 * 119.8,
    });
    const exc = await db('exceptions').first();
    const params = {
      exceptionId: Number(exc.id),
      system: 'erp',
      sku: 'A',
      location: 'WH1',
      bucket: 'sellable',
      deltaQuantity: -3,
      rulesetVersion: 'v1',
      reasonCode: 'PHYSICAL_COUNT',
      note: '',
      unitValue: 214.06,
    };
    await db('corrections').insert({
      exception_id: exc.id,
      system: 'erp',
      sku: 'A',
      location: 'WH1',
      bucket: 'sellable',
      delta_quantity: -3,
      unit_value: 214.06,
      value: 3 * 214.06,
      reason_code: 'PHYSICAL_COUNT',
      note: '',
      proposer: 'URES',
      proposed_at: at,
      state: 'proposed',
      approvals_needed: 1,
      idempotency_key: 'before-012',
      params_hash: sha256Hex(canonicalJson(params)),
      ruleset_version: 'v1',
    });
    expect(3 * 214.06).not.toBe(642.18);

    expect(await migrateLatest(db)).toContain('012_money_minor_units');

    const after = await db('exceptions').first();
    expect(Number(after.value_at_risk_minor)).toBe(64218);
    expect(after).toMatchObject({ unit_cost: null, currency: 'USD' });
    expect(after).not.toHaveProperty('value_at_risk');
    const result = await db('run_results').first();
    expect(Number(result.value_at_risk_minor)).toBe(23960);
    const correction = await db('corrections').first();
    expect(correction).toMatchObject({ unit_cost: '214.06', currency: 'USD' });
    expect(Number(correction.value_minor)).toBe(64218);

    const again = await proposeCorrection(db, ROLES, {
      exceptionId: Number(exc.id),
      actor: { id: 'URES' },
      system: 'erp',
      deltaQuantity: -3,
      reasonCode: 'PHYSICAL_COUNT',
      unitCost: '214.06',
      idempotencyKey: 'before-012',
    });
    expect(again).toMatchObject({ created: false, correction: { valueMinor: 64218 } });
  });

  it('values a correction on a converted exception at value ÷ variance, exactly', async () => {
    const db: Db = await engine.open();
    await db('exceptions').insert({
      fingerprint: 'e'.repeat(32),
      sku: 'A',
      location: 'WH1',
      bucket: 'sellable',
      source: 'erp',
      cause: 'UNEXPLAINED_VARIANCE',
      causes: '[]',
      severity: 'medium',
      state: 'open',
      owner: 'ops',
      variance: -2,
      value_at_risk_minor: 23960,
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
    const exc = await db('exceptions').first();
    const { correction } = await proposeCorrection(db, ROLES, {
      exceptionId: Number(exc.id),
      actor: { id: 'URES' },
      system: 'erp',
      deltaQuantity: 2,
      reasonCode: 'PHYSICAL_COUNT',
    });
    expect(correction).toMatchObject({ unitCost: '119.8', valueMinor: 23960 });
  });
});
