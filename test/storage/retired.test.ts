/**
 * An exception the run's rules no longer compare at all (its source taken out of the rules, or
 * its location or bucket out of the source's) is resolved as retired, with the reason in its
 * history: no run will compare it again, so keeping it open would keep it forever. One the
 * rules still compare but the run could not (its source sent nothing there) stays open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import type { SourceCover } from '../../engine/core/recon/types.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { testDatabases } from '../support/databases.ts';
import { keyResult, ownerByLocation, runResult } from './fixtures.ts';

const BUCKETS = ['sellable', 'committed', 'non_sellable', 'in_transit'];
const cover = (source: string, locations: string[]): SourceCover => ({
  source,
  locations,
  buckets: BUCKETS,
});

describe.each(testDatabases())('exceptions the rules no longer compare, on $name', (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await engine.open();
  });
  afterAll(() => engine.close());

  const a = keyResult({ sku: 'SKU-A', location: 'WH1', variance: -4 });
  const b = keyResult({ sku: 'SKU-B', location: 'WH2', variance: 3 });
  const save = (runId: string, day: number, covers: SourceCover[], comparedAt: string[]) => {
    const run = runResult({
      runId,
      asOf: `2026-11-2${day}T23:00:00.000Z`,
      results: day === 1 ? [a, b] : [],
      comparedBy: comparedAt.map((location) => ({ location, source: 'erp', compared: 10 })),
    });
    run.covers = covers;
    return persistRun(db, run, { owners: ownerByLocation });
  };

  it('resolves them as retired, and keeps open what the rules still compare', async () => {
    await save('r1', 1, [cover('erp', ['WH1', 'WH2'])], ['WH1', 'WH2']);
    // the ERP no longer covers WH1 (rules changed); at WH2 it sent nothing this time
    const r2 = await save('r2', 2, [cover('erp', ['WH2'])], []);
    const [ra, rb] = [
      await db('exceptions').where({ sku: 'SKU-A' }).first(),
      await db('exceptions').where({ sku: 'SKU-B' }).first(),
    ];
    expect(r2.resolved).toEqual([ra.id]);
    expect(r2.notCompared).toEqual([rb.id]);
    expect([ra.state, rb.state]).toEqual(['resolved', 'open']);
    const history = await db('exception_history')
      .where({ exception_id: ra.id, to_state: 'resolved' })
      .first();
    expect(history.reason).toMatch(
      /^no longer compared: ruleset \S+ does not compare erp at WH1 \(sellable\)/,
    );
    const audit = await db('audit_log').where({ action: 'run.persisted', entity_id: 'r2' }).first();
    expect(JSON.parse(audit.after)).toMatchObject({ retiredByRules: 1, keptOpenNotCompared: 1 });
  });
});
