/**
 * Saving a full run, as `tally run` and `tally serve`'s scheduled and requested runs do: the run,
 * its exceptions and audit entries, and the Slack messages of what it changed queued in the same
 * transaction. `tally serve` delivers them; a run that fails to save leaves no message behind,
 * and one whose messages cannot be queued is not saved.
 */
import type { Knex } from 'knex';
import { notifyRunFindings } from '../bot/notify-findings.ts';
import { notifyRun } from '../bot/notify.ts';
import type { RunResult } from '../engine/core/recon/types.ts';
import type { Ruleset } from '../engine/core/rules/types.ts';
import { persistRun, type PersistSummary } from '../engine/services/exceptions/persist-run.ts';
import { ownerOf } from '../engine/services/impact/labels.ts';
import { previousInputs } from '../engine/services/exceptions/prior.ts';
import { shrunkFiles } from './run-findings.ts';

/** How long the queueing of the run's messages took, for who measures the save. */
export type SaveTimings = { queueMessagesMs: number };

export type SaveOptions = {
  /** The time the messages are queued at (default: now). */
  now?: Date;
  timings?: SaveTimings;
  /** Queue the run's Slack messages (default); false where no one is there to read them. */
  messages?: boolean;
};

/** The run saved, and how many messages it queued (its findings' and its exceptions'). */
export type SavedRun = { summary: PersistSummary; queued: number };

export async function saveRunWithMessages(
  db: Knex,
  run: RunResult,
  ruleset: Ruleset,
  opts: SaveOptions = {},
): Promise<SavedRun> {
  let queued = 0;
  // a snapshot file far smaller than the run before's: said with the run's findings
  const previous = await previousInputs(db, run);
  if (previous) run.runFindings.push(...shrunkFiles(ruleset, run.inputs, previous));
  const summary = await persistRun(db, run, {
    owners: (k) => ownerOf(ruleset, k),
    onPersisted: async (trx, persisted) => {
      if (opts.messages === false) return;
      const started = performance.now();
      queued += await notifyRunFindings(trx, ruleset, run, opts.now);
      queued += await notifyRun(trx, ruleset, persisted, opts.now);
      if (opts.timings) opts.timings.queueMessagesMs = performance.now() - started;
    },
  });
  return { summary, queued };
}
