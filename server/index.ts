/**
 * `tally serve`, composed: the bot (server/serve.ts) with the event endpoint and the live ledger
 * (near real-time), the write-back worker (connectors/writeback), scheduled and on-demand runs
 * of the data folder. The server joins bot/ and connectors/, which may not import each other;
 * `tally serve` (cli/commands/serve.ts) only parses flags and calls in here.
 */
import type { Knex } from 'knex';
import { createMetrics, databaseReady, observabilityRoutes, type Metrics } from './metrics.ts';
import { notifyException, notifyRunId } from '../bot/notify.ts';
import { notifyWriteback } from '../bot/notify-writeback.ts';
import { serve, type Served } from './serve.ts';
import type { Routes, SlackConfig } from '../bot/app.ts';
import { describeOutcome, WritebackWorker } from '../connectors/writeback/index.ts';
import type { Ruleset } from '../engine/core/rules/types.ts';
import { eventRoutes } from './endpoint.ts';
import { LiveLedger, type LiveOptions } from './live.ts';
import { runFolder, runRequested } from './run-folder.ts';
import { applyApprovedCorrections } from '../engine/services/corrections/index.ts';
import type { Log } from '../engine/core/log.ts';

export type ComposeOptions = {
  db: Knex;
  ruleset: Ruleset;
  rulesDir: string;
  dataDir?: string;
  port: number;
  slack: SlackConfig | null;
  digestCron: string;
  digestTimezone?: string;
  reminderHours: number;
  /** Adjustment files for systems Tally cannot write to. */
  exportDir: string;
  log: Log;
  env?: NodeJS.ProcessEnv;
  /** Poll interval of the write-back worker. */
  writebackPollMs?: number;
  /** Passed to the live ledger (tests, benchmark). */
  live?: Pick<LiveOptions, 'seed' | 'now'>;
  /** How often corrections left approved are applied (default one minute). */
  sweepMs?: number;
};

export type Composed = Served & { live: LiveLedger; writeback: WritebackWorker };

export async function startServe(o: ComposeOptions): Promise<Composed> {
  // filled in once the bot resolved channel names; the workers below read it when they notify
  let ruleset: Ruleset = o.ruleset;
  const live = new LiveLedger({
    db: o.db,
    ruleset: o.ruleset,
    dataDir: o.dataDir,
    ...o.live,
    // the run's history names the exceptions it resolved too, so this covers them once
    notify: (runId, db) => notifyRunId(db, ruleset, runId),
    log: o.log,
  });
  await live.load();
  const folders = o.dataDir ? { rulesDir: o.rulesDir, dataDir: o.dataDir } : null;
  const metrics = createMetrics(o.db);
  const served = await serve({
    db: o.db,
    ruleset: o.ruleset,
    port: o.port,
    slack: o.slack,
    digestCron: o.digestCron,
    digestTimezone: o.digestTimezone,
    reminderHours: o.reminderHours,
    log: o.log,
    routes: withObservability(
      o.db,
      metrics,
      eventRoutes({ ruleset: o.ruleset, live, env: o.env, log: o.log }),
    ),
    observeSlack: metrics.observeSlack,
    runNow: folders
      ? async (actor) => {
          const { text } = await runRequested(o.db, ruleset, folders, actor);
          await live.load();
          return text;
        }
      : undefined,
    skuPositions: (sku, location) => live.positionsOf(sku, location),
    // the scheduler queues the messages of a scheduled run itself
    reconcile: folders
      ? async () => (await runFolder(o.db, ruleset, folders, new Date(), false)).runId
      : undefined,
    afterReconcile: async () => live.load(),
  });
  ruleset = served.ruleset as Ruleset;
  const writeback = new WritebackWorker({
    db: o.db,
    rules: o.ruleset,
    exportDir: o.exportDir,
    pollMs: o.writebackPollMs,
    log: o.log,
    onRecorded: (p, outcome) =>
      notifyWriteback(o.db, ruleset, {
        exceptionId: p.exceptionId,
        idempotencyKey: p.idempotencyKey,
        status: outcome.status,
        text: describeOutcome(p, outcome),
      }),
  });
  writeback.start();
  const sweep = correctionSweep(o, () => ruleset);
  await sweep.once();
  return {
    ...served,
    live,
    writeback,
    stop: async (graceMs?: number) => {
      const closing = served.stop(graceMs); // refuses new requests at once
      await sweep.stop();
      await writeback.stop();
      await closing;
    },
  };
}

/**
 * Applies corrections left approved (an older version approved and applied in two steps; a
 * crash fell between them) at start-up and then on a timer, and refreshes their cards.
 */
function correctionSweep(o: ComposeOptions, ruleset: () => Ruleset) {
  let running: Promise<void> = Promise.resolve();
  const once = async () => {
    for (const a of await applyApprovedCorrections(o.db)) {
      o.log(
        `corrections: applied correction ${a.correction.id}, left approved${a.notice ? `; ${a.notice}` : ''}`,
        { correctionId: a.correction.id, exceptionId: a.correction.exceptionId },
      );
      await notifyException(o.db, ruleset(), a.correction.exceptionId);
    }
  };
  const timer = setInterval(() => {
    running = running
      .then(once)
      .catch((error: unknown) => o.log(`corrections: sweep failed: ${String(error)}`));
  }, o.sweepMs ?? 60_000);
  timer.unref();
  const stop = async () => {
    clearInterval(timer);
    await running;
  };
  return { once, stop };
}

/** /metrics and /ready first, then the event routes. */
function withObservability(db: Knex, metrics: Metrics, events: Routes): Routes {
  const observe = observabilityRoutes(metrics.registry, databaseReady(db));
  return (req, res) => observe(req, res) || events(req, res);
}
