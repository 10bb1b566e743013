/**
 * Every row read is accounted for: read = accepted + rejected + outsideAsOf + keptOut +
 * duplicate, per file, and the rejects go under the Tally home, never into the data folder.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileFolder } from '../../server/pipeline.ts';
import type { InputFile } from '../../engine/core/recon/types.ts';
import { AS_OF, ERP_SOURCE, ITEMS, WMS_OPENING, erpBin, sources, world } from './world.ts';

const WMS_WITH_EVENTS = `
  - id: wms-east
    connector: csv
    role: wms
    owner: east-ops
    timezone: UTC
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
      - path: wms-east/transactions.csv
        format: csv
        kind: events
        columns: { sourceEventId: TxnId, type: TxnType, sku: Item, location: Bin, toStatus: ToStatus, quantity: Qty, unit: UOM, occurredAt: TxnTime }
        typeMap: { RECEIVE: receipt }
`;

const TRANSACTIONS =
  'TxnId,TxnType,Item,Bin,ToStatus,Qty,UOM,TxnTime\n' +
  'T1,RECEIVE,SKU-1,WH-EAST-A-01,AVAILABLE,5,EA,2026-11-20T10:00:00Z\n' +
  'T1,RECEIVE,SKU-1,WH-EAST-A-01,AVAILABLE,5,EA,2026-11-20T10:00:00Z\n' + // the same event again
  'T2,RECEIVE,SKU-1,WH-EAST-A-01,AVAILABLE,5,EA,2026-11-22T10:00:00Z\n' + // after the as-of
  'T3,RECEIVE,SKU-1,WH-EAST-A-01,LIMBO,5,EA,2026-11-20T11:00:00Z\n' + // a status with no bucket
  'T4,RECEIVE,SKU-1,WH-EAST-A-01,AVAILABLE,five,EA,2026-11-20T12:00:00Z\n'; // rejected

const cwd = process.cwd();
let home: string;
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'tally-home-'));
  process.chdir(home);
});
afterAll(() => process.chdir(cwd));

function balanced(f: InputFile): boolean {
  return f.read === f.accepted + f.rejected + f.outsideAsOf + f.keptOut + f.duplicate;
}

describe('the run accounts for every row it read', () => {
  it('names each row once: accepted, rejected, after the as-of, kept out or a repeated event', async () => {
    const w = world(sources(ERP_SOURCE, WMS_WITH_EVENTS), {
      'erp/items.csv': ITEMS,
      'erp/bin.csv': erpBin([
        ['SKU-1', '27'],
        ['SKU-2', '1032'],
      ]),
      'wms-east/opening.csv': WMS_OPENING,
      'wms-east/transactions.csv': TRANSACTIONS,
    });
    const { run } = await reconcileFolder({ rulesDir: w.rules, dataDir: w.data, asOf: AS_OF });
    const txn = run.inputs.find((f) => f.path === 'wms-east/transactions.csv')!;
    expect(txn).toMatchObject({
      source: 'wms-east',
      read: 5,
      accepted: 1,
      rejected: 1,
      outsideAsOf: 1,
      keptOut: 1,
      duplicate: 1,
    });
    for (const f of run.inputs) expect(balanced(f), f.path).toBe(true);
    expect(run.inputs.map((f) => f.path).sort()).toEqual([
      'erp/bin.csv',
      'erp/items.csv',
      'wms-east/opening.csv',
      'wms-east/transactions.csv',
    ]);
  });

  it('writes the rejects under .tally/rejects/<run>/, not into the data folder', async () => {
    const w = world(sources(ERP_SOURCE, WMS_WITH_EVENTS), {
      'erp/items.csv': ITEMS,
      'erp/bin.csv': erpBin([['SKU-1', '27']]),
      'wms-east/opening.csv': WMS_OPENING,
      'wms-east/transactions.csv': TRANSACTIONS,
    });
    const { run } = await reconcileFolder({ rulesDir: w.rules, dataDir: w.data, asOf: AS_OF });
    const txn = run.inputs.find((f) => f.path === 'wms-east/transactions.csv')!;
    const expected = join('.tally', 'rejects', run.runId, 'wms-east');
    expect(txn.rejectsPath).toContain(`${sep}${expected}${sep}`);
    expect(txn.rejectsPath!.startsWith(w.data)).toBe(false);
    expect(existsSync(txn.rejectsPath!)).toBe(true);
    expect(existsSync(join(w.data, 'rejects'))).toBe(false);
  });

  it('keeps the rejects of two files of one name apart (east/…, west/… in one source)', async () => {
    // the ERP's positions in two exports of the same name, one per folder, each with a bad row;
    // the second's rejects file used to replace the first's
    const twoBins = ERP_SOURCE.replace(
      `      - path: erp/bin.csv
        format: csv
        kind: positions
        columns: { sku: item_code, location: warehouse, status: stock_status, quantity: actual_qty, unit: stock_uom, asOf: as_of }`,
      ['east', 'west']
        .map(
          (side) => `      - path: erp/${side}/bin.csv
        format: csv
        kind: positions
        columns: { sku: item_code, location: warehouse, status: stock_status, quantity: actual_qty, unit: stock_uom, asOf: as_of }`,
        )
        .join('\n'),
    );
    expect(twoBins).toContain('erp/west/bin.csv');
    const w = world(sources(twoBins, WMS_WITH_EVENTS), {
      'erp/items.csv': ITEMS,
      'erp/east/bin.csv': erpBin([
        ['SKU-1', '27'],
        ['SKU-1', 'lots'],
      ]),
      'erp/west/bin.csv': erpBin([
        ['SKU-2', '1032'],
        ['SKU-2', 'many'],
      ]),
      'wms-east/opening.csv': WMS_OPENING,
      'wms-east/transactions.csv': TRANSACTIONS,
    });
    const { run } = await reconcileFolder({ rulesDir: w.rules, dataDir: w.data, asOf: AS_OF });
    const east = run.inputs.find((f) => f.path === 'erp/east/bin.csv')!;
    const west = run.inputs.find((f) => f.path === 'erp/west/bin.csv')!;
    expect([east.rejected, west.rejected]).toEqual([1, 1]);
    expect(east.rejectsPath).not.toBe(west.rejectsPath);
    expect(east.rejectsPath).toMatch(/erp[/\\]erp[/\\]east[/\\]bin\.csv\.rejects\.jsonl$/);
    const rows = (path: string) =>
      readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { file: string; line: number });
    expect(rows(east.rejectsPath!).map((r) => [r.file, r.line])).toEqual([['erp/east/bin.csv', 3]]);
    expect(rows(west.rejectsPath!).map((r) => [r.file, r.line])).toEqual([['erp/west/bin.csv', 3]]);
  });

  it('keeps the rejects of one file read as opening and as positions apart', async () => {
    // the WMS's snapshot export holds the opening quantity and today's; a bad cell in each
    // column: the positions read's rejects file used to replace the opening read's
    const opening = `      - path: wms-east/opening.csv
        format: csv
        kind: opening
        dateFormat: yyyy-MM-dd HH:mm
        columns: { sku: Item, location: Bin, status: Status, quantity: Qty, unit: UOM, asOf: SnapshotTime }`;
    const both = WMS_WITH_EVENTS.replace(
      opening,
      `${opening}\n${opening.replace('kind: opening', 'kind: positions').replace('Qty,', 'Now,')}`,
    );
    expect(both).toContain('quantity: Now');
    const w = world(sources(ERP_SOURCE, both), {
      'erp/items.csv': ITEMS,
      'erp/bin.csv': erpBin([
        ['SKU-1', '27'],
        ['SKU-2', '1032'],
      ]),
      'wms-east/opening.csv':
        'Item,Bin,Status,Qty,Now,UOM,SnapshotTime\n' +
        'SKU-1,WH-EAST-A-01,AVAILABLE,10,lots,EA,2026-11-14 18:00\n' +
        'SKU-2,WH-EAST-B-01,AVAILABLE,none,1032,EA,2026-11-14 18:00\n',
      'wms-east/transactions.csv': TRANSACTIONS,
    });
    const { run } = await reconcileFolder({ rulesDir: w.rules, dataDir: w.data, asOf: AS_OF });
    const [first, second] = run.inputs.filter((f) => f.path === 'wms-east/opening.csv');
    expect([first!.rejected, second!.rejected]).toEqual([1, 1]);
    expect(first!.rejectsPath).toMatch(/wms-east[/\\]opening\.csv\.opening\.rejects\.jsonl$/);
    expect(second!.rejectsPath).toMatch(/wms-east[/\\]opening\.csv\.positions\.rejects\.jsonl$/);
    const lines = (path: string) =>
      readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { line: number }).line);
    expect(lines(first!.rejectsPath!)).toEqual([3]);
    expect(lines(second!.rejectsPath!)).toEqual([2]);
  });
});
