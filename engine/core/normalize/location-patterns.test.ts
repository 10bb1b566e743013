import { describe, expect, it } from 'vitest';
import { createIntake } from './intake.ts';
import { buildRuleset } from '../../../test/support/engine/ruleset.ts';
import { compileGlob } from '../rules/glob.ts';
import type { LocationPattern, Ruleset } from '../rules/types.ts';
import type { RawPosition } from '../model/types.ts';

const T = '2026-11-21T23:00:00Z';

function withPatterns(patterns: Omit<LocationPattern, 'regex' | 'file' | 'line'>[]): Ruleset {
  const ruleset = buildRuleset({});
  ruleset.mappings.locationPatterns = patterns.map((p, i) => ({
    ...p,
    regex: compileGlob(p.glob),
    file: 'rules/mappings.yaml',
    line: 10 + i,
  }));
  return ruleset;
}

function pos(location: string, line: number, over: Partial<RawPosition> = {}): RawPosition {
  return {
    source: 'wms-east',
    sku: 'SKU-1',
    location,
    status: 'AVAILABLE',
    quantity: 1,
    asOf: T,
    origin: { file: 'wms-east/inventory.csv', line },
    ...over,
  };
}

function placed(intake: ReturnType<typeof createIntake>): string[] {
  const t = intake.positions;
  const out: string[] = [];
  for (let i = 0; i < t.length; i++) {
    out.push(`${intake.locations.value(t.fine.get(i))}>${intake.locations.value(t.cmp.get(i))}`);
  }
  return out;
}

describe('location patterns', () => {
  it("map thousands of a source's bin codes with one glob, rolled up to the warehouse", () => {
    const intake = createIntake(withPatterns([{ glob: 'E-*', location: 'WH-EAST-A' }]));
    for (let n = 0; n < 5000; n++) intake.position(pos(`E-${n}-${n % 7}`, n + 2));
    intake.flush();
    expect(intake.positions.length).toBe(5000);
    expect(new Set(placed(intake))).toEqual(new Set(['WH-EAST-A>WH-EAST']));
    expect(intake.findings).toEqual([]);
  });

  it('come after the exact code and the declared id; a source’s own glob before the shared ones', () => {
    const intake = createIntake(
      withPatterns([
        { glob: 'WH-EAST-*', location: 'WH-WEST' }, // every source: never beats a declared id
        { glob: 'B-*', location: 'WH-EAST-A' },
        { source: 'wms-east', glob: 'B-9*', location: 'WH-EAST-A-02' },
      ]),
    );
    intake.position(pos('WH-EAST-A-01', 2));
    intake.position(pos('B-17', 3));
    intake.position(pos('B-901', 4));
    intake.position(
      pos('East DC - TC', 5, { source: 'erp', status: 'Unrestricted' }), // an exact code
    );
    intake.position(pos('B-903', 6, { source: 'erp', status: 'Unrestricted' }));
    intake.flush();
    expect(placed(intake)).toEqual([
      'WH-EAST-A-01>WH-EAST',
      'WH-EAST-A>WH-EAST',
      'WH-EAST-A-02>WH-EAST',
      'WH-EAST>WH-EAST',
      'WH-EAST-A>WH-EAST', // the erp has no glob of its own: the shared B-* places it
    ]);
  });

  it('report a code nothing maps with its file and line, and keep the row accounted for', () => {
    const intake = createIntake(withPatterns([{ glob: 'E-*', location: 'WH-EAST-A' }]));
    intake.position(pos('E-1', 2));
    intake.position(pos('W-1', 3));
    intake.position(pos('w-1', 4, { quantity: 2 }));
    intake.flush();
    expect(intake.findings).toEqual([
      expect.objectContaining({
        code: 'UNKNOWN_LOCATION',
        location: 'W-1',
        origin: { file: 'wms-east/inventory.csv', line: 3 },
      }),
      expect.objectContaining({
        code: 'UNKNOWN_LOCATION',
        location: 'w-1',
        origin: { file: 'wms-east/inventory.csv', line: 4 },
      }),
    ]);
    expect(intake.fates.counts(intake.files.id('wms-east/inventory.csv'))).toMatchObject({
      keptOut: 2,
    });
  });
});
