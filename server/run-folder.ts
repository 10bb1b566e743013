/**
 * A full run of the data folder and the events received live, from inside `tally serve` (a
 * scheduled group, `/tally run`): reconcile, persist, and queue the Slack messages of everything
 * the run touched.
 */
import type { Knex } from 'knex';
import { collectGarbage } from '../engine/core/collect.ts';
import { appendAudit } from '../engine/services/audit/log.ts';
import type { Ruleset } from '../engine/core/rules/types.ts';
import { replayInbound } from './inbound.ts';
import { reconcileFolder } from './pipeline.ts';
import { saveRunWithMessages } from './save-run.ts';

export type FolderRun = {
  runId: string;
  opened: number;
  resolved: number;
  notified: number;
  /** Run findings (a source failed or contributed nothing…): the run is partial. */
  findings: number;
};

export async function runFolder(
  db: Knex,
  ruleset: Ruleset,
  folders: { rulesDir: string; dataDir: string },
  now = new Date(),
  notify = true,
): Promise<FolderRun> {
  // the events received live are part of the data: without them the run would resolve what
  // they raised and the next live event would raise it again. As of now, taken after the pull:
  // a live source's positions are stamped when it was read.
  const { run } = await reconcileFolder({
    ...folders,
    extra: async (intake) => void (await replayInbound(db, intake)),
  });
  // the tables the run read into are garbage now: freed before the save adds its own memory
  await collectGarbage();
  // as `tally run`: the messages queued in the save's transaction, or nothing saved
  const { summary, queued: notified } = await saveRunWithMessages(db, run, ruleset, {
    now,
    messages: notify,
  });
  return {
    runId: run.runId,
    opened: summary.opened.length,
    resolved: summary.resolved.length,
    notified,
    findings: run.runFindings.length,
  };
}

/** `/tally run`: audited with the person who asked, answered in one line. */
export async function runRequested(
  db: Knex,
  ruleset: Ruleset,
  folders: { rulesDir: string; dataDir: string },
  actor: string,
): Promise<{ text: string; run: FolderRun }> {
  await db.transaction((trx) =>
    appendAudit(trx, {
      actor,
      action: 'run.requested',
      entityType: 'run',
      entityId: 'slack',
      rulesetVersion: ruleset.version.label,
      after: { via: '/tally run' },
    }),
  );
  const run = await runFolder(db, ruleset, folders);
  const text =
    `Run ${run.runId.slice(0, 8)} finished: ${run.opened} new exception(s), ` +
    `${run.resolved} resolved, ${run.notified} message(s) queued.`;
  return { text, run };
}
