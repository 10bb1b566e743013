/** Most specific tolerance wins; ties go to the first listed; every set limit must hold. */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isWithinTolerance, resolveTolerance } from './tolerance.ts';
import { rulesetWith } from '../../../test/support/engine/overlay.ts';
import type { Tolerances } from './types.ts';

const TOLERANCES = `apiVersion: tally/v1
kind: Tolerances
tolerances:
  - { name: default, absolute: 0 }
  - { name: beverage, match: { skuClass: beverage }, absolute: 5 }
  - { name: sellable, match: { bucket: sellable }, percent: 2 }
  - { name: beverage-wh1, match: { skuClass: beverage, location: WH-1 }, absolute: 10 }
  - { name: pair, match: { sources: [wms, erp] }, value: 100 }
  - { name: pair-sellable, match: { sources: [erp, wms], bucket: sellable }, absolute: 3, value: 50 }
  - { name: sellable-wh1, match: { bucket: sellable, location: WH-1 }, absolute: 7 }
  - { name: sku-7, match: { sku: SKU-7 }, absolute: 1 }
  - { name: apparel-wh1, match: { skuClass: apparel, location: WH-1, bucket: committed }, combine: larger, absolute: 2, percent: 1 }
`;
const UNITS = `apiVersion: tally/v1
kind: Units
defaultBaseUnit: each
classes: { beverage: { baseUnit: each }, apparel: { baseUnit: each } }
`;

const SOURCES = `apiVersion: tally/v1
kind: Sources
sources:
  - { id: wms, connector: csv, role: wms, owner: ops, timezone: UTC, cutoff: '23:00',
      systemOfRecord: [physical_movements], locations: [WH-1], group: nightly }
  - { id: erp, connector: csv, role: erp, owner: ops, timezone: UTC, cutoff: '23:00',
      systemOfRecord: [financial_postings], locations: [WH-1], group: nightly }
`;
const STATUS = `apiVersion: tally/v1
kind: StatusMap
statusMaps: { wms: { AVAILABLE: sellable }, erp: { Unrestricted: sellable } }
`;
const MAPPINGS = `apiVersion: tally/v1
kind: Mappings
compareLevel: warehouse
locations:
  - { id: WH-1, level: warehouse, type: own_warehouse }
  - { id: WH-2, level: warehouse, type: own_warehouse }
`;

let t: Tolerances;
beforeAll(async () => {
  t = (
    await rulesetWith({
      'tolerances.yaml': TOLERANCES,
      'units.yaml': UNITS,
      'sources.yaml': SOURCES,
      'status-maps.yaml': STATUS,
      'mappings.yaml': MAPPINGS,
    })
  ).tolerances;
});
const pick = (
  skuClass: string,
  location: string,
  bucket: string,
  sources: [string, string],
  sku = 'SKU-1',
) => resolveTolerance(t, { sku, skuClass, location, bucket: bucket as 'sellable', sources })?.line;
const lineOf = (name: string) =>
  TOLERANCES.split('\n').findIndex((l) => l.includes(`name: ${name},`)) + 1;

describe('resolveTolerance', () => {
  it('uses the entry without a selector when nothing more specific applies', () => {
    expect(pick('apparel', 'WH-2', 'committed', ['wms', 'shop'])).toBe(lineOf('default'));
  });

  it('prefers an entry setting more selector fields', () => {
    expect(pick('beverage', 'WH-2', 'committed', ['wms', 'shop'])).toBe(lineOf('beverage'));
    expect(pick('beverage', 'WH-1', 'committed', ['wms', 'shop'])).toBe(lineOf('beverage-wh1'));
  });

  it('breaks a tie by the order listed', () => {
    // beverage and sellable both set one field: beverage is listed first
    expect(pick('beverage', 'WH-2', 'sellable', ['wms', 'shop'])).toBe(lineOf('beverage'));
    // beverage-wh1 and sellable-wh1 both set two: beverage-wh1 is listed first
    expect(pick('beverage', 'WH-1', 'sellable', ['wms', 'shop'])).toBe(lineOf('beverage-wh1'));
  });

  it('matches a source pair in either order', () => {
    expect(pick('apparel', 'WH-2', 'committed', ['erp', 'wms'])).toBe(lineOf('pair'));
    expect(pick('apparel', 'WH-2', 'sellable', ['wms', 'erp'])).toBe(lineOf('pair-sellable'));
  });

  it('an entry naming the SKU beats every entry that does not, however many fields they set', () => {
    expect(pick('beverage', 'WH-1', 'sellable', ['erp', 'wms'], 'SKU-7')).toBe(lineOf('sku-7'));
    expect(pick('beverage', 'WH-1', 'sellable', ['erp', 'wms'], 'SKU-8')).toBe(
      lineOf('beverage-wh1'),
    );
  });

  it('returns null when no entry applies', () => {
    expect(
      resolveTolerance(
        { entries: [] },
        { skuClass: 'a', location: 'b', bucket: 'sellable', sources: ['x', 'y'] },
      ),
    ).toBeNull();
  });
});

