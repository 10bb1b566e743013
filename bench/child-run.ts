/**
 * One measured run in a fresh process; prints one JSON line with its figures on stdout.
 *   tally <rules> <data> <asOf> <db> [schema]
 *                                     what `tally run` does: reconcile the folder, save the run
 *                                     and queue its Slack messages in a SQLite file, or on the
 *                                     PostgreSQL of a postgres:// URL in `schema`
 *   duckdb <data>                     the baseline diff
 *   live <keys> <events>              one event → exception updated in the database (live.ts)
 *   live-slack <keys> <events>        one webhook → chat.update through tally serve (live-slack.ts)
 */
import { existsSync } from 'node:fs';
import type * as Collect from '../engine/core/collect.ts';
import type * as Store from '../engine/services/store/db.ts';
import type * as Inbound from '../server/inbound.ts';
import type * as Pipeline from '../server/pipeline.ts';
import type * as Save from '../server/save-run.ts';
import { duckDbDiff } from './duckdb-diff.ts';

/**
 * Where a measured run takes Tally's modules from: the compiled build, as `tally run` runs it
 * (bin/tally.mjs; bench/main.ts builds it first), or the TypeScript sources through tsx with
 * TALLY_FROM_SOURCE=1 (as tests run them; a reading thread then compiles its modules as it
 * starts: ~0.3 s more before the first file is read).
 */
const BUILT = new URL('../dist/', import.meta.url);
const fromSource =
  process.env.TALLY_FROM_SOURCE === '1' || !existsSync(new URL('cli/main.js', BUILT));

async function product<T>(path: string): Promise<T> {
  return (await import(
    fromSource ? new URL(`../${path}.ts`, import.meta.url).href : new URL(`${path}.js`, BUILT).href
  )) as T;
}

/** The modules a measured run uses, loaded before its clock starts. */
async function tallyModules() {
  const [collect, store, inbound, pipeline, save] = await Promise.all([
    product<typeof Collect>('engine/core/collect'),
    product<typeof Store>('engine/services/store/db'),
    product<typeof Inbound>('server/inbound'),
    product<typeof Pipeline>('server/pipeline'),
    product<typeof Save>('server/save-run'),
  ]);
  return {
    collectGarbage: collect.collectGarbage,
    openDb: store.openDb,
    replayInbound: inbound.replayInbound,
    reconcileFolder: pipeline.reconcileFolder,
    saveRunWithMessages: save.saveRunWithMessages,
  };
}

export type ChildFigures = {
  /** Which Tally was measured: the compiled build (dist/) or the sources through tsx. */
  code?: 'build' | 'source';
  /** End to end: rules, every file, reconcile with evidence, and the run saved. */
  wallMs: number;
  maxRssMiB: number;
  /** CPU time of the whole process, every thread (the reading thread, DuckDB's threads). */
  cpuMs?: number;
  /** Everything before saving the run. */
  beforePersistMs?: number;
  /** Saving the run: results, exceptions, history, audit, Slack messages queued. */
  persistMs?: number;
  /** Of which queueing the Slack messages (a card and its evidence per exception). */
  queueMessagesMs?: number;
  phases?: {
    parseMs: number;
    normalizeMs: number;
    /** The collection after the positions are let go (PhaseDurations.collectMs). */
    collectMs?: number;
    ledgerMs: number;
    matchMs: number;
    classifyMs: number;
    /** Of classifyMs, the rules alone (PhaseDurations.rulesMs). */
    rulesMs: number;
  };
  evaluated?: number;
  compared?: number;
  differing?: number;
};

const cpuSince = (start: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
};

async function runTally(
  rulesDir: string,
  dataDir: string,
  asOf: string,
  dbFile: string,
  schema?: string,
) {
  const { collectGarbage, openDb, replayInbound, reconcileFolder, saveRunWithMessages } =
    await tallyModules();
  const started = performance.now();
  const cpu = process.cpuUsage();
  // as `tally run`: the database first, the events received live read after the folder
  const db = await openDb({ url: dbFile, schema });
  try {
    const { run, ruleset } = await reconcileFolder({
      rulesDir,
      dataDir,
      asOf,
      extra: async (intake) => void (await replayInbound(db, intake)),
    });
    const beforePersistMs = performance.now() - started;
    // `tally run`'s save (cli/commands/run.ts), after the collection it makes first (counted in
    // the save)
    await collectGarbage();
    const timings = { queueMessagesMs: 0 };
    await saveRunWithMessages(db, run, ruleset, { timings });
    const { queueMessagesMs } = timings;
    const wallMs = performance.now() - started;
    const { parseMs, normalizeMs, collectMs = 0, ledgerMs, matchMs, classifyMs } = run.durations;
    const rulesMs = run.durations.rulesMs ?? 0;
    const count = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0);
    return {
      code: fromSource ? 'source' : 'build',
      wallMs,
      beforePersistMs,
      persistMs: wallMs - beforePersistMs,
      queueMessagesMs,
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
      cpuMs: cpuSince(cpu),
      phases: { parseMs, normalizeMs, collectMs, ledgerMs, matchMs, classifyMs, rulesMs },
      evaluated: run.summary.rulesEvaluated,
      compared: run.summary.compared,
      differing: count(run.summary.exceptions) + count(run.summary.explained),
    };
  } finally {
    await db.destroy();
  }
}

async function runDuck(dataDir: string): Promise<ChildFigures> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const { differing } = await duckDbDiff(dataDir);
  return {
    wallMs: performance.now() - started,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    cpuMs: cpuSince(cpu),
    differing,
  };
}

async function runLive(mode: string, keys: number, events: number): Promise<unknown> {
  if (mode === 'live') {
    const { runLiveBench } = await import('./live.ts');
    return runLiveBench({ keys, events });
  }
  const { runLiveSlackBench } = await import('./live-slack.ts');
  return runLiveSlackBench({ keys, events });
}

const [mode, ...args] = process.argv.slice(2);
const figures =
  mode === 'duckdb'
    ? await runDuck(args[0]!)
    : mode === 'live' || mode === 'live-slack'
      ? await runLive(mode, Number(args[0]), Number(args[1]))
      : await runTally(args[0]!, args[1]!, args[2]!, args[3]!, args[4]);
// exits once written: a server or pool left open by a benchmark must not hold the process
process.stdout.write(`${JSON.stringify(figures)}\n`, () => process.exit(0));
