/**
 * One problem, one exception: the comparisons of one SKU × location are grouped under one
 * primary (the book before the ERP before a channel), which alone becomes a stored exception;
 * the others ride on its evidence.
 */
import { describe, expect, it } from 'vitest';
import { groupProblems } from '../../engine/core/recon/problems.ts';
import { fingerprint } from '../../engine/core/recon/fingerprint.ts';
import { planExceptions } from '../../engine/services/exceptions/plan.ts';
import type { KeyResult } from '../../engine/core/recon/types.ts';
import type { Facts } from '../../engine/core/facts.ts';
import { keyResult } from './fixtures.ts';

function result(
  source: string,
  bucket: KeyResult['bucket'],
  cause: string,
  variance: number,
  facts: Partial<Facts>,
): KeyResult {
  const r = keyResult({
    sku: 'SKU-1',
    location: 'WH-EAST',
    source,
    bucket,
    cause,
    variance,
    facts,
  });
  r.fingerprint = fingerprint(r.sku, r.location, r.bucket, source, cause);
  return r;
}

const erp = { sourceRole: 'erp', isSystemOfRecord: false } as const;
const shop = { sourceRole: 'ecommerce', isSystemOfRecord: false } as const;

describe('grouping comparisons into problems', () => {
  it('a status move mirrored by the shop is one problem, the ERP primary', () => {
    const results = [
      result('shop', 'sellable', 'OVERSELL_RISK', 4, shop),
      result('erp', 'non_sellable', 'STATUS_MISMAPPED', -4, erp),
      result('shop', 'non_sellable', 'OVERSELL_RISK', -4, shop),
      result('erp', 'sellable', 'STATUS_MISMAPPED', 4, erp),
    ];
    expect(groupProblems(results)).toBe(1);
    const primary = results.filter((r) => r.problem?.primary);
    expect(primary.map((r) => `${r.source} ${r.bucket}`)).toEqual(['erp sellable']);
    expect(new Set(results.map((r) => r.problem?.id))).toEqual(new Set([primary[0]!.fingerprint]));
    expect(primary[0]!.evidence?.linked?.map((l) => `${l.source} ${l.bucket} ${l.cause}`)).toEqual([
      'erp non_sellable STATUS_MISMAPPED',
      'shop sellable OVERSELL_RISK',
      'shop non_sellable OVERSELL_RISK',
    ]);
  });

  it('picks the same primary whatever the order of the results', () => {
    const make = () => [
      result('erp', 'sellable', 'STATUS_MISMAPPED', 4, erp),
      result('erp', 'non_sellable', 'STATUS_MISMAPPED', -4, erp),
    ];
    const a = make();
    const b = make().reverse();
    groupProblems(a);
    groupProblems(b);
    expect(a.find((r) => r.problem?.primary)?.fingerprint).toBe(
      b.find((r) => r.problem?.primary)?.fingerprint,
    );
  });

  it('stores one exception per problem; the linked comparisons are not raised on their own', () => {
    const results = [
      result('erp', 'sellable', 'STATUS_MISMAPPED', 4, erp),
      result('erp', 'non_sellable', 'STATUS_MISMAPPED', -4, erp),
    ];
    groupProblems(results);
    const plan = planExceptions(new Map(), results, 'full', '2026-11-21T23:00:00Z');
    expect(plan.fresh.map((r) => r.bucket)).toEqual(['sellable']);
  });
});
