/**
 * A rejected row leaves its key incomplete, whatever reader refused it: the vendor connectors
 * (Amazon FBA reports, X12 947 sets, Shopify saved responses and live pulls, the SQL query set)
 * hand the sku and location of what they refuse to the same bookkeeping as the CSV reader, so
 * the key is "not compared: N rejected rows", never a variance against a missing row. Each
 * world is written by hand in the vendor's documented shape.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileFolder } from '../../server/pipeline.ts';
import { describeNotCompared } from '../../cli/render/completeness.ts';
import type { RunResult } from '../../engine/core/recon/types.ts';
import { AS_OF, ERP_SOURCE, ITEMS, erpBin, sources, world, type World } from './world.ts';

const cwd = process.cwd();
beforeAll(() => process.chdir(mkdtempSync(join(tmpdir(), 'tally-home-'))));
afterAll(() => process.chdir(cwd));

const run = async (w: World) =>
  (await reconcileFolder({ rulesDir: w.rules, dataDir: w.data, asOf: AS_OF })).run;

/** Adds lines under a key of one of the world's rule files (a status map, location codes). */
function addRules(w: World, file: string, after: RegExp, lines: string): void {
  const path = join(w.rules, file);
  const text = readFileSync(path, 'utf8');
  expect(text).toMatch(after);
  writeFileSync(
    path,
    text.replace(after, (m) => `${m}\n${lines}`),
  );
}

const keysOf = (r: RunResult, sku: string) =>
  r.results.filter((k) => k.sku === sku).map((k) => `${k.source} ${k.location} ${k.bucket}`);

const FBA_HEADER =
  'sku\tfnsku\tasin\tproduct-name\tcondition\tyour-price\tmfn-listing-exists\tmfn-fulfillable-quantity\tafn-listing-exists\tafn-warehouse-quantity\tafn-fulfillable-quantity\tafn-unsellable-quantity\tafn-reserved-quantity\tafn-total-quantity\tper-unit-volume\tafn-inbound-working-quantity\tafn-inbound-shipped-quantity\tafn-inbound-receiving-quantity\n';

describe('Amazon FBA inventory report', () => {
  const FBA = `
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
      inventoryAsOf: 2026-11-21T20:00:00Z
      networkLocation: AMAZON_FBA
`;
  // the ERP keeps an "Amazon" warehouse too; Amazon's report is the book there (no opening)
  const erp = ERP_SOURCE.replace('locations: [WH-EAST]', 'locations: [WH-EAST, AMAZON_FBA]');

  it('a refused row of the book leaves its key incomplete for every source at that location', async () => {
    const w = world(sources(erp, FBA), {
      'erp/items.csv': ITEMS,
      'erp/bin.csv':
        erpBin([['SKU-1', '8']]).replaceAll('East DC - TC', 'Amazon - TC') +
        'SKU-2,Amazon - TC,Unrestricted,3,Each,2026-11-21T22:00:00Z\n',
      'amazon/inventory.txt':
        FBA_HEADER +
        'SKU-1\tX0001\tB0001\tTee\tNew\t9.99\tNo\t\tYes\t8\t8\t0\t0\t8\t0.1\t0\t0\t0\n' +
        // a fractional quantity: Amazon reports whole units, so the row is refused
        'SKU-2\tX0002\tB0002\tMug\tNew\t4.99\tNo\t\tYes\t3\t2.5\t0\t0\t3\t0.1\t0\t0\t0\n',
    });
    writeFileSync(
      join(w.rules, 'mappings.yaml'),
      readFileSync(join(w.rules, 'mappings.yaml'), 'utf8').replace(
        'erp: { East DC - TC: WH-EAST }',
        'erp: { East DC - TC: WH-EAST, Amazon - TC: AMAZON_FBA }',
      ),
    );
    const r = await run(w);
    expect(keysOf(r, 'SKU-2')).toEqual([]);
    expect(r.notCompared.map(describeNotCompared)).toEqual([
      'SKU-2 @ AMAZON_FBA (amazon-us) not compared: 1 rejected row (amazon/inventory.txt:3)',
      'SKU-2 @ AMAZON_FBA (erp) not compared: 1 rejected row (amazon/inventory.txt:3)',
    ]);
    // SKU-1's rows were read and agree
    expect(keysOf(r, 'SKU-1')).toEqual([]);
    expect(r.summary.comparedBy?.find((c) => c.source === 'erp')?.matched).toBeGreaterThan(0);
  });
});

const X12_947 = (w19: string) =>
  [
    'ISA*00*          *00*          *ZZ*WEST3PL        *ZZ*TALLYCO        *261121*1805*U*00401*000000201*0*P*>~',
    'GS*AW*WEST3PL*TALLYCO*20261121*1805*201*X*004010~',
    'ST*947*0001~',
    'W15*20261121*ADJ-501~',
    'N1*WH*West 3PL*9*WH-WEST~',
    'W19*AA*-1*EA**SK*SKU-1~',
    `${w19}~`,
    'SE*6*0001~',
    'GE*1*201~',
    'IEA*1*000000201~',
    '',
  ].join('\n');

