/**
 * How a run applies the Tolerances rules (engine/rules resolveTolerance/isWithinTolerance): a
 * source pair is the compared source and the location's system of record, and every limit the
 * chosen entry sets must hold.
 */
import { describe, expect, it } from 'vitest';
import { createIntake, reconcile } from './index.ts';
import { buildRuleset } from '../../../test/support/engine/ruleset.ts';
import { DEMO_RULES } from '../../../test/support/engine/demo-rules.ts';
import {
  AS_OF,
  ITEMS,
  OPENING_AT,
  eastPosition,
  type EastSource,
} from '../../../test/support/engine/scenario.ts';
import type { ToleranceEntry, ToleranceSelector } from '../rules/types.ts';

type Limits = Pick<ToleranceEntry, 'absolute' | 'percent' | 'value'>;
const entry = (line: number, selector: ToleranceSelector, limits: Limits): ToleranceEntry => ({
  file: 'tolerances.yaml',
  line,
  selector,
  ...limits,
  specificity: Object.keys(selector).length,
});

/** SKU-1 (apparel, 10 per unit): opening 100 in the WMS, each source reporting its quantity. */
async function runWith(entries: ToleranceEntry[], reported: Record<EastSource, number>) {
  const ruleset = { ...buildRuleset({ items: ITEMS, rules: DEMO_RULES }), tolerances: { entries } };
  const intake = createIntake(ruleset);
  intake.opening(eastPosition('wms-east', 'SKU-1', 100, { asOf: OPENING_AT }));
  for (const [source, quantity] of Object.entries(reported))
    intake.position(eastPosition(source as EastSource, 'SKU-1', quantity));
  const run = await reconcile(intake, { asOf: AS_OF });
  return new Map(run.results.map((r) => [r.source, r]));
}

describe('tolerances in a run', () => {
  it('a source pair applies to the source compared with the system of record, not to others', async () => {
    const pair = entry(3, { sources: ['wms-east', 'shop'] }, { absolute: 2 });
    const results = await runWith([pair], { erp: 102, 'wms-east': 100, shop: 102 });
    expect([...results.keys()]).toEqual(['erp']);
    expect(results.get('erp')!.evidence!.facts.toleranceAbsolute).toBe(-1);
    expect(results.get('erp')!.evidence!.tolerance).toBeNull();
  });

  it("the system of record's own comparison is not matched by a pair naming it", async () => {
    const pair = entry(3, { sources: ['shop', 'wms-east'] }, { absolute: 2 });
    const results = await runWith([pair], { erp: 101, 'wms-east': 101, shop: 101 });
    expect(results.has('shop')).toBe(false);
    expect(results.get('wms-east')!.evidence!.tolerance).toBeNull();
    expect(results.get('wms-east')!.evidence!.facts.withinTolerance).toBe(false);
  });

  it('every limit the entry sets must hold, and the most specific entry wins', async () => {
    const entries = [
      entry(1, {}, { absolute: 10 }),
      entry(2, { skuClass: 'apparel' }, { absolute: 5, value: 20 }),
    ];
    // erp: 3 units over, 30 of value: within the absolute limit, over the value limit.
    const results = await runWith(entries, { erp: 103, 'wms-east': 100, shop: 102 });
    expect([...results.keys()]).toEqual(['erp']);
    const erp = results.get('erp')!.evidence!;
    expect(erp.facts).toMatchObject({ withinTolerance: false, toleranceAbsolute: 5 });
    expect(erp.tolerance).toEqual({
      absolute: 5,
      percent: undefined,
      value: 20,
      from: 'tolerances.yaml:2',
    });
  });
});
