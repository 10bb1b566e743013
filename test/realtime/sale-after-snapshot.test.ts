/**
 * #14 "one POS sale": a sale the book records after every source's snapshot, received on the
 * live path, leaves a real ERP exception open (same exception, same cause and variance) and
 * opens no exception for the book or the channel, whose snapshots predate the sale.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRulesetOrThrow } from '../../engine/core/rules/load.ts';
import type { Ruleset } from '../../engine/core/rules/types.ts';
import { createIntake, type Intake } from '../../engine/core/normalize/intake.ts';
import { reconcile } from '../../engine/core/recon/reconcile.ts';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import { ownerOf } from '../../engine/services/impact/labels.ts';
import { LiveLedger } from '../../server/live.ts';
import { AS_OF, ITEMS, baseline, eastPosition, event } from '../support/engine/scenario.ts';
import { testDatabases } from '../support/databases.ts';

const RULES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../rules');
const after = (minutes: number) => new Date(Date.parse(AS_OF) + minutes * 60_000).toISOString();
const NOW = new Date(after(60));
let ruleset: Ruleset;

beforeAll(async () => {
  ruleset = await loadRulesetOrThrow(RULES);
});

/** SKU-2 counted in cases by the ERP (1,200 for 100): a real UOM_MISMATCH. */
function unitError(intake: Intake): void {
  for (const [sku, item] of Object.entries(ITEMS)) intake.item({ sku, ...item });
  baseline(intake, ['SKU-1', 'SKU-2'], new Set(['erp:SKU-2']));
  intake.position(eastPosition('erp', 'SKU-2', 1200));
}

describe.each(testDatabases())('a sale after the snapshots on the live path ($name)', (engine) => {
  afterAll(() => engine.close());

  it('keeps the ERP unit error open and opens nothing for the book or the channel', async () => {
    const db = await engine.open();
    const intake = createIntake(ruleset);
    unitError(intake);
    const full = await reconcile(intake, { asOf: NOW.toISOString() });
    await persistRun(db, full, { owners: (k) => ownerOf(ruleset, k) });
    const open = () =>
      db('exceptions')
        .whereNot({ state: 'resolved' })
        .orderBy('id')
        .select('id', 'source', 'sku', 'bucket', 'cause', 'variance');
    const before = await open();
    expect(before.map((r) => `${r.source} ${r.sku} ${r.cause} ${Number(r.variance)}`)).toEqual([
      'erp SKU-2 UOM_MISMATCH 1100',
    ]);
    const live = new LiveLedger({
      db,
      ruleset,
      seed: unitError,
      now: () => NOW,
      notify: async () => 0,
    });
    await live.load();
    const sale = event({
      source: 'wms-east',
      type: 'shipment',
      sku: 'SKU-2',
      reference: 'SO-S-1',
      quantity: 1,
      occurredAt: after(10),
      recordedAt: after(10),
    });
    const accepted = await live.accept({ events: [sale], positions: [] });
    expect(accepted.fresh).toBe(1);
    expect(await open()).toEqual(before);
    expect(await db('exceptions').where({ state: 'resolved' })).toEqual([]);
  });
});
