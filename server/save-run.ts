/**
 * Saving a full run as `tally run` does: the run, its exceptions and audit entries, and the Slack
 * messages of what it changed queued in the same transaction. `tally serve` delivers them; a run
 * that fails to save leaves no message behind.
 */
import type { Knex } from 'knex';
import { notifyRunFindings } from '../bot/notify-findings.ts';
import { notifyRun } from '../bot/notify.ts';
import type { RunResult } from '../engine/core/recon/types.ts';
import type { Ruleset } from '../engine/core/rules/types.ts';
import { persistRun, type PersistSummary } from '../engine/services/exceptions/persist-run.ts';
import { ownerOf } from '../engine/services/impact/labels.ts';

/** How long the queueing of the run's messages took, for who measures the save. */
export type SaveTimings = { queueMessagesMs: number };

export async function saveRunWithMessages(
  db: Knex,
  run: RunResult,
  ruleset: Ruleset,
  timings?: SaveTimings,
): Promise<PersistSummary> {
  return persistRun(db, run, {
    owners: (k) => ownerOf(ruleset, k),
    onPersisted: async (trx, summary) => {
      const started = performance.now();
      await notifyRunFindings(trx, ruleset, run);
      await notifyRun(trx, ruleset, summary);
      if (timings) timings.queueMessagesMs = performance.now() - started;
    },
  });
}
