import { describe, expect, it } from 'vitest';
import { createIntake } from './intake.ts';
import { buildRuleset } from '../../../test/support/engine/ruleset.ts';
import type { RawPosition } from '../model/types.ts';

const T = '2026-11-21T23:00:00Z';
const at = (line: number) => ({ file: 'erp/Item.csv', line });

function pos(over: Partial<RawPosition>): RawPosition {
  return {
    source: 'erp',
    sku: 'SKU-1',
    location: 'East DC - TC',
    status: 'Unrestricted',
    quantity: 1,
    asOf: T,
    ...over,
  };
}

function quantities(intake: ReturnType<typeof createIntake>): string[] {
  const t = intake.positions;
  const out: string[] = [];
  for (let i = 0; i < t.length; i++) out.push(`${intake.skus.value(t.sku.get(i))} ${t.qty.get(i)}`);
  return out;
}

describe('pack sizes from the item master', () => {
  it('converts at the sku, by any alias of the unit, where the rules have no conversion', () => {
    const intake = createIntake(buildRuleset({}));
    intake.item({
      sku: 'SKU-1',
      skuClass: 'apparel',
      baseUnit: 'Nos',
      packs: { Nos: 1, Case: 10, inner: 5 },
    });
    intake.item({ sku: 'SKU-2', skuClass: 'apparel', packs: { case: 4 } });
    intake.position(pos({ unit: 'CS', quantity: 2 }));
    intake.position(pos({ unit: 'Inner', quantity: 3, status: 'Reserved' }));
    intake.position(pos({ sku: 'SKU-2', unit: 'case', quantity: 3 }));
    intake.flush();
    expect(quantities(intake)).toEqual(['SKU-1 20', 'SKU-1 15', 'SKU-2 12']);
    expect(intake.findings).toEqual([]);
  });

  it("wins over the rules' conversion and reports the conflict with the item's row", () => {
    const intake = createIntake(buildRuleset({}));
    // the rules' beverage class packs a case of 12 and a pack of 6
    intake.item({
      sku: 'SKU-2',
      skuClass: 'beverage',
      packs: { case: 24, pack: 6 },
      source: 'erp',
      origin: at(7),
    });
    intake.position(pos({ sku: 'SKU-2', unit: 'Case', quantity: 1 }));
    intake.position(pos({ sku: 'SKU-2', unit: 'pack', quantity: 1, status: 'Reserved' }));
    intake.flush();
    expect(quantities(intake)).toEqual(['SKU-2 24', 'SKU-2 6']);
    expect(intake.findings).toEqual([
      {
        code: 'UNIT_CONFLICT',
        source: 'erp',
        sku: 'SKU-2',
        origin: at(7),
        message:
          "SKU-2: 1 case = 24 each in the item master, 12 in units classes.beverage; the item master's is used",
      },
    ]);
    // the rows themselves are kept: a conflict is reported, not a reason to drop anything
    expect(intake.fates.counts(intake.files.id('erp/Item.csv'))).toMatchObject({ keptOut: 0 });
  });

  it('leaves the rules in force for what the master lacks', () => {
    const intake = createIntake(buildRuleset({}));
    intake.item({ sku: 'SKU-2', skuClass: 'beverage', packs: { inner: 3 } });
    intake.position(pos({ sku: 'SKU-2', unit: 'case', quantity: 2 }));
    intake.position(pos({ sku: 'SKU-2', unit: 'inner', quantity: 2, status: 'Reserved' }));
    intake.flush();
    expect(quantities(intake)).toEqual(['SKU-2 24', 'SKU-2 6']);
  });

  it('does not use packs counted in another base unit, and says so', () => {
    const intake = createIntake(buildRuleset({}));
    intake.item({
      sku: 'SKU-1',
      skuClass: 'apparel',
      baseUnit: 'Box',
      packs: { Box: 1, Pallet: 40 },
      origin: at(3),
    });
    intake.position(pos({ unit: 'Pallet', quantity: 1 }));
    intake.flush();
    expect(intake.findings.map((f) => [f.code, f.message])).toEqual([
      [
        'UNIT_CONFLICT',
        'SKU-1: the item master counts in Box, units classes.apparel in each; its pack sizes are not used',
      ],
      ['UNKNOWN_UNIT', 'unit "Pallet" is not defined for SKU-1'],
    ]);
  });

  it('follows the item master as it is re-read: a pack it drops is gone', () => {
    const intake = createIntake(buildRuleset({}));
    intake.item({ sku: 'SKU-1', skuClass: 'apparel', packs: { case: 10 } });
    intake.position(pos({ unit: 'case', quantity: 1 }));
    intake.item({ sku: 'SKU-1', skuClass: 'apparel' });
    intake.position(pos({ unit: 'case', quantity: 1, status: 'Reserved' }));
    intake.flush();
    expect(quantities(intake)).toEqual(['SKU-1 10']);
    expect(intake.findings.map((f) => f.code)).toEqual(['UNKNOWN_UNIT']);
  });
});
