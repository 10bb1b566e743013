import { describe, expect, it } from 'vitest';
import { loadRulesetOrThrow } from '../../core/rules/load.ts';
import { ownerOf } from './labels.ts';

const rulesDir = new URL('../../../rules', import.meta.url).pathname;

describe('ownerOf', () => {
  const shrinkage = (skuClass: string) => ({
    sku: 'SKU-00001',
    location: 'STORE-NYC',
    bucket: 'sellable',
    source: 'pos',
    outcome: {
      type: 'exception' as const,
      severity: 'high' as const,
      rootCause: 'UNRECORDED_SHRINKAGE',
    },
    causes: ['UNRECORDED_SHRINKAGE'],
    evidence: { facts: { skuClass, category: '' } },
  });

  it('routes on the sku class from the evidence, as the Owners tree declares', async () => {
    const ruleset = await loadRulesetOrThrow(rulesDir);
    expect(ownerOf(ruleset, shrinkage('electronics'))).toBe('loss-prevention');
    expect(ownerOf(ruleset, shrinkage('apparel'))).toBe('store-ops');
  });

  it('routes by the first ranked cause of an exception', async () => {
    const ruleset = await loadRulesetOrThrow(rulesDir);
    const erp = { ...shrinkage('apparel'), source: 'erp', location: 'WH-EAST' };
    const posting = { ...erp, causes: ['MISSING_POSTING', 'UNRECORDED_SHRINKAGE'] };
    expect(ownerOf(ruleset, erp)).toBe('east-ops');
    expect(ownerOf(ruleset, posting)).toBe('finance-ops');
  });
});
