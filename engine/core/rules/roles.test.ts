import { beforeAll, describe, expect, it } from 'vitest';
import { approvalLimit, approversNeeded, grantsFor, hasRole } from './roles.ts';
import { rulesetWith } from '../../../test/support/engine/overlay.ts';
import type { Roles } from './types.ts';

const MAPPINGS = `apiVersion: tally/v1
kind: Mappings
compareLevel: warehouse
locations:
  - { id: SITE, level: site, type: site }
  - { id: WH-1, level: warehouse, parent: SITE, type: own_warehouse }
  - { id: WH-2, level: warehouse, parent: SITE, type: store }
  - { id: WH-1-A, level: zone, parent: WH-1, type: zone }
`;
const ROLES = `apiVersion: tally/v1
kind: Roles
twoApproverThresholdValue: 1000
grants:
  - { subject: S0OPSTEAM1, role: resolver, locations: [WH-1] }
  - { subject: U0ALICE001, role: approver, locations: [WH-1], approvalLimitValue: 200 }
  - { subject: U0ALICE001, role: approver, locations: [SITE], approvalLimitValue: 50 }
  - { subject: U0BOSS0001, role: approver }
  - { subject: U0VIEWER01, role: viewer }
`;

let roles: Roles;
beforeAll(async () => {
  roles = (await rulesetWith({ 'mappings.yaml': MAPPINGS, 'roles.yaml': ROLES })).roles;
});

describe('roles', () => {
  it('grants through a user group, only at its locations and below', () => {
    expect(hasRole(roles, 'U0CAROL001', ['S0OPSTEAM1'], 'WH-1', 'resolver')).toBe(true);
    expect(hasRole(roles, 'U0CAROL001', ['S0OPSTEAM1'], 'WH-1-A', 'resolver')).toBe(true);
    expect(hasRole(roles, 'U0CAROL001', ['S0OPSTEAM1'], 'WH-2', 'resolver')).toBe(false);
    expect(hasRole(roles, 'U0CAROL001', [], 'WH-1', 'viewer')).toBe(false);
  });

  it('a higher role includes the lower ones, not the other way', () => {
    expect(hasRole(roles, 'U0BOSS0001', [], 'WH-2', 'viewer')).toBe(true);
    expect(hasRole(roles, 'U0VIEWER01', [], 'WH-2', 'viewer')).toBe(true);
    expect(hasRole(roles, 'U0VIEWER01', [], 'WH-2', 'resolver')).toBe(false);
  });

  it('a user id never matches a group grant', () => {
    expect(grantsFor(roles, 'S0OPSTEAM1', [], 'WH-1')).toEqual([]);
  });

  it('approval limit: the highest applicable, Infinity without a limit, null for non-approvers', () => {
    expect(approvalLimit(roles, 'U0ALICE001', [], 'WH-1')).toBe(200);
    expect(approvalLimit(roles, 'U0ALICE001', [], 'WH-2')).toBe(50);
    expect(approvalLimit(roles, 'U0BOSS0001', [], 'WH-2')).toBe(Infinity);
    expect(approvalLimit(roles, 'U0VIEWER01', [], 'WH-2')).toBeNull();
  });

  it('needs two approvers above the threshold', () => {
    // values in minor units (cents): the threshold 1000 is 100000 cents
    expect(approversNeeded(roles, 100000)).toBe(1);
    expect(approversNeeded(roles, 100001)).toBe(2);
  });
});
