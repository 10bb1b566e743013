/**
 * The five ways a run used to give a wrong answer without a word (issue "Read a customer's
 * real exports as they are"), each on a small hand-written world. Every test here failed on
 * the code before the completeness rules: the run said nothing, or compared a missing row as
 * zero, or left a source out.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileFolder } from '../../server/pipeline.ts';
import { describeNotCompared } from '../../cli/render/completeness.ts';
import {
  AS_OF,
  ERP_SOURCE,
  ITEMS,
  WMS_OPENING,
  WMS_SOURCE,
  erpBin,
  sources,
  world,
} from './world.ts';

const cwd = process.cwd();
beforeAll(() => process.chdir(mkdtempSync(join(tmpdir(), 'tally-home-'))));
afterAll(() => process.chdir(cwd));

const run = async (w: { rules: string; data: string }, asOf: string | undefined = AS_OF) =>
  (await reconcileFolder({ rulesDir: w.rules, dataDir: w.data, asOf })).run;

describe('a rejected row leaves its key incomplete, never zero', () => {
  it('does not report "1,032" refused by the reader as a shortfall of 1,032', async () => {
    const w = world(sources(ERP_SOURCE, WMS_SOURCE), {
      'erp/items.csv': ITEMS,
      'erp/bin.csv': erpBin([
        ['SKU-1', '22'],
        ['SKU-2', '"1,032"'],
      ]),
      'wms-east/opening.csv': WMS_OPENING,
    });
    const r = await run(w);
    expect(r.results.filter((k) => k.sku === 'SKU-2')).toEqual([]);
    expect(r.summary.notCompared).toBe(1);
    expect(r.notCompared.map(describeNotCompared)).toEqual([
      'SKU-2 @ WH-EAST (erp) not compared: 1 rejected row (erp/bin.csv:3)',
    ]);
    // the other key of the same file is compared as usual
    expect(r.summary.comparedBy).toEqual([expect.objectContaining({ source: 'erp', compared: 1 })]);
  });
});

const WMS_POSITIONS = (location: string) => `
      - path: wms-east/bin_stock.csv
        format: csv
        kind: positions
        dateFormat: yyyy-MM-dd HH:mm
        ${location}
`;
const BIN_STOCK =
  'Item,Bin,Status,Qty,UOM,SnapshotTime\n' +
  'SKU-1,WH-EAST-A-01,AVAILABLE,10,EA,2026-11-21 18:00\n' +
  'SKU-1,WH-EAST-A-02,AVAILABLE,12,EA,2026-11-21 18:00\n' +
  'SKU-2,WH-EAST-B-01,AVAILABLE,1032,EA,2026-11-21 18:00\n';

describe('positions at several bins', () => {
  it('add up when the bins roll up to the compare level', async () => {
    const wms =
      WMS_SOURCE +
      WMS_POSITIONS(
        'columns: { sku: Item, location: Bin, status: Status, quantity: Qty, unit: UOM, asOf: SnapshotTime }',
      );
    const w = world(sources(ERP_SOURCE, wms), {
      'erp/items.csv': ITEMS,
      'erp/bin.csv': erpBin([
        ['SKU-1', '22'],
        ['SKU-2', '1032'],
      ]),
      'wms-east/opening.csv': WMS_OPENING,
      'wms-east/bin_stock.csv': BIN_STOCK,
    });
    const r = await run(w);
    expect(r.results).toEqual([]);
    expect(r.runFindings).toEqual([]);
    expect(r.summary.comparedBy?.find((c) => c.source === 'wms-east')?.matched).toBe(2);
  });

  it('read at a constant location are a finding, not "latest wins" (wms 12, expected 22)', async () => {
    const wms =
      WMS_SOURCE +
      WMS_POSITIONS(
        'columns: { sku: Item, status: Status, quantity: Qty, unit: UOM, asOf: SnapshotTime }\n        constants: { location: WH-EAST }',
      );
    const w = world(sources(ERP_SOURCE, wms), {
      'erp/items.csv': ITEMS,
      'erp/bin.csv': erpBin([
        ['SKU-1', '22'],
        ['SKU-2', '1032'],
      ]),
      'wms-east/opening.csv': WMS_OPENING,
      'wms-east/bin_stock.csv': BIN_STOCK,
    });
    const r = await run(w);
    expect(r.results.filter((k) => k.source === 'wms-east')).toEqual([]);
    expect(r.notCompared.map(describeNotCompared)).toEqual([
      'SKU-1 @ WH-EAST (wms-east) not compared: 2 repeated rows (wms-east/bin_stock.csv:2 wms-east/bin_stock.csv:3)',
    ]);
    expect(r.runFindings).toEqual([
      expect.objectContaining({
        code: 'DUPLICATE_POSITIONS',
        source: 'wms-east',
        file: 'wms-east/bin_stock.csv',
        message: expect.stringMatching(/^1 key\(s\) have two or more rows .* as the location$/),
      }),
    ]);
  });
});

const FBA_SOURCE = `
  - id: amazon-us
    connector: amazon-fba
    role: marketplace
    owner: ecommerce-ops
    timezone: UTC
    cutoff: '23:00'
    group: nightly
    systemOfRecord: [physical_movements]
    locations: [AMAZON_FBA]
    settings:
      inventoryReport: amazon/inventory.txt
      networkLocation: AMAZON_FBA
`;
const FBA_REPORT =
  'sku\tfnsku\tasin\tproduct-name\tcondition\tyour-price\tmfn-listing-exists\tmfn-fulfillable-quantity\tafn-listing-exists\tafn-warehouse-quantity\tafn-fulfillable-quantity\tafn-unsellable-quantity\tafn-reserved-quantity\tafn-total-quantity\tper-unit-volume\tafn-inbound-working-quantity\tafn-inbound-shipped-quantity\tafn-inbound-receiving-quantity\n' +
  'SKU-1\tX0001\tB0001\tTee\tNew\t9.99\tNo\t\tYes\t8\t7\t0\t1\t8\t0.1\t0\t0\t0\n' +
  'SKU-2\tX0002\tB0002\tMug\tNew\t4.99\tNo\t\tYes\t3\t3\t0\t0\t3\t0.1\t0\t0\t0\n';

describe('a snapshot dated after the as-of', () => {
  it('an FBA report dated by its file time is a run finding, not a silent absence', async () => {
    const w = world(sources(ERP_SOURCE, FBA_SOURCE), {
      'erp/items.csv': ITEMS,
      'erp/bin.csv': erpBin([['SKU-1', '22']]),
      'amazon/inventory.txt': FBA_REPORT,
    });
    const r = await run(w);
    const fba = r.inputs.find((f) => f.source === 'amazon-us')!;
    expect(fba).toMatchObject({ read: 2, accepted: 0, outsideAsOf: 2 });
    expect(r.runFindings.map((f) => [f.code, f.source, f.file])).toEqual([
      ['FILE_ALL_OUTSIDE_AS_OF', 'amazon-us', 'amazon/inventory.txt'],
      ['SOURCE_NOT_COMPARED', 'amazon-us', undefined],
    ]);
  });

  it('an ERP Bin stamped with the read time is a run finding', async () => {
    const w = world(sources(ERP_SOURCE, WMS_SOURCE), {
      'erp/items.csv': ITEMS,
      'erp/bin.csv': erpBin([['SKU-1', '22']], '2026-11-23T08:00:00Z'),
      'wms-east/opening.csv': WMS_OPENING,
    });
    const r = await run(w);
    expect(r.runFindings.map((f) => f.code)).toEqual([
      'FILE_ALL_OUTSIDE_AS_OF',
      'SOURCE_NOT_COMPARED',
    ]);
    expect(r.runFindings[1]!.message).toMatch(
      /^contributes no comparison: 3 rows read, 2 in the run/,
    );
  });
});

describe('a JSON file read with the wrong connector', () => {
  it('has every row rejected, which is a run finding naming the file', async () => {
    const erp = ERP_SOURCE.replace('connector: csv', 'connector: files').replace(
      'path: erp/bin.csv\n        format: csv',
      'path: erp/bin.json\n        format: jsonl',
    );
    const pretty = JSON.stringify(
      [{ item_code: 'SKU-1', warehouse: 'East DC - TC', actual_qty: 22 }],
      null,
      2,
    );
    const w = world(sources(erp, WMS_SOURCE), {
      'erp/items.csv': ITEMS,
      'erp/bin.json': pretty,
      'wms-east/opening.csv': WMS_OPENING,
    });
    const r = await run(w);
    const bin = r.inputs.find((f) => f.path === 'erp/bin.json')!;
    expect(bin.rejected).toBe(bin.read);
    expect(r.runFindings[0]).toMatchObject({
      code: 'FILE_ALL_REJECTED',
      source: 'erp',
      file: 'erp/bin.json',
      message: expect.stringMatching(
        /^all 7 rows were rejected, the first \(line 1\): not valid JSON: .+ \(the file looks like one JSON document, .* not JSON Lines: export one record a line\) \(every reason in .*\.tally\/rejects\//,
      ),
    });
  });
});
