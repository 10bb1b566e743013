/**
 * Pack sizes from the item master (a case-pack column, ERPNext's UOM Conversion Detail rows)
 * over the rules' unit conversions: the master converts at the sku, the rules' class and sku
 * conversions fill what it lacks. Where both name a unit with different sizes the master wins
 * and the disagreement is reported, so neither is silently wrong.
 */
import type { Item } from '../model/types.ts';
import type { UnitSpec, Units } from '../rules/types.ts';

/** The rules' unit for a source's word (EA → each), matched ignoring case. */
export function canonicalUnit(units: Units, word: string): string {
  const exact = units.aliases?.get(word);
  if (exact !== undefined) return exact;
  const lower = word.toLowerCase();
  for (const [alias, unit] of units.aliases ?? []) if (alias.toLowerCase() === lower) return unit;
  return word;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Pack units of an item other than its base unit, canonical name → size. */
function packsOf(units: Units, base: string, packs: Record<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [word, size] of Object.entries(packs)) {
    const unit = canonicalUnit(units, word);
    if (!same(unit, base) || size !== 1) out.set(unit, size);
  }
  return out;
}

/** The rules' spec with the master's pack sizes over it (and under every alias of each unit). */
export function withPacks(rules: UnitSpec, packs: Record<string, number>, units: Units): UnitSpec {
  const factors = new Map(rules.factors);
  for (const [unit, size] of packsOf(units, rules.baseUnit, packs)) {
    if (same(unit, rules.baseUnit)) continue;
    for (const name of [...factors.keys()]) if (same(name, unit)) factors.delete(name);
    factors.set(unit, size);
    for (const [alias, target] of units.aliases ?? [])
      if (target === unit) factors.set(alias, size);
  }
  return { baseUnit: rules.baseUnit, factors };
}

/** Whether the master's packs can be used with the rules' spec: same base unit. */
export function packsApply(rules: UnitSpec, item: Item, units: Units): boolean {
  if (item.baseUnit === undefined) return true;
  if (same(canonicalUnit(units, item.baseUnit), rules.baseUnit)) return true;
  for (const [name, factor] of rules.factors) if (same(name, item.baseUnit)) return factor === 1;
  return false;
}

/**
 * What the item master and the rules disagree on for one item, each as a sentence; `where`
 * names the rules entry the spec came from (units.yaml skus.X or classes.Y).
 */
export function packConflicts(rules: UnitSpec, item: Item, units: Units, where: string): string[] {
  if (!item.packs) return [];
  if (!packsApply(rules, item, units)) {
    const base = canonicalUnit(units, item.baseUnit!);
    return [
      `${item.sku}: the item master counts in ${base}, ${where} in ${rules.baseUnit}; its pack sizes are not used`,
    ];
  }
  const out: string[] = [];
  for (const [unit, size] of packsOf(units, rules.baseUnit, item.packs)) {
    if (same(unit, rules.baseUnit)) {
      out.push(`${item.sku}: the item master sizes its base unit ${unit} at ${size}, not 1`);
      continue;
    }
    let ruled: number | undefined;
    for (const [name, factor] of rules.factors) if (same(name, unit)) ruled = factor;
    if (ruled !== undefined && ruled !== size) {
      out.push(
        `${item.sku}: 1 ${unit} = ${size} ${rules.baseUnit} in the item master, ${ruled} in ${where}; the item master's is used`,
      );
    }
  }
  return out;
}
