/**
 * A row the normalization keeps out (a unit or a status the rules do not know) leaves its key
 * incomplete, as a refused row does: compared without it, the key showed a variance the row
 * would have explained (the WMS's 12 in cases missing from its count) under a cause it is not.
 * The finding names the row; the key is "not compared: 1 row kept out". A rounded quantity
 * stays what it was, a cause of its own.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeNotCompared } from '../../cli/render/completeness.ts';
import { reconcileFolder } from '../../server/pipeline.ts';
import { AS_OF, ERP_SOURCE, ITEMS, WMS_SOURCE, erpBin, sources, world } from './world.ts';

const cwd = process.cwd();
beforeAll(() => process.chdir(mkdtempSync(join(tmpdir(), 'tally-home-'))));
afterAll(() => process.chdir(cwd));

describe('a row kept out by the normalization', () => {
  it('leaves its key incomplete, not a variance', async () => {
    const w = world(sources(ERP_SOURCE, WMS_SOURCE), {
      'erp/items.csv': ITEMS,
      'erp/bin.csv': erpBin([
        ['SKU-1', '22'],
        ['SKU-2', '1032'],
      ]),
      'wms-east/opening.csv':
        'Item,Bin,Status,Qty,UOM,SnapshotTime\n' +
        'SKU-1,WH-EAST-A-01,AVAILABLE,10,EA,2026-11-14 18:00\n' +
        // a unit the rules do not define, and a status without a bucket
        'SKU-1,WH-EAST-A-02,AVAILABLE,1,CS,2026-11-14 18:00\n' +
        'SKU-1,WH-EAST-A-02,DAMAGED,2,CS,2026-11-14 18:00\n' +
        'SKU-2,WH-EAST-B-01,QUARANTINE,1032,EA,2026-11-14 18:00\n' +
        // nothing in a status nobody mapped: kept out, and the key stays whole
        'SKU-2,WH-EAST-B-01,INCOMING,0,EA,2026-11-14 18:00\n',
    });
    const { run } = await reconcileFolder({ rulesDir: w.rules, dataDir: w.data, asOf: AS_OF });
    expect(run.findings.map((f) => [f.code, f.sku, f.origin?.line])).toEqual([
      ['UNKNOWN_UNIT', 'SKU-1', 3],
      ['UNKNOWN_UNIT', 'SKU-1', 4],
      ['UNKNOWN_STATUS', 'SKU-2', 5],
      ['UNKNOWN_STATUS', 'SKU-2', 6],
    ]);
    // neither key is reported as a difference
    expect(run.results.filter((k) => k.outcome.type === 'exception')).toEqual([]);
    expect(run.notCompared.map(describeNotCompared)).toEqual([
      'SKU-1 @ WH-EAST (erp) not compared: 2 rows kept out (wms-east/opening.csv:3 wms-east/opening.csv:4)',
      'SKU-2 @ WH-EAST (erp) not compared: 1 row kept out (wms-east/opening.csv:5)',
    ]);
  });
});
