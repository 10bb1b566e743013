/** The evidence thread shows the ranked causes with their facts and the linked comparisons. */
import { describe, expect, it } from 'vitest';
import { evidenceBlocks } from '../../bot/views/evidence.ts';
import type { ExceptionCard } from '../../bot/card.ts';
import { keyResult } from '../storage/fixtures.ts';

describe('evidence thread', () => {
  it('lists the ranked causes, facts for and against, and the same problem elsewhere', () => {
    const evidence = keyResult({
      sku: 'SKU-1',
      location: 'WH-EAST',
      cause: 'STATUS_MISMAPPED',
    }).evidence!;
    evidence.candidates = [
      {
        cause: 'STATUS_MISMAPPED',
        rule: 'status-mismapped',
        fired: true,
        for: ['netVarianceAcrossBuckets=0'],
        against: [],
      },
      {
        cause: 'OVERSELL_RISK',
        rule: 'oversell-risk',
        fired: false,
        for: [],
        against: ['sourceRole="erp" (wanted in ["ecommerce"])'],
      },
    ];
    evidence.linked = [
      {
        source: 'shop',
        bucket: 'sellable',
        cause: 'OVERSELL_RISK',
        variance: 4,
        expected: 10,
        quantity: 14,
        fingerprint: 'f',
      },
    ];
    const card = { id: 7, evidence } as unknown as ExceptionCard;
    const text = JSON.stringify(evidenceBlocks(card));
    expect(text).toContain('Ranked causes');
    expect(text).toContain(
      '1. STATUS_MISMAPPED (status-mismapped) — for: netVarianceAcrossBuckets=0',
    );
    expect(text).toContain('2. OVERSELL_RISK (oversell-risk, not met)');
    expect(text).toContain('shop sellable: 14 vs expected 10 (+4, OVERSELL_RISK)');
  });
});
