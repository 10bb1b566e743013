import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createIntake, keysTouchedBy, reconcile } from './index.ts';
import { buildRuleset } from '../../../test/support/engine/ruleset.ts';
import { DEMO_RULES } from '../../../test/support/engine/demo-rules.ts';
import { AS_OF, ITEMS, OPENING_AT, eastPosition } from '../../../test/support/engine/scenario.ts';
import { eventsArb, liveEventsArb, positionsArb } from '../../../test/support/engine/random.ts';
import type { RawEvent } from '../model/types.ts';
import type { KeyResult } from './types.ts';

const quantitiesArb = fc.array(fc.integer({ min: 0, max: 80 }), { minLength: 9, maxLength: 9 });

function build(events: RawEvent[], quantities: number[]) {
  const intake = createIntake(buildRuleset({ items: ITEMS, rules: DEMO_RULES }));
  let q = 0;
  for (const sku of Object.keys(ITEMS)) {
    intake.opening(eastPosition('wms-east', sku, 50, { asOf: OPENING_AT }));
    for (const s of ['erp', 'wms-east', 'shop'] as const) {
      intake.position(eastPosition(s, sku, quantities[q++]!));
    }
  }
  for (const e of events) intake.event(e);
  return intake;
}

const comparable = (r: KeyResult) => JSON.stringify(r);
const keyOf = (r: { sku: string; location: string; bucket: string }) =>
  `${r.sku}|${r.location}|${r.bucket}`;

describe('incremental runs', () => {
  it('equal the full run on the keys touched by the given events', async () => {
    await fc.assert(
      fc.asyncProperty(eventsArb, quantitiesArb, fc.nat(), async (events, quantities, pick) => {
        const intake = build(events, quantities);
        const full = await reconcile(intake, { asOf: AS_OF, runId: 'r' });
        const touched = keysTouchedBy(intake, [events[pick % events.length]!]);
        const inc = await reconcile(intake, { asOf: AS_OF, runId: 'r', keys: touched });
        const wanted = new Set(touched.map(keyOf));
        const fromFull = full.results.filter((r) => wanted.has(keyOf(r))).map(comparable);
        expect(inc.results.map(comparable)).toEqual(fromFull);
        expect(inc.mode).toBe('incremental');
      }),
      { numRuns: 60 },
    );
  });

  it('still equal it after more rows arrive on the same intake (the live path)', async () => {
    // an hour after the snapshots: events and level updates after them are in the run
    const asOf = new Date(Date.parse(AS_OF) + 3_600_000).toISOString();
    await fc.assert(
      fc.asyncProperty(
        liveEventsArb,
        positionsArb,
        quantitiesArb,
        fc.nat(),
        fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
        async (events, positions, quantities, cut, picks) => {
          const split = cut % (events.length + 1);
          const intake = build(events.slice(0, split), quantities);
          // a first incremental run indexes the rows seen so far
          const early = events.slice(0, Math.max(1, split));
          await reconcile(intake, { asOf, keys: keysTouchedBy(intake, early) });
          for (const e of events.slice(split)) intake.event(e);
          for (const p of positions) intake.position(p);
          const picked = picks.map((p) => events[p % events.length]!);
          const touched = keysTouchedBy(intake, picked);
          const inc = await reconcile(intake, { asOf, runId: 'r', keys: touched });
          const full = await reconcile(intake, { asOf, runId: 'r' });
          const wanted = new Set(touched.map(keyOf));
          const fromFull = full.results.filter((r) => wanted.has(keyOf(r))).map(comparable);
          expect(inc.results.map(comparable)).toEqual(fromFull);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('reconcile', () => {
  it('refuses an as-of that is not a time with a coded input error', async () => {
    const run = reconcile(build([], Array(9).fill(0)), { asOf: 'yesterday' });
    await expect(run).rejects.toMatchObject({ name: 'InputError', code: 'BAD_AS_OF' });
  });
});
