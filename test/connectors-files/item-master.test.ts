/**
 * Item master files: aliases and constants, and pack sizes as a column per unit or as one pack
 * per row (ERPNext's UOM Conversion Detail).
 */
import { describe, expect, it } from 'vitest';
import { mapping, readOne } from './helpers.ts';

describe('item master pack sizes', () => {
  it('reads a case-pack column per unit (pack:<unit>)', async () => {
    const items = mapping({
      path: 'erp/items.csv',
      kind: 'items',
      columns: {
        sku: 'item_code',
        skuClass: 'item_group',
        'pack:case': 'custom_case_pack',
        'pack:inner': 'custom_inner_pack',
      },
    });
    const content = [
      'item_code,item_group,custom_case_pack,custom_inner_pack',
      'HP-1001,Homeware,12,4',
      'HP-1002,Candles,24,',
      'HP-1003,Apparel,,',
      'HP-1004,Apparel,0,',
    ].join('\n');
    const { sink } = await readOne(items, content);
    expect(sink.items.map((i) => [i.sku, i.packs])).toEqual([
      ['HP-1001', { case: 12, inner: 4 }],
      ['HP-1002', { case: 24 }],
      ['HP-1003', undefined],
    ]);
    expect(sink.rejects).toMatchObject([
      { line: 5, reason: "pack:case (column custom_case_pack): '0' is not a positive pack size" },
    ]);
  });

  it('reads one pack per row (packUnit, packFactor); a row without an item continues the one above', async () => {
    const items = mapping({
      path: 'erp/Item.csv',
      kind: 'items',
      columns: {
        sku: 'Item Code',
        skuClass: 'Item Group',
        baseUnit: 'Default Unit of Measure',
        packUnit: 'UOM (UOMs)',
        packFactor: 'Conversion Factor (UOMs)',
      },
    });
    const content = [
      '"Item Code","Item Group","Default Unit of Measure","UOM (UOMs)","Conversion Factor (UOMs)"',
      '"HP-1001","Homeware","Nos","Nos",1.0',
      '"","","","Box",12.0',
      '"HP-1001","Homeware","Nos","Inner",4.0',
      '"HP-1002","Candles","Nos","",""',
      '"","","","Box",""',
    ].join('\n');
    const { sink } = await readOne(items, content);
    const last = new Map(sink.items.map((i) => [i.sku, i]));
    expect(last.get('HP-1001')).toMatchObject({
      packs: { Nos: 1, Box: 12, Inner: 4 },
      origin: { file: 'erp/Item.csv', line: 4 },
    });
    expect(last.get('HP-1002')!.packs).toBeUndefined();
    expect(sink.rejects).toMatchObject([
      { line: 6, reason: 'missing packFactor (column Conversion Factor (UOMs))' },
    ]);
  });
});

describe('item master', () => {
  it('reads items with aliases and fills fields from constants', async () => {
    const items = mapping({
      path: 'erp/items.csv',
      kind: 'items',
      columns: {
        sku: 'item_code',
        skuClass: 'item_group',
        unitCost: 'valuation_rate',
        'alias:shop': 'shopify_inventory_item_id',
      },
      constants: { baseUnit: 'each', category: 'general' },
    });
    const content = [
      'item_code,item_name,item_group,valuation_rate,shopify_inventory_item_id',
      'SKU-00042,Cola,beverage,1.25,gid://shopify/InventoryItem/1000042',
      'SKU-00043,Tee,apparel,,',
      'SKU-00044,Bad,apparel,-1,',
      'SKU-00045,Soda,beverage,214.060000,',
      'SKU-00046,Bad,apparel,$12.50,',
      'SKU-00047,Bad,apparel,1.2e3,',
    ].join('\n');
    const { sink } = await readOne(items, content);
    expect(sink.items).toEqual([
      {
        sku: 'SKU-00042',
        skuClass: 'beverage',
        category: 'general',
        baseUnit: 'each',
        unitCost: '1.25',
        aliases: { shop: 'gid://shopify/InventoryItem/1000042' },
        source: 'wms-east',
        origin: { file: 'erp/items.csv', line: 2 },
      },
      {
        sku: 'SKU-00043',
        skuClass: 'apparel',
        category: 'general',
        baseUnit: 'each',
        unitCost: undefined,
        aliases: undefined,
        source: 'wms-east',
        origin: { file: 'erp/items.csv', line: 3 },
      },
      {
        sku: 'SKU-00045',
        skuClass: 'beverage',
        category: 'general',
        baseUnit: 'each',
        // exact decimal text, never a float: 3 × 214.06 is 642.18 downstream
        unitCost: '214.06',
        aliases: undefined,
        source: 'wms-east',
        origin: { file: 'erp/items.csv', line: 5 },
      },
    ]);
    expect(sink.rejects).toMatchObject([
      { line: 4, reason: "unitCost (column valuation_rate): '-1' is negative" },
      { line: 6, reason: "unitCost (column valuation_rate): '$12.50' is not a number" },
      { line: 7, reason: "unitCost (column valuation_rate): '1.2e3' is not a number" },
    ]);
  });
});
