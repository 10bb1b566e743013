/**
 * An incremental run saw only the touched keys, so persistence (rightly) resolves nothing by
 * absence across the board. For the keys it did see, absence is proof: a live exception on a
 * touched key whose fingerprint the run did not raise again has gone away, and is resolved in
 * the same transaction as the run.
 */
import type { Knex } from 'knex';
import { fingerprintOf } from '../../engine/store/runs.ts';
import { transition } from '../../engine/exceptions/transition.ts';
import { LIVE_STATES } from '../../engine/exceptions/states.ts';
import type { Key, RunResult } from '../../engine/recon/types.ts';

export async function resolveVanished(
  trx: Knex.Transaction,
  run: RunResult,
  keys: Key[],
): Promise<number[]> {
  const raised = new Set(
    run.results.filter((r) => r.outcome.type === 'exception').map((r) => fingerprintOf(r)),
  );
  const touched = new Set(keys.map((k) => `${k.sku}|${k.location}|${k.bucket}`));
  const skus = [...new Set(keys.map((k) => k.sku))];
  const live = (await trx('exceptions')
    .whereIn('sku', skus)
    .whereIn('state', LIVE_STATES as string[])
    .select('id', 'sku', 'location', 'bucket', 'fingerprint')) as {
    id: number;
    sku: string;
    location: string;
    bucket: string;
    fingerprint: string;
  }[];
  const gone = live.filter(
    (e) => touched.has(`${e.sku}|${e.location}|${e.bucket}`) && !raised.has(e.fingerprint),
  );
  for (const e of gone) {
    await transition(trx, {
      exceptionId: Number(e.id),
      to: 'resolved',
      actor: 'tally',
      at: run.asOf,
      reason: `difference gone in real-time run ${run.runId}`,
    });
  }
  return gone.map((e) => Number(e.id));
}
