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

/**
 * Words and costs an item master repeats (a class, a category, a price) are kept once: 1M items
 * otherwise hold 1M copies of "apparel", each a fresh string from the parser.
 */
class Repeats {
  private static readonly MAX = 4096;
  private readonly words = new Map<string, string>();
  private readonly costs = new Map<string, Decimal | undefined>();

  word(text: string): string {
    const known = this.words.get(text);
    if (known !== undefined) return known;
    if (this.words.size < Repeats.MAX) this.words.set(text, text);
    return text;
  }

  /** Decimals are never changed once parsed, so one serves every item of that price. */
  cost(text: string | undefined): Decimal | undefined {
    if (text === undefined) return undefined;
    if (this.costs.has(text)) return this.costs.get(text);
    const cost = parseDecimal(text);
    if (this.costs.size < Repeats.MAX) this.costs.set(text, cost);
    return cost;
  }
}

export class SkuResolver {
  readonly items = new Map<string, ItemInfo>();
  private readonly aliases = new Map<string, Map<string, string>>();
  private readonly specs = new Map<string, UnitSpec>();
  /** Item master pack sizes per sku, for the items whose base unit agrees with the rules. */
  private readonly packs = new Map<string, Record<string, number>>();
  private readonly repeats = new Repeats();

  constructor(private readonly ruleset: Ruleset) {
    for (const [sku, item] of ruleset.mappings.items) {
      this.items.set(sku, {
        skuClass: item.skuClass,
        category: item.category ?? '',
        unitCost: this.repeats.cost(item.unitCost),
      });
    }
    for (const [source, map] of ruleset.mappings.skuAliases) {
      this.aliases.set(source, new Map(map));
    }
  }

  /** Adds or replaces an item; returns what its pack sizes and the rules disagree on. */
  addItem(item: Item): string[] {
    const repeats = this.repeats;
    this.items.set(item.sku, {
      skuClass: repeats.word(item.skuClass),
      category: repeats.word(item.category ?? ''),
      unitCost: repeats.cost(item.unitCost),
    });
    this.specs.delete(item.sku);
    this.packs.delete(item.sku);
    if (item.aliases) {
      for (const source in item.aliases) {
        let map = this.aliases.get(source);
        if (!map) this.aliases.set(source, (map = new Map()));
        map.set(item.aliases[source]!, item.sku);
      }
    }
    if (!item.packs) return [];
    const units = this.ruleset.units;
    const rules = unitSpecFor(units, item.sku, item.skuClass);
    if (packsApply(rules, item, units)) this.packs.set(item.sku, item.packs);
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
