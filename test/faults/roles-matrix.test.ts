/**
 * Every role × action × place, against the expectations written out by hand below: who may
 * propose a correction, approve it (within their limit) or reject it, at a warehouse and at a
 * bin below it, directly or through a user group, and never on their own proposal. A refusal
 * must change nothing; the figure the fault suite prints is cases held / cases run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  approveCorrection,
  proposeCorrection,
  rejectCorrection,
  type Actor,
} from '../../engine/services/corrections/index.ts';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import type { Roles } from '../../engine/core/rules/types.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { rulesetWith } from '../support/engine/overlay.ts';
import { testDatabases } from '../support/databases.ts';
import { keyResult, runResult } from '../storage/fixtures.ts';

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
twoApproverThresholdValue: 100000000
grants:
  - { subject: U0VIEWER01, role: viewer, locations: [] }
  - { subject: U0RESWH101, role: resolver, locations: [WH-1] }
  - { subject: U0RESWH201, role: resolver, locations: [WH-2] }
  - { subject: U0APPSITE1, role: approver, locations: [SITE], approvalLimitValue: 500 }
  - { subject: U0APPWH201, role: approver, locations: [WH-2] }
  - { subject: S0LEADSWH1, role: approver, locations: [WH-1] }
`;

/** Who acts: a user id and the user groups Slack says they are in. */
const WHO: Record<string, Actor> = {
  viewer: { id: 'U0VIEWER01' },
  'resolver@WH-1': { id: 'U0RESWH101' },
  'resolver@WH-2': { id: 'U0RESWH201' },
  'approver@SITE ≤500': { id: 'U0APPSITE1' },
  'approver@WH-2': { id: 'U0APPWH201' },
  'lead (group approver@WH-1)': { id: 'U0LEAD0001', groups: ['S0LEADSWH1'] },
  stranger: { id: 'U0STRANGER' },
};

/** The exceptions acted on: small at the warehouse and at a bin below it, large at the warehouse. */
const PLACES = {
  'WH-1 small': { sku: 'SKU-S', location: 'WH-1', valueAtRisk: 100 },
  'bin small': { sku: 'SKU-B', location: 'WH-1-A-01', valueAtRisk: 100 },
  'WH-1 large': { sku: 'SKU-L', location: 'WH-1', valueAtRisk: 100_000 },
} as const;
type Place = keyof typeof PLACES;

const Y = true;
const N = false;
/** Expected: may propose, may approve, may reject — per actor and place. */
const EXPECTED: Record<string, Record<Place, [boolean, boolean, boolean]>> = {
  viewer: { 'WH-1 small': [N, N, N], 'bin small': [N, N, N], 'WH-1 large': [N, N, N] },
  'resolver@WH-1': { 'WH-1 small': [Y, N, N], 'bin small': [Y, N, N], 'WH-1 large': [Y, N, N] },
  'resolver@WH-2': { 'WH-1 small': [N, N, N], 'bin small': [N, N, N], 'WH-1 large': [N, N, N] },
  'approver@SITE ≤500': {
    'WH-1 small': [Y, Y, Y],
    'bin small': [Y, Y, Y],
    'WH-1 large': [Y, N, Y],
  },
  'approver@WH-2': { 'WH-1 small': [N, N, N], 'bin small': [N, N, N], 'WH-1 large': [N, N, N] },
  'lead (group approver@WH-1)': {
    'WH-1 small': [Y, Y, Y],
    'bin small': [Y, Y, Y],
    'WH-1 large': [Y, Y, Y],
  },
  stranger: { 'WH-1 small': [N, N, N], 'bin small': [N, N, N], 'WH-1 large': [N, N, N] },
};

const CASES = Object.entries(EXPECTED).flatMap(([who, places]) =>
  Object.entries(places).flatMap(([place, [propose, approve, reject]]) => [
    { who, place: place as Place, action: 'propose' as const, allowed: propose },
    { who, place: place as Place, action: 'approve' as const, allowed: approve },
    { who, place: place as Place, action: 'reject' as const, allowed: reject },
  ]),
);

let roles: Roles;
beforeAll(async () => {
  roles = (await rulesetWith({ 'mappings.yaml': MAPPINGS, 'roles.yaml': ROLES })).roles;
});

describe.each(testDatabases())('roles × actions on $name', (engine) => {
  let db: Db;
  /** One exception per case (and one more), so no case sees what another did. */
  const exceptionOf = new Map<number, number>();
  beforeAll(async () => {
    db = await engine.open();
    const results = [...CASES, { place: 'WH-1 small' as Place }].map((c, i) =>
      keyResult({ ...PLACES[c.place], sku: `SKU-${i}`, variance: -10 }),
    );
    await persistRun(
      db,
      runResult({ runId: 'matrix', asOf: '2026-11-01T00:00:00.000Z', results }),
      {
        owners: () => 'ops',
      },
    );
    for (const r of await db('exceptions').select('id', 'sku'))
      exceptionOf.set(Number(String(r.sku).slice(4)), Number(r.id));
  });
  afterAll(() => engine.close());

  const propose = (i: number, actor: Actor) =>
    proposeCorrection(db, roles, {
      exceptionId: exceptionOf.get(i)!,
      actor,
      system: 'erp',
      deltaQuantity: 10,
      reasonCode: 'PHYSICAL_COUNT',
    });
  /** Proposed by someone allowed everywhere, who never decides in these cases. */
  const PROPOSER: Actor = { id: 'U0PROPOSER', groups: ['S0LEADSWH1'] };

  const snapshot = async () =>
    JSON.stringify([
      await db('corrections').orderBy('id').select('id', 'state', 'approval_count'),
      await db('exceptions').orderBy('id').select('id', 'state'),
      Number((await db('audit_log').count({ n: '*' }))[0]!.n),
    ]);

  it.each(CASES.map((c, i) => ({ ...c, i })))(
    '$who: $action at $place → allowed $allowed',
    async ({ who, action, allowed, i }) => {
      const actor = WHO[who]!;
      const target = action === 'propose' ? undefined : (await propose(i, PROPOSER)).correction;
      const before = await snapshot();
      const attempt =
        action === 'propose'
          ? propose(i, actor)
          : action === 'approve'
            ? approveCorrection(db, roles, { correctionId: target!.id, actor })
            : rejectCorrection(db, roles, { correctionId: target!.id, actor, reason: 'matrix' });
      const outcome = await attempt.then(
        (r) => ({ ok: true as const, r }),
        (e: unknown) => ({ ok: false as const, code: (e as { code?: string }).code }),
      );
      if (allowed) {
        expect(outcome).toMatchObject({ ok: true });
        expect(await snapshot()).not.toBe(before);
      } else {
        expect(outcome.ok).toBe(false);
        expect(['NOT_RESOLVER', 'NOT_APPROVER', 'OVER_LIMIT']).toContain(
          (outcome as { code?: string }).code,
        );
        expect(await snapshot()).toBe(before);
      }
    },
  );

  it('never lets the proposer decide on their own proposal, whatever their role', async () => {
    const lead = WHO['lead (group approver@WH-1)']!;
    const own = (await propose(CASES.length, lead)).correction;
    await expect(
      approveCorrection(db, roles, { correctionId: own.id, actor: lead }),
    ).rejects.toMatchObject({ code: 'SELF_APPROVAL' });
    await expect(
      rejectCorrection(db, roles, { correctionId: own.id, actor: lead }),
    ).rejects.toMatchObject({ code: 'SELF_APPROVAL' });
  });
});
