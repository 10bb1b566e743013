/**
 * The live path is a full run: random event sequences (some after the snapshots) and level
 * updates accepted batch by batch on the event
 * endpoint's live ledger leave the same exceptions on the keys they touched as one full run
 * over the same data; a second replica sees what the first received (through the database);
 * and a full run of the data folder keeps what arrived live instead of resolving it. Shopify
 * levels without a quantity (refusals with a time) ride along: they leave their key incomplete
 * in both paths alike, and on such a key the live path keeps what it had (it compared nothing)
 * where the full run, from empty tables, has nothing to keep, so those keys are compared only
 * where the full run compared them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { RawEvent } from '../../engine/core/model/types.ts';
import { createIntake } from '../../engine/core/normalize/intake.ts';
import { reconcile } from '../../engine/core/recon/reconcile.ts';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import { ownerOf } from '../../engine/services/impact/labels.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { replayInbound } from '../../server/inbound.ts';
import { LiveLedger } from '../../server/live.ts';
import { DEMO_RULES } from '../support/engine/demo-rules.ts';
import { liveEventsArb, positionsArb } from '../support/engine/random.ts';
import { buildRuleset } from '../support/engine/ruleset.ts';
import { AS_OF, ITEMS, baseline, untrackedLevel } from '../support/engine/scenario.ts';
import { testDatabases } from '../support/databases.ts';

const NOW = new Date(Date.parse(AS_OF) + 3_600_000);
const ruleset = buildRuleset({ items: ITEMS, rules: DEMO_RULES });
const SKUS = Object.keys(ITEMS);

const live = (db: Db) =>
  new LiveLedger({
    db,
    ruleset,
    seed: (intake) => baseline(intake, SKUS),
    now: () => NOW,
    notify: async () => 0,
  });

const keyOf = (r: { sku: string; location: string; bucket: string }) =>
  `${r.sku}|${r.location}|${r.bucket}`;
const line = (r: { source: string; cause: string; variance: number }) =>
  `${r.source} ${r.cause} ${Number(r.variance)}`;

/**
 * The full run over the seed and everything stored, persisted the way a full run is (into the
 * same tables, emptied first): the open exceptions by key.
 */
async function fullRun(db: Db): Promise<{ open: Map<string, string[]>; incomplete: Set<string> }> {
  const intake = createIntake(ruleset);
  baseline(intake, SKUS);
  await replayInbound(db, intake);
  const run = await reconcile(intake, { asOf: NOW.toISOString() });
  await clear(db, ['exception_history', 'outbox', 'run_results', 'exceptions']);
  await persistRun(db, run, { owners: (k) => ownerOf(ruleset, k) });
  const incomplete = new Set(run.notCompared.map((n) => `${n.sku}|${n.location}`));
  return { open: await storedOpen(db), incomplete };
}

/** Untracked Shopify levels of a sku at WH-EAST, `minutes` after the seeded positions. */
const refusalsArb = fc.array(
  fc
    .record({ sku: fc.constantFrom(...SKUS), minutes: fc.integer({ min: -120, max: 59 }) })
    .map(({ sku, minutes }) =>
      untrackedLevel(sku, new Date(Date.parse(AS_OF) + minutes * 60_000).toISOString()),
    ),
  { maxLength: 3 },
);

async function storedOpen(db: Db): Promise<Map<string, string[]>> {
  const rows = (await db('exceptions').whereNot({ state: 'resolved' })) as {
    sku: string;
    location: string;
    bucket: string;
    source: string;
    cause: string;
    variance: number;
  }[];
  return byKey(rows);
}

function byKey(
  rows: {
    sku: string;
    location: string;
    bucket: string;
    source: string;
    cause: string;
    variance: number;
  }[],
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(keyOf(r), [...(out.get(keyOf(r)) ?? []), line(r)].sort());
  return out;
}

/** Splits the events into 1–3 batches at the given cut points. */
function batches(events: RawEvent[], cuts: number[]): RawEvent[][] {
  const points = [...new Set(cuts.map((c) => c % (events.length + 1)))].sort((a, b) => a - b);
  const out: RawEvent[][] = [];
  let from = 0;
  for (const p of [...points, events.length]) {
    if (p > from) out.push(events.slice(from, p));
    from = Math.max(from, p);
  }
  return out;
}

describe.each(testDatabases())('live path and full run on $name', (engine) => {
  afterAll(() => engine.close());

  it('agree on the keys the events touched, for random event sequences', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        liveEventsArb,
        positionsArb,
        fc.array(fc.nat(), { maxLength: 2 }),
        fc.boolean(),
        refusalsArb,
        async (events, positions, cuts, twoReplicas, refusals) => {
          round++;
          const db = await engine.open();
          await clear(db);
          const a = live(db);
          const b = live(db);
          await a.load();
          await b.load();
          const touched = new Set<string>();
          const parts = batches(
            events.map((e) => ({ ...e, sourceEventId: `${round}-${e.sourceEventId}` })),
            cuts,
          );
          for (const [i, part] of parts.entries()) {
            const replica = twoReplicas && i % 2 === 1 ? b : a;
            // level updates ride along, some dated before the events of the batch, some after
            const levels = positions.filter((_, j) => j % parts.length === i);
            const refused = refusals.filter((_, j) => j % parts.length === i);
            await replica.accept({ events: part, positions: levels, refused });
          }
          for (const p of [...positions, ...refusals]) {
            for (const bucket of ['sellable', 'committed', 'non_sellable', 'in_transit']) {
              touched.add(`${p.sku}|WH-EAST|${bucket}`);
            }
          }
          for (const e of events) {
            for (const bucket of ['sellable', 'committed', 'non_sellable', 'in_transit']) {
              touched.add(`${e.sku}|WH-EAST|${bucket}`);
              if (e.counterpartLocation) touched.add(`${e.sku}|STORE-NYC|${bucket}`);
            }
          }
          const stored = await storedOpen(db);
          const full = await fullRun(db);
          for (const key of touched) {
            if (full.incomplete.has(key.split('|').slice(0, 2).join('|'))) continue;
            expect(stored.get(key) ?? [], key).toEqual(full.open.get(key) ?? []);
          }
        },
      ),
      { numRuns: 12 },
    );
  }, 180_000);
});

async function clear(db: Db, tables = TABLES): Promise<void> {
  for (const table of tables) await db(table).del();
}

const TABLES = ['exception_history', 'outbox', 'run_results', 'exceptions', 'inbound_events'];
