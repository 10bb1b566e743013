/**
 * The daily pilot report: what pilot mode kept out of owner channels in the last day, posted
 * once per period to the pilot report channel (outbox key names channel and period).
 */
import type { Knex } from 'knex';
import type { PilotReport, Ruleset } from '../../engine/core/rules/types.ts';
import { periodsEnding } from '../digest/index.ts';
import { knexOutboxStore } from '../outbox/store.ts';
import { clampMessage } from '../views/clamp.ts';
import { pilotBlocks } from '../views/pilot-report.ts';
import { computePilot, type PilotFigures, type PilotScope } from './compute.ts';

export { computePilot, type PilotFigures } from './compute.ts';

/** Enqueues the report for the day ending now; returns its figures (null: no pilot channel). */
export async function enqueuePilotReport(
  db: Knex,
  ruleset: PilotScope & Partial<Pick<Ruleset, 'version'>>,
  now = new Date(),
): Promise<PilotFigures | null> {
  const report: PilotReport | undefined = ruleset.pilot?.report;
  if (!report) return null;
  const { current } = periodsEnding(now);
  const figures = await computePilot(db, ruleset, current);
  const key = `pilot-report:${report.channel}:${current.to.slice(0, 13)}`;
  const blocks = pilotBlocks(figures, ruleset.pilot!, report);
  await knexOutboxStore(db).enqueue(
    key,
    {
      kind: 'post',
      channel: report.channel,
      text: `Tally pilot report ${current.to.slice(0, 10)}: ${figures.wouldPost.count} message(s) held back from owner channels`,
      blocks: clampMessage(blocks, 'digest'),
      metadata: { event_type: 'tally_pilot_report', event_payload: { outbox_key: key } },
    },
    now,
  );
  return figures;
}
