/**
 * Sku identity and units during intake: aliases from the item master and the mappings,
 * item attributes, unit specs cached per sku.
 */
import type { Item } from '../model/types.ts';
import { parseDecimal, type Decimal } from '../model/money.ts';
import type { Ruleset, UnitSpec } from '../rules/types.ts';
import { StringTable } from './string-table.ts';
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

/** Texts → values in a StringTable: a Map of 250k fresh strings costs ~0.5 µs a set. */
class TextMap<V> {
  private readonly table = new StringTable();
  private readonly values: (V | undefined)[] = [];

  get size(): number {
    return this.table.size;
  }

  get(key: string): V | undefined {
    const id = this.table.find(key);
    return id < 0 ? undefined : this.values[id];
  }

  /** The key numbered `id`. */
  keyOf(id: number): string {
    return this.table.keys[id]!;
  }

  /** The key's number (in order of arrival), -1 when absent. */
  idOf(key: string): number {
    return this.table.find(key);
  }

  /** Sets the key's value; returns its number. */
  set(key: string, value: V): number {
    const id = this.table.add(key);
    this.values[id] = value;
    return id;
  }
}

export class SkuResolver {
  private readonly items = new TextMap<ItemInfo>();
  /** Per source, its aliases to canonical skus. */
  private readonly aliases = new Map<string, TextMap<string>>();
  /** Unit specs of item skus, by the item's number in `items` (undefined: to work out). */
  private readonly specs: (UnitSpec | undefined)[] = [];
  /** Unit specs of skus that are not items (an open item master, an unknown sku). */
  private readonly otherSpecs = new Map<string, UnitSpec>();
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
      const aliases = new TextMap<string>();
      for (const [alias, sku] of map) aliases.set(alias, sku);
      this.aliases.set(source, aliases);
    }
  }

  /** Adds or replaces an item; returns what its pack sizes and the rules disagree on. */
  addItem(item: Item): string[] {
    const repeats = this.repeats;
    const id = this.items.set(item.sku, {
      skuClass: repeats.word(item.skuClass),
      category: repeats.word(item.category ?? ''),
      unitCost: repeats.cost(item.unitCost),
    });
    this.specs[id] = undefined;
    if (this.otherSpecs.size) this.otherSpecs.delete(item.sku);
    if (this.packs.size) this.packs.delete(item.sku);
    if (item.aliases) {
      for (const source in item.aliases) {
        let map = this.aliases.get(source);
        if (!map) this.aliases.set(source, (map = new TextMap()));
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
    // the item master's own string, not the row's copy: one string per sku for the whole run
    const id = this.items.idOf(raw);
    return id >= 0 ? this.items.keyOf(id) : undefined;
  }

  /**
   * Why an unknown sku may be an item after all, as a spreadsheet mangles codes on the way:
   * `4.00638E+12` (a long number in scientific notation, its digits lost), `12345678905` where
   * the item is `012345678905` (leading zeros dropped), `1234.0`, or another case. Undefined
   * when nothing says so. Asked only for a sku that resolves to nothing.
   */
  unknownHint(raw: string): string | undefined {
    if (/^\d+(?:[.,]\d+)?E\+?\d+$/i.test(raw))
      return 'it reads as a number written in scientific notation (Excel does so with a long numeric code), its digits lost: export the column as text';
    const found = (sku: string) => this.items.idOf(sku) >= 0;
    const digits = /^(\d+)(?:[.,]0+)?$/.exec(raw)?.[1];
    if (digits !== undefined) {
      for (let zeros = '0'; zeros.length <= 6; zeros += '0')
        if (found(zeros + digits))
          return `the item master has "${zeros + digits}": its leading zeros were dropped (a spreadsheet read the code as a number): export the column as text, or map it (skuAliases)`;
      if (digits !== raw && found(digits))
        return `the item master has "${digits}": the code was written as a number with decimals`;
    }
    for (const other of [raw.toUpperCase(), raw.toLowerCase()])
      if (other !== raw && found(other))
        return `the item master has "${other}": only the case differs (skus are compared exactly; map it with skuAliases)`;
    return undefined;
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
    const id = this.items.idOf(sku);
    let spec = id >= 0 ? this.specs[id] : this.otherSpecs.get(sku);
    if (!spec) {
      spec = unitSpecFor(this.ruleset.units, sku, this.item(sku).skuClass);
      const packs = this.packs.get(sku);
      if (packs) spec = withPacks(spec, packs, this.ruleset.units);
      if (id >= 0) this.specs[id] = spec;
      else this.otherSpecs.set(sku, spec);
    }
    return spec;
  }
}
