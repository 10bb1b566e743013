/**
 * A run's findings reach the team that owns the source: one message per finding in the owner's
 * channel, queued in the outbox with the run (so a run that fails to save sends nothing), keyed
 * by run and finding so that a retry never posts twice.
 */
import type { Knex } from 'knex';
import type { RunFinding } from '../engine/core/recon/types.ts';
import type { Ruleset } from '../engine/core/rules/types.ts';
import { inPilot } from '../engine/core/rules/pilot.ts';
import { knexOutboxStore } from './outbox/store.ts';
import { channelFor } from './notify.ts';
import { cut, LIMITS } from './views/clamp.ts';

export function findingText(runId: string, asOf: string, f: RunFinding): string {
  const where = f.file ? ` · ${f.file}` : '';
  return `:warning: Run ${runId.slice(0, 8)} (as of ${asOf}) — source ${f.source}${where}: ${f.code}\n${f.message}`;
}

/** Queues one message per run finding for its source's owner; returns how many were queued. */
export async function notifyRunFindings(
  db: Knex,
  ruleset: Pick<Ruleset, 'receivers' | 'sources'> & Partial<Pick<Ruleset, 'pilot'>>,
  run: { runId: string; asOf: string; runFindings: RunFinding[] },
  now = new Date(),
): Promise<number> {
  const store = knexOutboxStore(db);
  let queued = 0;
  for (const [i, f] of run.runFindings.entries()) {
    if (inPilot(ruleset, { source: f.source })) continue;
    const owner = ruleset.sources.get(f.source)?.owner;
    const channel = owner ? channelFor(ruleset, owner) : null;
    if (!channel) continue;
    const key = `run:${run.runId}:finding:${i}`;
    const text = cut(findingText(run.runId, run.asOf, f), LIMITS.sectionTextChars);
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text } }];
    const metadata = {
      event_type: 'tally_run_finding',
      event_payload: { run_id: run.runId, code: f.code, source: f.source, outbox_key: key },
    };
    if (await store.enqueue(key, { kind: 'post', channel, text, blocks, metadata }, now)) queued++;
  }
  return queued;
}
