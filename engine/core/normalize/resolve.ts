/**
 * Sku identity and units during intake: aliases from the item master and the mappings,
 * item attributes, unit specs cached per sku.
 */
import type { Item } from '../model/types.ts';
import { parseDecimal, type Decimal } from '../model/money.ts';
import type { Ruleset, UnitSpec } from '../rules/types.ts';
import { unitSpecFor } from './units.ts';
import { packConflicts, packsApply, withPacks } from './packs.ts';

export type ItemInfo = { skuClass: string; category: string; unitCost: Decimal | undefined };

const cost = (text: string | undefined) => (text === undefined ? undefined : parseDecimal(text));

export class SkuResolver {
  readonly items = new Map<string, ItemInfo>();
  private readonly aliases = new Map<string, Map<string, string>>();
  private readonly specs = new Map<string, UnitSpec>();
  /** Item master pack sizes per sku, for the items whose base unit agrees with the rules. */
  private readonly packs = new Map<string, Record<string, number>>();

  constructor(private readonly ruleset: Ruleset) {
    for (const [sku, item] of ruleset.mappings.items) {
      this.items.set(sku, {
        skuClass: item.skuClass,
        category: item.category ?? '',
        unitCost: cost(item.unitCost),
      });
    }
    for (const [source, map] of ruleset.mappings.skuAliases) {
      this.aliases.set(source, new Map(map));
    }
  }

  /** Adds or replaces an item; returns what its pack sizes and the rules disagree on. */
  addItem(item: Item): string[] {
    this.items.set(item.sku, {
      skuClass: item.skuClass,
      category: item.category ?? '',
      unitCost: cost(item.unitCost),
    });
    this.specs.delete(item.sku);
    this.packs.delete(item.sku);
    const units = this.ruleset.units;
    const rules = unitSpecFor(units, item.sku, item.skuClass);
    if (item.packs && packsApply(rules, item, units)) this.packs.set(item.sku, item.packs);
    for (const [source, alias] of Object.entries(item.aliases ?? {})) {
      let map = this.aliases.get(source);
      if (!map) this.aliases.set(source, (map = new Map()));
      map.set(alias, item.sku);
    }
    if (!item.packs) return [];
    const where = units.bySku.has(item.sku)
      ? `units skus.${item.sku}`
      : units.byClass.has(item.skuClass)
        ? `units classes.${item.skuClass}`
        : 'the units rules';
    return packConflicts(rules, item, units, where);
  }

  /** Canonical sku, or undefined when neither an alias nor a known item. */
  resolve(source: string, raw: string): string | undefined {
    const aliased = this.aliases.get(source)?.get(raw);
    if (aliased !== undefined) return aliased;
    return this.items.has(raw) ? raw : undefined;
  }

  /** Whether the source has aliases; a source without resolves a raw sku like any other. */
  hasAliases(source: string): boolean {
    return this.aliases.has(source);
  }

  /** No item master at all: skus are taken as canonical as they come. */
  get open(): boolean {
    return this.items.size === 0;
  }

  item(sku: string): ItemInfo {
    return this.items.get(sku) ?? { skuClass: '', category: '', unitCost: undefined };
  }

  unitSpec(sku: string): UnitSpec {
    let spec = this.specs.get(sku);
    if (!spec) {
      spec = unitSpecFor(this.ruleset.units, sku, this.item(sku).skuClass);
      const packs = this.packs.get(sku);
      if (packs) spec = withPacks(spec, packs, this.ruleset.units);
      this.specs.set(sku, spec);
    }
    return spec;
  }
}
