import { afterAll, describe, expect, it } from 'vitest';
import { Scheduler, type Job } from '../../server/scheduler/index.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { PG_URL, pgSchema } from './db.ts';

const requirePg = process.env.TALLY_REQUIRE_PG === '1';
const describePg = PG_URL || requirePg ? describe : describe.skip;

describePg('scheduler on a shared PostgreSQL', () => {
  const opened: Db[] = [];
  let drop: (() => Promise<void>) | undefined;
  afterAll(async () => {
    for (const db of opened) await db.destroy();
    await drop?.();
  });

  it('three replicas, 20 cron ticks → 20 runs, none overlapping', async () => {
    const schema = await pgSchema();
    drop = schema.drop;
    const runs: { replica: string; fire: string; startMs: number; endMs: number }[] = [];
    const replicas: Scheduler[] = [];
    for (let i = 0; i < 3; i++) {
      const db = await schema.open();
      opened.push(db);
      const replica = `replica-${i}`;
      const job: Job = {
        name: 'reconcile:default',
        cron: '* * * * * *',
        run: async (fireTime) => {
          const startMs = Date.now();
          await new Promise((r) => setTimeout(r, 200));
          runs.push({ replica, fire: fireTime.toISOString(), startMs, endMs: Date.now() });
        },
      };
      replicas.push(new Scheduler({ db, jobs: [job], replica, log: () => {} }));
    }
    const first = opened[0]!;
    for (const s of replicas) s.start();
    // wait for 20 claimed ticks (the behaviour under test), not for a wall-clock duration
    while (Number((await first('job_claims').count({ n: '*' }))[0]?.n ?? 0) < 20) {
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const s of replicas) await s.stop();
    const claims = await first('job_claims').orderBy('fire_time').limit(20);
    const fires = claims.map((c) => c.fire_time as string);
    expect(new Set(fires).size).toBe(20);
    const counted = runs.filter((r) =>
      fires.includes(new Date(Math.floor(Date.parse(r.fire) / 1000) * 1000).toISOString()),
    );
    expect(counted).toHaveLength(20);
    const sorted = [...runs].sort((a, b) => a.startMs - b.startMs);
    for (let i = 1; i < sorted.length; i++) {
      expect(sorted[i]!.startMs).toBeGreaterThanOrEqual(sorted[i - 1]!.endMs);
    }
    expect(new Set(runs.map((r) => r.replica)).size).toBeGreaterThan(0);
  }, 90_000);
});
