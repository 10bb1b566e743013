/** Unit of measure → factor to the item's base unit. */
import type { UnitSpec, Units } from '../rules/types.ts';

export function unitSpecFor(units: Units, sku: string, skuClass: string): UnitSpec {
  return units.bySku.get(sku) ?? units.byClass.get(skuClass) ?? defaultSpec(units);
}

const bareDefaults = new WeakMap<Units, UnitSpec>();

/** The loader compiles the default spec with the unit aliases; hand-built Units get a bare one. */
function defaultSpec(units: Units): UnitSpec {
  if (units.defaultSpec) return units.defaultSpec;
  let spec = bareDefaults.get(units);
  if (!spec) {
    spec = { baseUnit: units.defaultBaseUnit, factors: new Map() };
    bareDefaults.set(units, spec);
  }
  return spec;
}

/** Factor of `unit` in `spec`; undefined when the unit is unknown for this item. */
export function factorOf(spec: UnitSpec, unit: string | undefined): number | undefined {
  if (unit === undefined || unit === '' || unit === spec.baseUnit) return 1;
  const exact = spec.factors.get(unit);
  if (exact !== undefined) return exact;
  const lower = unit.toLowerCase();
  if (lower === spec.baseUnit.toLowerCase()) return 1;
  for (const [name, factor] of spec.factors) if (name.toLowerCase() === lower) return factor;
  return undefined;
}

/** quantity × factor as whole base units, or undefined when it does not land on a whole unit. */
export function toBaseUnits(quantity: number, factor: number): number | undefined {
  const value = quantity * factor;
  const whole = Math.round(value);
  return Math.abs(value - whole) < 1e-9 ? whole : undefined;
}

const packFactorsBySpec = new WeakMap<UnitSpec, readonly number[]>();

/**
 * Factors (> 1) of the pack sizes of an item: the multiples a unit error would show. Asked
 * once per difference; specs are shared per class and never change, so the answer is kept.
 */
export function packFactors(spec: UnitSpec): readonly number[] {
  let factors = packFactorsBySpec.get(spec);
  if (factors === undefined) {
    const out = new Set<number>();
    for (const f of spec.factors.values()) if (f > 1 && Number.isInteger(f)) out.add(f);
    factors = [...out];
    packFactorsBySpec.set(spec, factors);
  }
  return factors;
}

/**
 * The last (spec, unit) → factor, kept because rows of one file almost always repeat the unit
 * and sku class of the row before (the intake's hot path).
 */
export class FactorCache {
  private spec: UnitSpec | undefined;
  private unit: string | undefined;
  private factor: number | undefined;

  of(spec: UnitSpec, unit: string | undefined): number | undefined {
    if (spec !== this.spec || unit !== this.unit) {
      this.factor = factorOf(spec, unit);
      this.spec = spec;
      this.unit = unit;
    }
    return this.factor;
  }
}
