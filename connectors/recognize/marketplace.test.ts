import { describe, expect, it } from 'vitest';
import { emptyPlan, addCode } from './plan.ts';
import { proposeMarketplacePairing } from './marketplace.ts';
import type { Sighting } from './types.ts';

/** An ERP and Amazon, with the ERP's Amazon warehouse mapped to AMAZON-US. */
function planWith(amazon: Sighting[]) {
  const plan = emptyPlan('America/Chicago');
  plan.sources.push(
    {
      id: 'erp',
      connector: 'erpnext',
      role: 'erp',
      systemOfRecord: [],
      locations: new Set(),
      notes: [],
    },
    {
      id: 'amazon',
      connector: 'amazon-fba',
      role: 'marketplace',
      systemOfRecord: ['physical_movements'],
      locations: new Set(['AMAZON-US']),
      notes: [],
    },
  );
  addCode(plan, 'erp', 'Amazon FBA - AC', 'AMAZON-US');
  plan.pending.marketplace.push(...amazon);
  return plan;
}

const sale = (system: string, reference: string, sku: string, at: string, extra = {}) => ({
  system,
  reference,
  sku,
  quantity: -2,
  at,
  ...extra,
});
const onAmazon = (ref: string, sku: string, day: string) =>
  sale('amazon', ref, sku, `${day} 00:00`, { dateOnly: true, location: 'AMAZON-US' });
const inErp = (ref: string, sku: string, at: string) =>
  sale('erp', ref, sku, at, { place: 'Amazon FBA - AC' });

describe('proposeMarketplacePairing', () => {
  it('pairs by proximity where references differ, with a lag measured on the pairs', () => {
    const plan = planWith([
      onAmazon('113-1', 'A', '2026-11-18'),
      onAmazon('113-2', 'B', '2026-11-18'),
    ]);
    // 06:00 in Chicago is 12:00 UTC: 36 h and 30 h after Amazon's days (00:00 UTC)
    proposeMarketplacePairing(plan, [
      inErp('SINV-1', 'A', '2026-11-19 06:00'),
      inErp('SINV-2', 'B', '2026-11-19 00:00'),
      inErp('SINV-3', 'C', '2026-11-19 00:00'), // no Amazon movement of C
    ]);
    expect(plan.crosswalks).toEqual([
      { sources: ['amazon', 'erp'], proximity: true, notes: expect.any(Array) },
    ]);
    expect(plan.crosswalks[0]!.notes.join(' ')).toContain('2 of 2 amazon movements');
    expect(plan.postingLags).toEqual([
      expect.objectContaining({ from: 'amazon', to: 'erp', minutes: 36 * 60 }),
    ]);
  });

  it('proposes nothing where the two share references', () => {
    const plan = planWith([onAmazon('PO-7', 'A', '2026-11-18')]);
    proposeMarketplacePairing(plan, [inErp('PO-7', 'A', '2026-11-19 06:00')]);
    expect(plan.crosswalks).toEqual([]);
    expect(plan.postingLags).toEqual([]);
  });

  it('asks for the lag when nothing pairs within a week', () => {
    const plan = planWith([onAmazon('113-1', 'A', '2026-11-01')]);
    proposeMarketplacePairing(plan, [inErp('SINV-1', 'A', '2026-11-19 06:00')]);
    expect(plan.crosswalks).toHaveLength(1);
    expect(plan.postingLags).toEqual([]);
    expect(plan.report.decide.join('\n')).toContain('set postingLag amazon → erp');
  });
});
