/**
 * A row's sku to its canonical id, remembered per source (aliases differ between sources) so the
 * item master is asked once per distinct text; item attributes and unit specs per id. Everything
 * remembered is forgotten when an item arrives, since it may add an alias or change a unit.
 */
import type { Item } from '../model/types.ts';
import type { Interner } from '../model/intern.ts';
import type { UnitSpec } from '../rules/types.ts';
import { SkuMemo, type SourceMemo } from './memo.ts';
import type { ItemInfo, SkuResolver } from './resolve.ts';
import { SkuInfo } from './sku-info.ts';

export class SkuLookup {
  private readonly plain = new SkuMemo();
  private readonly info: SkuInfo;
  private remembered = false;

  constructor(
    private readonly resolver: SkuResolver,
    private readonly skus: Interner,
    private readonly memos: readonly SourceMemo[],
  ) {
    this.info = new SkuInfo(resolver, skus);
  }

  /** Adds an item; returns its conflicts with the rules' units (UNIT_CONFLICT messages). */
  addItem(i: Item): string[] {
    const conflicts = this.resolver.addItem(i);
    this.info.forget();
    if (this.remembered) {
      for (const m of this.memos) m.skus.forget();
      this.plain.forget();
      this.remembered = false;
    }
    return conflicts;
  }

  /** Canonical sku id; -1 when it may wait for the item master, undefined when unknown. */
  resolve(memo: SourceMemo, source: string, raw: string, mayDefer: boolean): number | undefined {
    const skus = this.resolver.hasAliases(source) ? memo.skus : this.plain;
    const known = skus.find(raw);
    if (known >= 0) return known;
    const sku = this.resolver.resolve(source, raw);
    if (sku !== undefined) {
      const id = this.skus.id(sku);
      // the canonical string when the text is the sku itself: the row's copy need not live on
      skus.remember(raw === sku ? sku : raw, id);
      this.remembered = true;
      return id;
    }
    if (mayDefer) return -1;
    return this.resolver.open ? this.skus.id(raw) : undefined;
  }

  item(sku: number): ItemInfo {
    return this.info.item(sku);
  }

  spec(sku: number): UnitSpec {
    return this.info.spec(sku);
  }
}
