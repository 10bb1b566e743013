/**
 * The seeded demo generator: a week of a multi-warehouse, multi-channel operation written in
 * every source's file shape, the bundled rules to read them, and a ground-truth file saying what
 * a correct reconciliation decides for every compared key.
 */
import { fromPackageRoot } from '../engine/core/package-root.ts';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUCKETS, type Bucket } from '../engine/core/model/types.ts';
import { seedOpening, settleCounts, simulateWeek } from './flows.ts';
import { injectCauses, type CauseSet } from './inject.ts';
import { createRng } from './prng.ts';
import type { Sim } from './sim.ts';
import { DAY_MS, isoSeconds } from './time.ts';
import { truthKey, type GroundTruth, type TruthEntry } from './truth.ts';
import { computeViews } from './views.ts';
import { WAREHOUSES, makeCatalog, stocks } from './world.ts';
import { writeErp } from './write-erp.ts';
import { write3pl, writePos, writeWms } from './write-sor.ts';
import { writeShop } from './write-shop.ts';

export type DemoOptions = {
  dir: string;
  seed?: number;
  skus?: number;
  days?: number;
  /** Run time T (ISO); snapshots are taken then and the opening `days` earlier. */
  asOf?: string;
  /** Rules folder copied into `<dir>/rules`; defaults to the bundled rules/. */
  rulesDir?: string;
  /** Which injected causes: each once (default) or every one in several variants. */
  causes?: CauseSet;
};

export type DemoResult = {
  dir: string;
  dataDir: string;
  rulesDir: string;
  truthPath: string;
  truth: GroundTruth;
  movements: number;
};

export const DEFAULT_SEED = 42;
const POS_BUCKETS = ['sellable', 'non_sellable'] as const;
export const DEFAULT_AS_OF = '2026-11-21T23:00:00Z';
export const BUNDLED_RULES_DIR = fromPackageRoot('rules');

export async function generateDemo(options: DemoOptions): Promise<DemoResult> {
  const seed = options.seed ?? DEFAULT_SEED;
  const days = options.days ?? 7;
  const asOfMs = Date.parse(options.asOf ?? DEFAULT_AS_OF);
  const rng = createRng(seed);
  const sim: Sim = {
    rng,
    catalog: makeCatalog(rng, Math.max(options.skus ?? 48, 24)),
    openingMs: asOfMs - days * DAY_MS,
    asOfMs,
    days,
    opening: new Map(),
    balance: new Map(),
    movements: [],
    erpOnly: [],
    counters: new Map(),
  };
  seedOpening(sim);
  simulateWeek(sim);
  const { truth: injected, overrides } = injectCauses(sim, options.causes);
  settleCounts(sim);
  const views = computeViews(sim, overrides);
  const dataDir = options.dir;
  mkdirSync(dataDir, { recursive: true });
  await writeErp(dataDir, sim, views, overrides);
  await writeWms(dataDir, sim, views);
  await write3pl(dataDir, sim, views);
  await writeShop(dataDir, sim, views);
  await writePos(dataDir, sim, views);
  const rulesDir = copyRules(options.rulesDir ?? BUNDLED_RULES_DIR, join(dataDir, 'rules'));
  const truth: GroundTruth = {
    seed,
    asOf: isoSeconds(asOfMs),
    openingAsOf: isoSeconds(sim.openingMs),
    skus: sim.catalog.length,
    days,
    entries: withMatches(injected, sim),
  };
  const truthPath = join(dataDir, 'ground-truth.json');
  writeFileSync(truthPath, `${JSON.stringify(truth, null, 1)}\n`);
  return { dir: dataDir, dataDir, rulesDir, truthPath, truth, movements: sim.movements.length };
}

function copyRules(from: string, to: string): string {
  if (!existsSync(from)) return to;
  cpSync(from, to, { recursive: true, filter: (src) => !src.endsWith('.ts') });
  return to;
}

/** Every compared (key, source) not injected is expected to match. */
function withMatches(injected: TruthEntry[], sim: Sim): TruthEntry[] {
  const seen = new Set(injected.map(truthKey));
  const out = [...injected];
  const push = (sku: string, location: string, bucket: Bucket, source: string) => {
    const entry: TruthEntry = { sku, location, bucket, source, expected: { type: 'match' } };
    if (seen.has(truthKey(entry))) return;
    seen.add(truthKey(entry));
    out.push(entry);
  };
  for (const s of sim.catalog) {
    for (const wh of WAREHOUSES) {
      if (!stocks(s, wh)) continue;
      for (const bucket of BUCKETS) push(s.sku, wh, bucket, 'erp');
      if (wh === 'WH-EAST') for (const b of BUCKETS) push(s.sku, wh, b, 'wms-east');
      if (wh === 'WH-WEST') for (const b of BUCKETS) push(s.sku, wh, b, '3pl-west');
      if (wh.startsWith('WH-')) for (const b of BUCKETS) push(s.sku, wh, b, 'shop');
      // the POS has no words for committed or in-transit stock: those buckets are not compared
      if (wh.startsWith('STORE')) for (const b of POS_BUCKETS) push(s.sku, wh, b, 'pos');
    }
  }
  return out;
}