const X12_846 = [
  'ISA*00*          *00*          *ZZ*WEST3PL        *ZZ*TALLYCO        *261120*1805*U*00401*000000200*0*P*>~',
  'GS*IB*WEST3PL*TALLYCO*20261120*1805*200*X*004010~',
  'ST*846*0001~',
  'BIA*00*SI*INV-200*20261120*1800~',
  'N1*WH*West 3PL*9*WH-WEST~',
  'LIN*1*SK*SKU-1~',
  'QTY*33*10*EA~',
  'LIN*2*SK*SKU-2~',
  'QTY*33*40*EA~',
  'SE*8*0001~',
  'GE*1*200~',
  'IEA*1*000000200~',
  '',
].join('\n');

describe('X12 947 from a 3PL', () => {
  const THREE_PL = `
  - id: threepl-west
    connector: x12-3pl
    role: 3pl
    owner: west-ops
    timezone: UTC
    cutoff: '23:00'
    group: nightly
    systemOfRecord: [physical_movements]
    locations: [WH-WEST]
    settings:
      paths: [edi]
`;
  const erp = ERP_SOURCE.replace('locations: [WH-EAST]', 'locations: [WH-EAST, WH-WEST]');

  /** The ERP and the 3PL at WH-WEST: the 846 counts 10 and 40, the ERP booked the 947's write-offs. */
  function threePlWorld(edi947: string): World {
    const w = world(sources(erp, THREE_PL), {
      'erp/items.csv': ITEMS,
      // the ERP booked both write-offs of the 947: 10 − 1 and 40 − 2
      'erp/bin.csv': erpBin([
        ['SKU-1', '9'],
        ['SKU-2', '38'],
      ]).replaceAll('East DC - TC', 'West 3PL - TC'),
      'edi/846-20261120.edi': X12_846,
      'edi/947-20261121.edi': edi947,
    });
    writeFileSync(
      join(w.rules, 'mappings.yaml'),
      readFileSync(join(w.rules, 'mappings.yaml'), 'utf8').replace(
        'erp: { East DC - TC: WH-EAST }',
        'erp: { East DC - TC: WH-EAST, West 3PL - TC: WH-WEST }',
      ),
    );
    addRules(
      w,
      'status-maps.yaml',
      /^ {2}erp: .*$/m,
      "  threepl-west: { '33': sellable, damaged: non_sellable, hold: non_sellable }",
    );
    return w;
  }

  it('a refused set leaves every key it names incomplete, the others are compared', async () => {
    // a reason code this partner never agreed: the whole set is refused
    const r = await run(threePlWorld(X12_947('W19*Q9*-2*EA**SK*SKU-2')));
    const edi = r.inputs.find((f) => f.path === 'edi/947-20261121.edi')!;
    expect(edi).toMatchObject({ read: 1, rejected: 1 });
    expect(keysOf(r, 'SKU-1')).toEqual([]);
    expect(keysOf(r, 'SKU-2')).toEqual([]);
    const notCompared = r.notCompared.map(describeNotCompared);
    expect(notCompared).toHaveLength(4);
    for (const sku of ['SKU-1', 'SKU-2'])
      for (const source of ['erp', 'threepl-west'])
        expect(notCompared).toContainEqual(
          expect.stringMatching(
            new RegExp(
              `^${sku} @ WH-WEST \\(${source}\\) not compared: 1 rejected row \\(edi/947-20261121.edi:7\\)$`,
            ),
          ),
        );
  });

  it('an interchange refused whole leaves the keys of its sets incomplete (each of its items, every source)', async () => {
    // the GS line is lost: node-x12 cannot parse the interchange at all
    const edi947 = X12_947('W19*AA*-2*EA**SK*SKU-2')
      .split('\n')
      .filter((l) => !l.startsWith('GS*'))
      .join('\n');
    const r = await run(threePlWorld(edi947));
    const edi = r.inputs.find((f) => f.path === 'edi/947-20261121.edi')!;
    expect(edi).toMatchObject({ read: 1, rejected: 1 });
    expect(keysOf(r, 'SKU-1')).toEqual([]);
    expect(keysOf(r, 'SKU-2')).toEqual([]);
    const notCompared = r.notCompared.map(describeNotCompared);
    for (const sku of ['SKU-1', 'SKU-2'])
      for (const source of ['erp', 'threepl-west'])
        expect(notCompared).toContainEqual(
          `${sku} @ WH-WEST (${source}) not compared: 1 rejected row (edi/947-20261121.edi:1)`,
        );
  });
});
