/**
 * The evidence thread names the other causes considered and the linked comparisons in plain
 * words; their facts for and against stay in `tally exceptions show`.
 */
import { describe, expect, it } from 'vitest';
import { evidenceBlocks } from '../../bot/views/evidence.ts';
import type { ExceptionCard } from '../../bot/card.ts';
import { keyResult } from '../storage/fixtures.ts';

describe('evidence thread', () => {
  it('names the other causes considered and the same problem elsewhere, without fact syntax', () => {
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
    expect(text).toContain('Also considered: oversell risk (not met).');
    expect(text).toContain('shop sellable: 14 where the books expect 10 (+4, oversell risk)');
    expect(text).not.toContain('netVarianceAcrossBuckets');
    expect(text).not.toContain('wanted');
  });
});
