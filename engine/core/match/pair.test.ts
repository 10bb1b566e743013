import { describe, expect, it } from 'vitest';
import { linearRegex } from '../rules/linear-regex.ts';
import fc from 'fast-check';
import { linkOf, pairByProximity, type Candidate } from './pair.ts';

const candidate = fc.record({
  source: fc.constantFrom(0, 1),
  id: fc.string({ minLength: 1, maxLength: 3 }),
  group: fc.constantFrom('SKU-1|WH|receipt|5', 'SKU-1|WH|receipt|6', 'SKU-2|WH|shipment|5'),
  occurredMs: fc.integer({ min: 0, max: 10 }).map((h) => h * 3_600_000),
});
/** Events with ids unique per source, split by source. */
const world = fc
  .uniqueArray(candidate, { selector: (c) => `${c.source}|${c.id}`, maxLength: 24 })
  .map((cs) => [cs.filter((c) => c.source === 0), cs.filter((c) => c.source === 1)] as const);
const lag = () => 4 * 3_600_000;
const names = (pairs: { a: Candidate; b: Candidate }[]) =>
  pairs.map((p) => `${p.a.source}:${p.a.id}~${p.b.source}:${p.b.id}`).sort();

describe('pairByProximity', () => {
  it('is the same whatever the input order', () => {
    const arb = world.chain(([as, bs]) =>
      fc.tuple(
        fc.constant([as, bs] as const),
        fc.shuffledSubarray(as, { minLength: as.length }),
        fc.shuffledSubarray(bs, { minLength: bs.length }),
      ),
    );
    fc.assert(
      fc.property(arb, ([[as, bs], as2, bs2]) => {
        expect(names(pairByProximity(as2, bs2, lag))).toEqual(names(pairByProximity(as, bs, lag)));
      }),
    );
  });

  it('never pairs one event twice, and only within the group and the lag', () => {
    fc.assert(
      fc.property(world, ([as, bs]) => {
        const pairs = pairByProximity(as, bs, lag);
        const used = pairs.flatMap((p) => [p.a, p.b]);
        expect(new Set(used).size).toBe(used.length);
        for (const p of pairs) {
          expect(p.a.group).toBe(p.b.group);
          expect(Math.abs(p.a.occurredMs - p.b.occurredMs)).toBeLessThanOrEqual(lag());
        }
      }),
    );
  });

  it('leaves no admissible pair of two free events behind (maximal)', () => {
    fc.assert(
      fc.property(world, ([as, bs]) => {
        const pairs = pairByProximity(as, bs, lag);
        const used = new Set(pairs.flatMap((p) => [p.a, p.b]));
        for (const a of as.filter((x) => !used.has(x))) {
          for (const b of bs.filter((x) => !used.has(x))) {
            const fits = a.group === b.group && Math.abs(a.occurredMs - b.occurredMs) <= lag();
            expect(fits).toBe(false);
          }
        }
      }),
    );
  });

  it('prefers the nearest in time', () => {
    const h = (n: number) => n * 3_600_000;
    const g = 'SKU-1|WH|receipt|5';
    const as = [{ source: 0, id: 'CC-1', group: g, occurredMs: h(1) }];
    const bs = [
      { source: 1, id: 'MAT-RECO-9', group: g, occurredMs: h(4) },
      { source: 1, id: 'MAT-RECO-8', group: g, occurredMs: h(2) },
    ];
    expect(names(pairByProximity(as, bs, lag))).toEqual(['0:CC-1~1:MAT-RECO-8']);
  });
});

describe('linkOf', () => {
  const crosswalk = {
    sources: ['wms', 'erp'] as [string, string],
    patterns: [{ from: linearRegex('^CC-(\\d+)$'), to: 'MAT-RECO-$1' }],
    amendments: true,
    proximity: false,
  };

  it('rewrites the first source’s reference by pattern, in either argument order', () => {
    expect(linkOf(crosswalk, 'wms', 'CC-17', 'MAT-RECO-17')).toBe('crosswalk');
    expect(linkOf(crosswalk, 'erp', 'MAT-RECO-17', 'CC-17')).toBe('crosswalk');
    expect(linkOf(crosswalk, 'wms', 'CC-17', 'MAT-RECO-18')).toBeNull();
  });

  it('pairs an amended document with its original', () => {
    expect(linkOf(crosswalk, 'erp', 'MAT-STE-0042-1', 'MAT-STE-0042')).toBe('amendment');
    expect(linkOf(crosswalk, 'wms', 'MAT-STE-0042', 'MAT-STE-0042-2')).toBe('amendment');
    expect(linkOf({ ...crosswalk, amendments: false }, 'wms', 'A', 'A-1')).toBeNull();
  });
});
