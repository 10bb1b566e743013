/**
 * A small world for the completeness tests, written by hand (not by the demo generator): an ERP
 * (ERPNext-style item master and Bin positions as CSV) and a bin-level WMS at WH-EAST whose
 * opening snapshot is the ledger's baseline. The bundled rules are copied and their Sources
 * replaced, so each test states only the sources it needs.
 */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const AS_OF = '2026-11-21T23:00:00Z';
const RULES = new URL('../../rules', import.meta.url).pathname;

export type World = { root: string; data: string; rules: string };

export function world(sourcesYaml: string, files: Record<string, string>): World {
  const root = mkdtempSync(join(tmpdir(), 'tally-complete-'));
  const data = join(root, 'data');
  const rules = join(root, 'rules');
  cpSync(RULES, rules, { recursive: true, filter: (p) => !p.includes('/tests') });
  writeFileSync(join(rules, 'sources.yaml'), sourcesYaml);
  // the optional sources' lines stay only when the source is declared
  const absent = OPTIONAL.filter((id) => !sourcesYaml.includes(`id: ${id}\n`));
  for (const [name, text] of Object.entries(RULE_FILES)) {
    const lines = text
      .split('\n')
      .filter((l) => !absent.some((id) => l.trim().startsWith(`${id}:`)));
    writeFileSync(join(rules, name), lines.join('\n'));
  }
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(data, path)), { recursive: true });
    writeFileSync(join(data, path), text);
  }
  return { root, data, rules };
}

const OPTIONAL = ['shop', 'amazon-us', 'wms-east'];

/** The rule files that name sources, cut down to the ERP, the WMS and the shop. */
const RULE_FILES: Record<string, string> = {
  'mappings.yaml': `apiVersion: tally/v1
kind: Mappings
compareLevel: warehouse
locations:
  - { id: NA, level: site, type: site }
  - { id: WH-EAST, level: warehouse, parent: NA, type: own_warehouse }
  - { id: WH-EAST-A, level: zone, parent: WH-EAST, type: zone }
  - { id: WH-EAST-B, level: zone, parent: WH-EAST, type: zone }
  - { id: WH-WEST, level: warehouse, parent: NA, type: 3pl_warehouse }
  - { id: STORE-NYC, level: warehouse, parent: NA, type: store }
  - { id: STORE-SF, level: warehouse, parent: NA, type: store }
  - { id: AMAZON_FBA, level: warehouse, parent: NA, type: marketplace }
locationRanges:
  - { prefix: WH-EAST-A-, from: 1, to: 9, digits: 2, level: bin, parent: WH-EAST-A, type: bin }
  - { prefix: WH-EAST-B-, from: 1, to: 9, digits: 2, level: bin, parent: WH-EAST-B, type: bin }
locationCodes:
  erp: { East DC - TC: WH-EAST }
  shop: { gid://shopify/Location/1: WH-EAST }
skuAliases: {}
`,
  'status-maps.yaml': `apiVersion: tally/v1
kind: StatusMap
statusMaps:
  erp: { Unrestricted: sellable, Reserved: committed, Blocked: non_sellable }
  wms-east: { AVAILABLE: sellable, ALLOCATED: committed, DAMAGED: non_sellable }
  shop: { available: sellable, committed: committed, damaged: non_sellable, on_hand: ignore }
  amazon-us: { afn-fulfillable-quantity: sellable, afn-reserved-quantity: committed, afn-unsellable-quantity: non_sellable, afn-warehouse-quantity: ignore, afn-total-quantity: ignore, afn-inbound-working-quantity: in_transit, afn-inbound-shipped-quantity: in_transit, afn-inbound-receiving-quantity: in_transit }
`,
  'timing-windows.yaml': `apiVersion: tally/v1
kind: TimingWindows
inTransit: { defaultHours: 72, windows: [] }
postingLag: { defaultMinutes: 60, pairs: [] }
`,
  'tolerances.yaml': `apiVersion: tally/v1
kind: Tolerances
tolerances:
  - { name: default-exact, absolute: 0 }
`,
};

export const ERP_SOURCE = `
  - id: erp
    connector: csv
    role: erp
    owner: finance-ops
    timezone: UTC
    cutoff: '23:00'
    group: nightly
    systemOfRecord: [item_master, financial_postings]
    locations: [WH-EAST]
    files:
      - path: erp/items.csv
        format: csv
        kind: items
        columns: { sku: item_code, skuClass: item_group, baseUnit: stock_uom, unitCost: valuation_rate }
      - path: erp/bin.csv
        format: csv
        kind: positions
        columns: { sku: item_code, location: warehouse, status: stock_status, quantity: actual_qty, unit: stock_uom, asOf: as_of }
`;

export const WMS_SOURCE = `
  - id: wms-east
    connector: csv
    role: wms
    owner: east-ops
    timezone: America/New_York
    cutoff: '23:00'
    group: nightly
    systemOfRecord: [physical_movements]
    locations: [WH-EAST]
    files:
      - path: wms-east/opening.csv
        format: csv
        kind: opening
        dateFormat: yyyy-MM-dd HH:mm
        columns: { sku: Item, location: Bin, status: Status, quantity: Qty, unit: UOM, asOf: SnapshotTime }
`;

export function sources(...entries: string[]): string {
  return `apiVersion: tally/v1\nkind: Sources\nschedules:\n  - { group: nightly, cron: '30 23 * * *', timezone: UTC }\nsources:${entries.join('')}`;
}

export const ITEMS =
  'item_code,item_group,stock_uom,valuation_rate\nSKU-1,apparel,Each,0.97\nSKU-2,apparel,Each,2.50\n';

/** The WMS opening: SKU-1 in two bins (22 in all), SKU-2 in one. */
export const WMS_OPENING =
  'Item,Bin,Status,Qty,UOM,SnapshotTime\n' +
  'SKU-1,WH-EAST-A-01,AVAILABLE,10,EA,2026-11-14 18:00\n' +
  'SKU-1,WH-EAST-A-02,AVAILABLE,12,EA,2026-11-14 18:00\n' +
  'SKU-2,WH-EAST-B-01,AVAILABLE,1032,EA,2026-11-14 18:00\n';

export function erpBin(rows: [string, string][], asOf = '2026-11-21T22:00:00Z'): string {
  const lines = rows.map(([sku, qty]) => `${sku},East DC - TC,Unrestricted,${qty},Each,${asOf}`);
  return `item_code,warehouse,stock_status,actual_qty,stock_uom,as_of\n${lines.join('\n')}\n`;
}