describe('isWithinTolerance', () => {
  it('holds only when every limit the entry sets holds', () => {
    const entry = t.entries.find((e) => e.line === lineOf('pair-sellable'))!;
    expect(isWithinTolerance(entry, { absVariance: 3, variancePct: 90, valueAtRisk: 50 })).toBe(
      true,
    );
    expect(isWithinTolerance(entry, { absVariance: 4, variancePct: 0, valueAtRisk: 0 })).toBe(
      false,
    );
    expect(isWithinTolerance(entry, { absVariance: 1, variancePct: 0, valueAtRisk: 51 })).toBe(
      false,
    );
  });

  it('ignores limits the entry does not set', () => {
    const percentOnly = t.entries.find((e) => e.line === lineOf('sellable'))!;
    expect(
      isWithinTolerance(percentOnly, { absVariance: 1000, variancePct: 2, valueAtRisk: 1e6 }),
    ).toBe(true);
    expect(
      isWithinTolerance(percentOnly, { absVariance: 1, variancePct: 2.5, valueAtRisk: 0 }),
    ).toBe(false);
  });

  it('without an entry only no difference is within', () => {
    expect(isWithinTolerance(null, { absVariance: 0, variancePct: 0, valueAtRisk: 0 })).toBe(true);
    expect(isWithinTolerance(null, { absVariance: 1, variancePct: 1, valueAtRisk: 1 })).toBe(false);
  });
});

describe('combine', () => {
  const entryOf = (combine?: 'larger' | 'smaller') => ({
    ...(combine ? { combine } : {}),
    file: 'x',
    line: 1,
    selector: {},
    absolute: 2,
    percent: 1,
    specificity: 0,
  });

  it('larger: "2 units or 1 %, whichever is larger" holds when either limit does', () => {
    const larger = t.entries.find((e) => e.line === lineOf('apparel-wh1'))!;
    expect(pick('apparel', 'WH-1', 'committed', ['wms', 'shop'])).toBe(larger.line);
    expect(larger.combine).toBe('larger');
    // 5 of 1,000 expected: 5 units but 0.5 % → within; 2 of 10: 20 % but 2 units → within
    expect(isWithinTolerance(larger, { absVariance: 5, variancePct: 0.5, valueAtRisk: 0 })).toBe(
      true,
    );
    expect(isWithinTolerance(larger, { absVariance: 2, variancePct: 20, valueAtRisk: 0 })).toBe(
      true,
    );
    expect(isWithinTolerance(larger, { absVariance: 3, variancePct: 1.5, valueAtRisk: 0 })).toBe(
      false,
    );
  });

  it('larger is either limit, smaller (the default) is both, for any variance', () => {
    fc.assert(
      fc.property(fc.nat(50), fc.double({ min: 0, max: 10, noNaN: true }), (abs, pct) => {
        const m = { absVariance: abs, variancePct: pct, valueAtRisk: 0 };
        expect(isWithinTolerance(entryOf('larger'), m)).toBe(abs <= 2 || pct <= 1);
        expect(isWithinTolerance(entryOf('smaller'), m)).toBe(abs <= 2 && pct <= 1);
        expect(isWithinTolerance(entryOf(), m)).toBe(abs <= 2 && pct <= 1);
      }),
    );
  });

  it('a value limit holds whatever combine says', () => {
    const capped = { ...entryOf('larger'), value: 10 };
    expect(isWithinTolerance(capped, { absVariance: 1, variancePct: 0, valueAtRisk: 11 })).toBe(
      false,
    );
  });
});
