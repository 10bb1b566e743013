/**
 * Mappings `locationFiles` end to end: an SAP EWM storage bin list in the rules folder declares
 * the bins, WMS stock reported per bin rolls up to its warehouse and is compared there with the
 * ERP's; a bin list of 20,000 bins loads; a bad row fails `tally rules validate` at its line.
 */
import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { reconcileFolder } from '../../server/pipeline.ts';
import { loadRuleset } from '../../engine/core/rules/load.ts';
import { createLocationResolver } from '../../engine/core/normalize/locations.ts';
import { tally, tempDir } from './setup.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/bin-list', import.meta.url));
const AS_OF = '2026-11-23T05:00:00Z';
const tmp = tempDir('location-files');
afterAll(() => tmp.remove());

function copy(name: string): { rules: string; data: string } {
  const dir = join(tmp.dir, name);
  cpSync(FIXTURE, dir, { recursive: true });
  return { rules: join(dir, 'rules'), data: join(dir, 'data') };
}

describe('a storage bin list in the rules folder', () => {
  it('rolls WMS stock at its bins up to their warehouse, compared there with the ERP', async () => {
    const { run } = await reconcileFolder({
      rulesDir: join(FIXTURE, 'rules'),
      dataDir: join(FIXTURE, 'data'),
      asOf: AS_OF,
    });
    expect(run.findings).toEqual([]);
    expect(run.inputs.map((f) => [f.source, f.read, f.accepted])).toEqual([
      ['ewm', 6, 6],
      ['erp', 3, 3],
    ]);
    expect(run.summary.comparedBy).toEqual([
      { location: 'EW01', source: 'erp', compared: 2, matched: 2, explained: 0 },
      { location: 'EW01', source: 'ewm', compared: 2, matched: 2, explained: 0 },
      { location: 'EW02', source: 'erp', compared: 1, matched: 0, explained: 0 },
      { location: 'EW02', source: 'ewm', compared: 1, matched: 1, explained: 0 },
    ]);
    // EW02: bins B-01-01-01 (30) and B-GI-ZONE (4) against the ERP's 31
    expect(run.results).toHaveLength(1);
    expect(run.results[0]).toMatchObject({
      sku: 'HP-1001',
      location: 'EW02',
      evidence: { quantities: { ewm: 34, erp: 31 } },
    });
  });

  it('loads 20,000 bins, their codes resolving through the hierarchy', async () => {
    const { rules } = copy('large');
    const rows = ['Warehouse No.,Storage Type,Storage Bin,Bin Code'];
    for (let n = 0; n < 20_000; n++) {
      const wh = n % 2 === 0 ? 'EW01' : 'EW02';
      rows.push(`${wh},0010,${wh}-${String(n).padStart(5, '0')},${n}`);
    }
    writeFileSync(join(rules, 'storage-bins.csv'), rows.join('\n') + '\n');
    const mappings = join(rules, 'mappings.yaml');
    const text = readFileSync(mappings, 'utf8').replace(
      'columns: { location: Storage Bin, parent: Warehouse No. }',
      'source: ewm\n    columns: { code: Bin Code, location: Storage Bin, parent: Warehouse No. }',
    );
    writeFileSync(mappings, text);
    const { ruleset, problems } = await loadRuleset(rules, { knownConnectors: ['csv'] });
    expect(problems).toEqual([]);
    expect(ruleset!.mappings.locations.size).toBe(3 + 20_000);
    expect(ruleset!.mappings.locationCodes.get('ewm')!.size).toBe(20_000);
    const resolve = createLocationResolver(ruleset!.mappings);
    expect(resolve('ewm', '19999')).toEqual({ fine: 'EW02-19999', compare: 'EW02' });
    expect(resolve('ewm', 'EW01-00000')).toEqual({ fine: 'EW01-00000', compare: 'EW01' });
    expect(resolve('erp', '19999')).toBeUndefined();
  });

  it('fails tally rules validate with each bad row at its file and line', () => {
    const { rules } = copy('bad');
    appendFileSync(
      join(rules, 'storage-bins.csv'),
      'EW09,0010,0001,C-01-01-01\nEW01,0010,0001,B-01-01-01\n',
    );
    const r = tally(rules, 'rules', 'validate', '.');
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toContain(
      'storage-bins.csv:9:1 location "C-01-01-01": parent "EW09" is not a declared location',
    );
    expect(r.stdout + r.stderr).toContain(
      'storage-bins.csv:10:1 location "B-01-01-01": declared as level bin, type bin, parent EW01 here, as level bin, type bin, parent EW02 at line 6',
    );
    const ok = tally(join(FIXTURE, 'rules'), 'rules', 'validate', '.');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^ {2}locations {2}10 \(0 source codes\)$/m);
  });
});
