/**
 * Write-back of approved corrections against a fake Shopify that enforces changeFromQuantity:
 * applied once, exactly once across a crash and a restart, stale sent back to people with the
 * new quantity (never forced), and an adjustment file for systems Tally cannot write to.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { shopifyConnector } from '../../connectors/shopify/index.ts';
import type { Connector } from '../../connectors/types.ts';
import { getConnector } from '../../connectors/registry.ts';
import { WritebackWorker, type WritebackOutcome } from '../../connectors/writeback/index.ts';
import { verifyAudit } from '../../engine/services/audit/verify.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { startFakeShopify, type FakeShopify } from '../fakes/shopify-server.ts';
import { item, level, LOC_MAIN, TOKEN, TOKEN_ENV } from '../connectors/shopify-support.ts';
import { testDatabases } from '../support/databases.ts';
import {
  SHOP,
  approvedCorrection,
  auditActions,
  fileSource,
  proposeAgain,
  rulesFor,
  shopSource,
} from './support.ts';

const exportDir = mkdtempSync(join(tmpdir(), 'tally-exports-'));

describe.each(testDatabases())('write-back on $name', (engine) => {
  let db: Db;
  let fake: FakeShopify;
  let recorded: WritebackOutcome[];

  beforeEach(async () => {
    process.env[TOKEN_ENV] = TOKEN;
    fake = await startFakeShopify({
      token: TOKEN,
      state: { items: [item(1, 'TEE-BLK-M', [level(LOC_MAIN, { available: 10 })])] },
    });
    db = await engine.open();
    recorded = [];
  });
  afterEach(async () => {
    await fake.close();
    await engine.close();
  });
  afterAll(() => void delete process.env[TOKEN_ENV]);

  const available = () => fake.state.items[0]!.levels[0]!.quantities.available;
  const worker = (over: Partial<ConstructorParameters<typeof WritebackWorker>[0]> = {}) =>
    new WritebackWorker({
      db,
      rules: rulesFor([shopSource(fake.endpoint), fileSource('erp', 'csv')]),
      exportDir,
      log: () => {},
      onRecorded: async (_p, o) => void recorded.push(o),
      ...over,
    });
  const correction = async (id: number) =>
    JSON.parse(
      String((await db('corrections').where({ id }).first('execution_result')).execution_result),
    );

  it('applies through Shopify once, with the compare value, in the source vocabulary', async () => {
    const c = await approvedCorrection(db, SHOP, 10, -3);
    await worker().drain();
    expect(available()).toBe(7);
    expect(fake.state.adjustments).toHaveLength(1);
    const mutation = fake.requests.find((r) => r.query.includes('inventoryAdjustQuantities'))!;
    expect(mutation.variables.input).toMatchObject({
      name: 'available',
      reason: 'cycle_count_available',
      changes: [{ delta: -3, changeFromQuantity: 10 }],
    });
    expect((await correction(c.correctionId)).writeback).toBe('applied');
    expect(recorded).toEqual([
      expect.objectContaining({ status: 'applied', source: SHOP, expectedCurrent: 10 }),
    ]);
    await worker().drain();
    expect(fake.state.adjustments).toHaveLength(1);
    expect(await auditActions(db, 'correction.writeback')).toEqual([
      'correction.writeback.applied',
    ]);
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('sends the Shopify reason the catalogue gives a damaged correction', async () => {
    await approvedCorrection(db, SHOP, 10, -2, 'DAMAGED_IN_FACILITY');
    await worker().drain();
    const mutation = fake.requests.find((r) => r.query.includes('inventoryAdjustQuantities'))!;
    expect(mutation.variables.input).toMatchObject({ reason: 'damaged' });
    expect(available()).toBe(8);
  });

  it('exports a 947 carrying the W19 code of the correction reason for a 3PL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-947-'));
    const tpl = fileSource('tpl', 'x12-3pl', { paths: ['in'], exportDir: dir });
    await approvedCorrection(db, 'tpl', 12, -5, 'DAMAGED_IN_TRANSIT');
    await worker({ rules: rulesFor([shopSource(fake.endpoint), tpl]) }).drain();
    const outcome = recorded[0] as { status: string; path: string };
    expect(outcome.status).toBe('exported');
    expect(readFileSync(outcome.path, 'utf8')).toMatch(/^W19\*AV\*-5\*EA\*\*SK\*TEE-1~$/m);
  });

  it('applies once when a worker dies after sending and a new one takes over', async () => {
    const c = await approvedCorrection(db, SHOP, 10, -3);
    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    // the first worker's call reaches Shopify, then the process "dies" before recording
    const dying: Connector = {
      ...shopifyConnector,
      writeBack: async (source, request) => {
        const result = await shopifyConnector.writeBack!(source, request);
        await held;
        return result;
      },
    };
    const first = worker({ connectorFor: () => dying, leaseMs: 50 });
    const abandoned = first.runOnce();
    for (let i = 0; i < 100 && fake.state.adjustments.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(fake.state.adjustments).toHaveLength(1);
    const row = await db('outbox').where({ kind: 'writeback' }).first();
    expect(row.state).toBe('sending');

    await new Promise((r) => setTimeout(r, 80)); // the lease runs out
    await worker({ connectorFor: getConnector, leaseMs: 50 }).drain();
    expect(fake.state.adjustments).toHaveLength(1);
    expect(available()).toBe(7);
    expect((await correction(c.correctionId)).writeback).toBe('applied');

    release(); // the old worker wakes up late: it no longer holds the claim and records nothing
    await abandoned;
    expect(await auditActions(db, 'correction.writeback')).toEqual([
      'correction.writeback.applied',
    ]);
    expect(recorded).toHaveLength(1);
  });

  it('sends a stale compare back to people with the new quantity, never forced', async () => {
    const c = await approvedCorrection(db, SHOP, 10, -3);
    fake.state.items[0]!.levels[0]!.quantities.available = 8; // a sale since the approval
    await worker().drain();
    expect(fake.state.adjustments).toHaveLength(0);
    expect(available()).toBe(8);
    expect(recorded).toEqual([
      expect.objectContaining({ status: 'stale', currentQuantity: 8, expectedCurrent: 10 }),
    ]);
    const exc = await db('exceptions').where({ id: c.exceptionId }).first();
    expect(exc.state).toBe('assigned');
    const history = await db('exception_history')
      .where({ exception_id: c.exceptionId, to_state: 'assigned' })
      .first();
    expect(history.reason).toMatch(/now holds 8 \(approved against 10\)/);
    const ledger = await db('events').where({ source: 'tally' }).orderBy('id');
    expect(ledger.map((e) => e.source_event_id)).toEqual([c.key, `${c.key}:reversal`]);
    expect(ledger[1].to_outside).toBe(ledger[0].from_outside);
    expect(ledger[1].from_location).toBe(ledger[0].to_location);
    expect(await auditActions(db, 'correction.writeback')).toEqual(['correction.writeback.stale']);

    // deciding again with the same delta is a new correction, not the stale one returned
    const again = await proposeAgain(db, c.exceptionId, SHOP, -3);
    expect(again).toMatchObject({ created: true });
    expect(again.correctionId).not.toBe(c.correctionId);
    expect(again.key).not.toBe(c.key);
    expect(await proposeAgain(db, c.exceptionId, SHOP, -3)).toEqual({ ...again, created: false });
    expect((await db('exceptions').where({ id: c.exceptionId }).first()).state).toBe(
      'correction_proposed',
    );
  });

  it('exports an adjustment file when the system of record cannot be written to', async () => {
    const c = await approvedCorrection(db, 'erp', 12, 4);
    await worker().drain();
    const outcome = recorded[0]!;
    expect(outcome.status).toBe('exported');
    const path = (outcome as { path: string }).path;
    expect(existsSync(path)).toBe(true);
    const [, line] = readFileSync(path, 'utf8').trim().split('\n');
    expect(line).toBe(
      `${c.key},erp,TEE-1,WH1,available,4,12,PHYSICAL_COUNT,tally:exception:${c.exceptionId}:correction:${c.correctionId}`,
    );
    expect((await correction(c.correctionId)).writeback).toBe('exported');
    expect((await db('exceptions').where({ id: c.exceptionId }).first()).state).toBe('applied');
  });

  it('records a permanent failure with its reason after the retries', async () => {
    const c = await approvedCorrection(db, SHOP, 10, -3);
    fake.inject({ kind: 'http401' });
    fake.inject({ kind: 'http401' });
    fake.inject({ kind: 'http401' });
    const w = worker({ maxAttempts: 3 });
    for (let i = 0; i < 3; i++) {
      await w.runOnce();
      await db('outbox').where({ kind: 'writeback' }).update({ next_attempt_at: '2000-01-01' });
    }
    expect(recorded).toEqual([expect.objectContaining({ status: 'failed', source: SHOP })]);
    expect((recorded[0] as { reason: string }).reason).toMatch(/401|access token/i);
    expect((await db('exceptions').where({ id: c.exceptionId }).first()).state).toBe('assigned');
    expect(fake.state.adjustments).toHaveLength(0);
    const again = await proposeAgain(db, c.exceptionId, SHOP, -3);
    expect(again.created).toBe(true);
    expect(again.correctionId).not.toBe(c.correctionId);
  });
});
