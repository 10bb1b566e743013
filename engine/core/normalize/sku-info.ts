/**
 * Item attributes and unit spec per canonical sku id, for the hot paths that ask per row or per
 * difference; a Map lookup by sku text among 250,000 items cost ~0.5 µs each. Kept until the
 * item master changes.
 */
import type { Interner } from '../model/intern.ts';
import type { UnitSpec } from '../rules/types.ts';
import type { ItemInfo, SkuResolver } from './resolve.ts';

export class SkuInfo {
  private specs: (UnitSpec | undefined)[] = [];
  private items: (ItemInfo | undefined)[] = [];
  private used = false;

  constructor(
    private readonly resolver: SkuResolver,
    private readonly skus: Interner,
  ) {}

  item(sku: number): ItemInfo {
    let info = this.items[sku];
    if (info === undefined) {
      info = this.resolver.item(this.skus.value(sku));
      this.items[sku] = info;
      this.used = true;
    }
    return info;
  }

  spec(sku: number): UnitSpec {
    let spec = this.specs[sku];
    if (spec === undefined) {
      spec = this.resolver.unitSpec(this.skus.value(sku));
      this.specs[sku] = spec;
      this.used = true;
    }
    return spec;
  }

  forget(): void {
    if (!this.used) return;
    this.specs = [];
    this.items = [];
    this.used = false;
  }
}
