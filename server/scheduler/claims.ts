/**
 * One run per job and fire time across replicas: every replica's cron fires, and each tries to
 * insert the (job, fire_time) row into `job_claims` (unique). Only the insert that wins runs the
 * job. A job still running on another replica (an earlier fire time) makes the claim a skip, so
 * runs of one job never overlap.
 */
import type { Knex } from 'knex';
import { dialectOf } from '../../engine/services/store/db.ts';

export type ClaimResult = 'claimed' | 'taken' | 'busy';

/** Fire times are stored to the second, so replicas whose clocks differ by ms agree on the key. */
export function fireKey(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString();
}

export async function claimFire(
  db: Knex,
  job: string,
  fireTime: Date,
  replica: string,
  leaseMs: number,
): Promise<ClaimResult> {
  const fire = fireKey(fireTime);
  const now = new Date();
  return db.transaction(async (trx) => {
    // serialise claimers of one job on PostgreSQL; SQLite has one writer anyway
    if (dialectOf(db) === 'pg')
      await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`tally:job:${job}`]);
    const existing = await trx('job_claims').where({ job, fire_time: fire }).first('id');
    if (existing) return 'taken';
    const leaseStart = new Date(now.getTime() - leaseMs).toISOString();
    const running = await trx('job_claims')
      .where({ job, status: 'running' })
      .andWhere('claimed_at', '>', leaseStart)
      .first('id');
    const status = running ? 'skipped' : 'running';
    const inserted = await trx('job_claims')
      .insert({ job, fire_time: fire, claimed_by: replica, claimed_at: now.toISOString(), status })
      .onConflict(['job', 'fire_time'])
      .ignore()
      .returning('id');
    if (inserted.length === 0) return 'taken';
    return running ? 'busy' : 'claimed';
  });
}

export async function finishFire(
  db: Knex,
  job: string,
  fireTime: Date,
  status: 'done' | 'failed',
): Promise<void> {
  await db('job_claims')
    .where({ job, fire_time: fireKey(fireTime) })
    .update({ status, finished_at: new Date().toISOString() });
}
