/**
 * Corrections with roles loaded from YAML: a grant on a location covers everything below it
 * (site → warehouse → zone → bin) and nothing above or beside it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.ts';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import { approveCorrection, proposeCorrection } from '../../engine/services/corrections/index.ts';
import { rulesetWith } from '../support/engine/overlay.ts';
import type { Roles } from '../../engine/core/rules/types.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { keyResult, runResult } from './fixtures.ts';

const MAPPINGS = `apiVersion: tally/v1
kind: Mappings
compareLevel: warehouse
locations:
  - { id: SITE, level: site, type: site }
  - { id: WH-1, level: warehouse, parent: SITE, type: own_warehouse }
  - { id: WH-2, level: warehouse, parent: SITE, type: own_warehouse }
  - { id: WH-1-A, level: zone, parent: WH-1, type: zone }
  - { id: WH-1-A-01, level: bin, parent: WH-1-A, type: bin }
locationCodes:
  wms: { W1: WH-1 }
`;
const ROLES = `apiVersion: tally/v1
kind: Roles
twoApproverThresholdValue: 100000
grants:
  - { subject: U0RESOLVE1, role: resolver, locations: [SITE] }
  - { subject: U0SITEAPP1, role: approver, locations: [SITE], approvalLimitValue: 500 }
  - { subject: U0WH2APP01, role: approver, locations: [WH-2] }
  - { subject: U0ZONEAPP1, role: approver, locations: [WH-1-A] }
  - { subject: S0LEADS001, role: approver, locations: [WH-1] }
`;

let roles: Roles;
beforeAll(async () => {
  roles = (await rulesetWith({ 'mappings.yaml': MAPPINGS, 'roles.yaml': ROLES })).roles;
});

describe.each(testDatabases())('correction roles down the location tree on $name', (engine) => {
  let db: Db;
  const idAt = new Map<string, number>();
  beforeAll(async () => {
    db = await engine.open();
    // One exception per sku: at the warehouse WH-1 (variance 10, value 100) and at a bin of it.
    const results = [
      keyResult({ sku: 'SKU-W', location: 'WH-1', variance: -10, valueAtRisk: 100 }),
      keyResult({ sku: 'SKU-B', location: 'WH-1-A-01', variance: -10, valueAtRisk: 100 }),
      keyResult({ sku: 'SKU-BIG', location: 'WH-1', variance: -100, valueAtRisk: 1000 }),
    ];
    await persistRun(db, runResult({ runId: 'tree1', asOf: '2026-11-01T00:00:00.000Z', results }), {
      owners: () => 'ops',
    });
    for (const r of await db('exceptions').select('id', 'sku')) idAt.set(r.sku, Number(r.id));
  });
  afterAll(() => engine.close());

  const propose = (sku: string, delta: number, actor = 'U0RESOLVE1') =>
    proposeCorrection(db, roles, {
      exceptionId: idAt.get(sku)!,
      actor: { id: actor },
      system: 'erp',
      deltaQuantity: delta,
      reasonCode: 'PHYSICAL_COUNT',
    });
  const approve = (id: number, actor: string, groups?: string[]) =>
    approveCorrection(db, roles, { correctionId: id, actor: { id: actor, groups } });

  it('a resolver on the site proposes at a warehouse and at a bin below it', async () => {
    await expect(propose('SKU-W', 10, 'U0ZONEAPP1')).rejects.toMatchObject({
      code: 'NOT_RESOLVER',
    });
    expect((await propose('SKU-W', 10)).created).toBe(true);
    expect((await propose('SKU-B', 10)).created).toBe(true);
  });

  it('an approver on the site approves at the warehouse, within the limit', async () => {
    const { correction } = await propose('SKU-W', 10);
    await expect(approve(correction.id, 'U0WH2APP01')).rejects.toMatchObject({
      code: 'NOT_APPROVER',
    });
    // A grant on a zone does not cover the warehouse above it.
    await expect(approve(correction.id, 'U0ZONEAPP1')).rejects.toMatchObject({
      code: 'NOT_APPROVER',
    });
    expect((await approve(correction.id, 'U0SITEAPP1')).status).toBe('approved');
  });

  it('the site limit still holds at a descendant', async () => {
    const { correction } = await propose('SKU-BIG', 100); // value 1000 > 500
    await expect(approve(correction.id, 'U0SITEAPP1')).rejects.toMatchObject({
      code: 'OVER_LIMIT',
    });
    expect((await approve(correction.id, 'U0LEAD0042', ['S0LEADS001'])).status).toBe('approved');
  });

  it('a zone approver and a warehouse group approve at a bin three levels below the site', async () => {
    const { correction } = await propose('SKU-B', 10);
    await expect(approve(correction.id, 'U0WH2APP01')).rejects.toMatchObject({
      code: 'NOT_APPROVER',
    });
    expect((await approve(correction.id, 'U0ZONEAPP1')).status).toBe('approved');
    expect(roles.grants.find((g) => g.subject === 'S0LEADS001')!.locations).toContain('WH-1-A-01');
  });
});
