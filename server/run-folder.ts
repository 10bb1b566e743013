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
  /** Each finding's code and what it is about (source, file), in the run's order. */
  findingsAbout: string[];
  /** Open exceptions left as they were: the run did not make their comparison. */
  notCompared: number;
  /** A saved full run as of a later time (this one is history: what that run decided stands). */
  laterFullRunAsOf?: string;
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
    findingsAbout: run.runFindings.map((f) => `${f.code} ${f.file ?? f.source}`),
    notCompared: summary.notCompared.length,
    ...(summary.laterFullRunAsOf ? { laterFullRunAsOf: summary.laterFullRunAsOf } : {}),
  };
}

/** FINDINGS_SHOWN findings are named in `/tally run`'s answer; the rest are counted. */
const FINDINGS_SHOWN = 5;

/**
 * `/tally run`'s answer: what it opened and resolved, and what the person asking must not miss:
 * a partial run (its findings, posted to their owners in full), the exceptions it left as they
 * were, a later saved run that stands.
 */
export function runAnswer(run: FolderRun): string {
  const lines = [
    `Run ${run.runId.slice(0, 8)} finished: ${run.opened} new exception(s), ` +
      `${run.resolved} resolved, ${run.notified} message(s) queued.`,
  ];
  if (run.findings > 0) {
    const shown = run.findingsAbout.slice(0, FINDINGS_SHOWN).join('; ');
    const more = run.findings > FINDINGS_SHOWN ? ` and ${run.findings - FINDINGS_SHOWN} more` : '';
    lines.push(
      `:warning: Partial run, ${run.findings} finding(s): ${shown}${more}. Their owners have the details.`,
    );
  }
  if (run.notCompared > 0)
    lines.push(
      `${run.notCompared} open exception(s) left as they were, not resolved: this run did not make their comparison.`,
    );
  if (run.laterFullRunAsOf)
    lines.push(`A saved run as of ${run.laterFullRunAsOf} is later: what it decided stands.`);
  return lines.join('\n');
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
  return { text: runAnswer(run), run };
}
