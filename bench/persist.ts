/**
 * Persistence benchmark: persistRun of a run with N non-match results (first run raising every
 * exception, second run updating them all), and bulk loads of M ledger events and positions,
 * on SQLite and on PostgreSQL when a URL is given. Medians of `repeats` fresh databases.
 * `npm run bench` calls runPersistBench; `npx tsx bench/persist.ts` runs it alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import knex from 'knex';
import { openDb, type Db } from '../engine/services/store/db.ts';
import { persistRun } from '../engine/services/exceptions/persist-run.ts';
import { appendEvents, insertSnapshot } from '../engine/services/store/ledger.ts';
import type { KeyResult, RunResult } from '../engine/core/recon/types.ts';
import { median } from './stats.ts';
import type { MovementEvent, Position } from '../engine/core/model/types.ts';

export type PersistBenchOptions = {
  /** Non-match results per run (default 30,000). */
  results?: number;
  /** Rows for the bulk event and position loads (default 1,000,000; the demo uses 3,000,000). */
  bulkRows?: number;
  repeats?: number;
  /** PostgreSQL URL; default TEST_DATABASE_URL or TALLY_DATABASE_URL; none = SQLite only. */
  postgresUrl?: string;
  log?: (line: string) => void;
};

export type PersistBenchResult = {
  engine: 'sqlite' | 'postgres';
  results: number;
  bulkRows: number;
  firstPersistMs: number;
  secondPersistMs: number;
  eventsLoadMs: number;
  positionsLoadMs: number;
  eventsPerSecond: number;
  /** Appending the same events again (every one already stored: inserts nothing). */
  eventsReappendMs: number;
};

export async function runPersistBench(
  opts: PersistBenchOptions = {},
): Promise<PersistBenchResult[]> {
  const results = opts.results ?? 30_000;
  const bulkRows = opts.bulkRows ?? 1_000_000;
  const repeats = opts.repeats ?? 3;
  const log = opts.log ?? ((line: string) => process.stdout.write(line + '\n'));
  const url = opts.postgresUrl ?? process.env.TEST_DATABASE_URL ?? process.env.TALLY_DATABASE_URL;
  const engines: ('sqlite' | 'postgres')[] = url ? ['sqlite', 'postgres'] : ['sqlite'];
  const out: PersistBenchResult[] = [];
  for (const engine of engines) {
    const samples: number[][] = [];
    for (let i = 0; i < repeats; i++) samples.push(await once(engine, url, results, bulkRows));
    const m = (k: number): number => median(samples.map((s) => s[k]!));
    const r: PersistBenchResult = {
      engine,
      results,
      bulkRows,
      firstPersistMs: m(0),
      secondPersistMs: m(1),
      eventsLoadMs: m(2),
      positionsLoadMs: m(3),
      eventsPerSecond: Math.round(bulkRows / (m(2) / 1000)),
      eventsReappendMs: m(4),
    };
    log(
      `persist ${engine}: persistRun ${results} results ${r.firstPersistMs} ms (raise) / ${r.secondPersistMs} ms (update); ${bulkRows} events ${r.eventsLoadMs} ms (again, all present: ${r.eventsReappendMs} ms), positions ${r.positionsLoadMs} ms (median of ${repeats})`,
    );
    out.push(r);
  }
  return out;
}

async function once(
  engine: 'sqlite' | 'postgres',
  url: string | undefined,
  results: number,
  bulkRows: number,
): Promise<number[]> {
  const target = await freshTarget(engine, url);
  const db = await openDb(target.open);
  try {
    const owners = (k: KeyResult): string => `team-${k.location}`;
    const first = await timed(() =>
      persistRun(db, fakeRun('b1', '2026-11-01T00:00:00.000Z', results), { owners }),
    );
    const second = await timed(() =>
      persistRun(db, fakeRun('b2', '2026-11-02T00:00:00.000Z', results), { owners }),
    );
    // Inputs are built before the clock starts: the figures are the load alone.
    const eventInputs = fakeEvents(bulkRows);
    const events = await timed(() => appendEvents(db, eventInputs));
    const reappend = await timed(() => appendEvents(db, eventInputs));
    const positionInputs = fakePositions(bulkRows);
    const positions = await timed(() =>
      insertSnapshot(db, { source: 'erp', asOf: '2026-11-01T00:00:00.000Z' }, positionInputs),
    );
    return [first, second, events, positions, reappend];
  } finally {
    await db.destroy();
    await target.drop();
  }
}

async function freshTarget(
  engine: 'sqlite' | 'postgres',
  url: string | undefined,
): Promise<{ open: Parameters<typeof openDb>[0]; drop: () => Promise<void> }> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'tally-bench-'));
    return {
      open: { url: join(dir, 'bench.db') },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const admin = (sql: string): Promise<void> => withAdmin(url!, sql);
  await admin(`create schema "${schema}"`);
  return { open: { url, schema }, drop: () => admin(`drop schema "${schema}" cascade`) };
}

async function withAdmin(url: string, sql: string): Promise<void> {
  const db: Db = knex({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
  try {
    await db.raw(sql);
  } finally {
    await db.destroy();
  }
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return Math.round(performance.now() - start);
}

function fakeRun(runId: string, asOf: string, n: number): RunResult {
  const results: KeyResult[] = Array.from({ length: n }, (_, i) => ({
    sku: `SKU-${i}`,
    location: `WH${i % 5}`,
    bucket: 'sellable',
    source: i % 2 ? 'erp' : 'shop',
    outcome:
      i % 4 === 0
        ? { type: 'explained', code: 'IN_TRANSIT_WINDOW' }
        : { type: 'exception', severity: 'medium', rootCause: 'MISSING_POSTING' },
    causes: i % 4 === 0 ? [] : ['MISSING_POSTING'],
    variance: (i % 9) - 4 || 1,
    valueAtRiskMinor: 1000 * ((i % 9) + 1),
  }));
  const summary = {
    keys: n * 10,
    compared: n * 10,
    matched: n * 9,
    explained: {},
    exceptions: {},
    exceptionsBySeverity: {},
    rulesEvaluated: n,
  };
  return {
    runId,
    asOf,
    startedAt: asOf,
    rulesetVersion: { hash: 'bench', label: 'bench' },
    mode: 'full',
    inputs: [],
    findings: [],
    runFindings: [],
    notCompared: [],
    results,
    summary,
    durations: { parseMs: 0, normalizeMs: 0, ledgerMs: 0, matchMs: 0, classifyMs: 0, totalMs: 0 },
  };
}

function fakeEvents(n: number): MovementEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    source: 'wms',
    sourceEventId: `E${i}`,
    type: 'shipment',
    sku: `SKU-${i % 10_000}`,
    from: { kind: 'stock', location: `WH${i % 5}`, bucket: 'sellable' },
    to: { kind: 'outside', account: 'customer' },
    quantity: 1 + (i % 3),
    occurredAt: '2026-11-01T10:00:00.000Z',
    recordedAt: '2026-11-01T10:00:00.000Z',
    reference: `SO-${i}`,
  }));
}

function fakePositions(n: number): Position[] {
  return Array.from({ length: n }, (_, i) => ({
    source: 'erp',
    sku: `SKU-${i}`,
    location: `WH${i % 5}`,
    bucket: 'sellable',
    quantity: i % 100,
    rawStatus: 'available',
    asOf: '2026-11-01T00:00:00.000Z',
  }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.env.BENCH_ROWS ?? 1_000_000);
  await runPersistBench({ bulkRows: n, repeats: Number(process.env.BENCH_REPEATS ?? 3) });
}
