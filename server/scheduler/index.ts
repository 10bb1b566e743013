/**
 * The scheduler: node-cron jobs (reconciliation per source group, the daily digest, reminders),
 * each fire claimed in the database so that with several replicas every fire runs exactly once.
 */
import { randomUUID } from 'node:crypto';
import cron, { type ScheduledTask } from 'node-cron';
import type { Knex } from 'knex';
import { InputError } from '../../engine/core/errors.ts';
import { claimFire, finishFire, type ClaimResult } from './claims.ts';
import type { Log, LogFields } from '../../engine/core/log.ts';

export type Job = {
  name: string;
  cron: string;
  timezone?: string;
  run: (fireTime: Date) => Promise<void>;
};

export type SchedulerOptions = {
  db: Knex;
  jobs: Job[];
  replica?: string;
  /** A running claim older than this no longer blocks the next fire (crashed replica). */
  leaseMs?: number;
  log?: Log;
};

export class Scheduler {
  readonly replica: string;
  private tasks: ScheduledTask[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: SchedulerOptions) {
    this.replica = options.replica ?? `replica-${randomUUID().slice(0, 8)}`;
    for (const job of options.jobs) {
      if (!cron.validate(job.cron)) {
        throw new InputError('BAD_CRON', `job ${job.name}: "${job.cron}" is not a cron expression`);
      }
    }
  }

  start(): void {
    for (const job of this.options.jobs) {
      const task = cron.schedule(
        job.cron,
        (ctx) => {
          const p = this.fire(job, ctx.date);
          this.inFlight.add(p);
          void p.finally(() => this.inFlight.delete(p));
        },
        { name: `${job.name}@${this.replica}`, timezone: job.timezone, noOverlap: false },
      );
      this.tasks.push(task);
    }
  }

  async stop(): Promise<void> {
    for (const task of this.tasks) await task.destroy();
    this.tasks = [];
    await Promise.allSettled([...this.inFlight]);
  }

  /** Claims and, when this replica wins, runs one fire of a job. */
  async fire(job: Job, fireTime: Date): Promise<ClaimResult> {
    const { db } = this.options;
    const claim = await claimFire(
      db,
      job.name,
      fireTime,
      this.replica,
      this.options.leaseMs ?? 3_600_000,
    );
    if (claim !== 'claimed') return claim;
    try {
      await job.run(fireTime);
      await finishFire(db, job.name, fireTime, 'done');
    } catch (error) {
      await finishFire(db, job.name, fireTime, 'failed');
      this.log(
        `job ${job.name} failed: ${error instanceof Error ? error.message : String(error)}`,
        {
          job: job.name,
          fireTime: fireTime.toISOString(),
          replica: this.replica,
        },
      );
    }
    return 'claimed';
  }

  private log(line: string, fields?: LogFields): void {
    if (this.options.log) this.options.log(line, fields);
    else process.stderr.write(`${line}\n`);
  }
}
