/**
 * `tally run` killed with SIGKILL at random points (seeded), on SQLite and PostgreSQL: after each
 * kill the database holds either nothing of that run or all of it, the audit chain verifies, and
 * a rerun ends with the same exceptions as one clean run, each message queued once.
 * TALLY_FAULT_SEEDS sets how many kill points per database (default 2; the full fault suite 12).
 * Odd seeds kill at a random point of the run, even seeds inside a write transaction.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knex from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../engine/services/audit/verify.ts';
import { openDb, type Db } from '../../engine/services/store/db.ts';
import { createRng } from '../../demo/prng.ts';
import { generateDemo, type DemoResult } from '../../demo/index.ts';

const bin = new URL('../../bin/tally.mjs', import.meta.url).pathname;
const SEEDS = Number(process.env.TALLY_FAULT_SEEDS ?? 2);
const MIGRATIONS = readdirSync(
  new URL('../../engine/services/store/migrations/', import.meta.url),
).filter((f) => /^\d+_.*\.ts$/.test(f)).length;

/** Seeded, so a failing case can be replayed from its seed. */
const rng = (seed: number) => createRng(seed).next;

type Target = {
  name: string;
  fresh: () => Promise<string>;
  cleanup: () => Promise<void>;
  /** Resolves once a run writing to url is inside a write transaction (or gives up). */
  saving: (url: string, deadline: number) => Promise<boolean>;
};

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sqliteTarget(): Target {
  const dir = mkdtempSync(join(tmpdir(), 'tally-crash-'));
  let n = 0;
  return {
    name: 'sqlite',
    fresh: async () => join(dir, `tally-${n++}.db`),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    // once migrated, a write lock the run holds (BEGIN IMMEDIATE refused) is one of its transactions
    async saving(file, deadline) {
      while (Date.now() < deadline) {
        await pause(2);
        if (!existsSync(file)) continue;
        const probe = new Database(file, { timeout: 0 });
        try {
          const migrated = probe
            .prepare("select count(*) as n from sqlite_master where name = 'tally_migrations'")
            .get() as { n: number };
          if (!migrated.n) continue;
          const done = probe.prepare('select count(*) as n from tally_migrations').get() as {
            n: number;
          };
          if (done.n < MIGRATIONS) continue;
          probe.exec('BEGIN IMMEDIATE');
          probe.exec('ROLLBACK');
        } catch (e) {
          if ((e as { code?: string }).code === 'SQLITE_BUSY') return true;
        } finally {
          probe.close();
        }
      }
      return false;
    },
  };
}

function postgresTarget(url: string): Target {
  const made: string[] = [];
  const admin = () => knex({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
  return {
    name: 'postgres',
    async fresh() {
      const name = `tally_crash_${randomBytes(5).toString('hex')}`;
      const a = admin();
      await a.raw('create database ??', [name]);
      await a.destroy();
      made.push(name);
      const u = new URL(url);
      u.pathname = `/${name}`;
      return u.toString();
    },
    // once migrated, a backend of the run inside a transaction that writes is one of its saves
    async saving(target, deadline) {
      const name = new URL(target).pathname.slice(1);
      const a = admin();
      const inDb = knex({ client: 'pg', connection: target, pool: { min: 0, max: 1 } });
      try {
        let migrated = false;
        while (Date.now() < deadline) {
          if (!migrated) {
            const done = await inDb('tally_migrations')
              .count({ n: '*' })
              .then(
                (r) => Number(r[0]!.n),
                () => 0,
              );
            migrated = done >= MIGRATIONS;
          }
          if (migrated) {
            const { rows } = (await a.raw(
              `select 1 from pg_stat_activity where datname = ? and pid <> pg_backend_pid()
                 and (state = 'idle in transaction'
                      or (state = 'active' and xact_start < query_start))`,
              [name],
            )) as { rows: unknown[] };
            if (rows.length) return true;
          }
          await pause(2);
        }
        return false;
      } finally {
        await inDb.destroy();
        await a.destroy();
      }
    },
    async cleanup() {
      const a = admin();
      for (const name of made.splice(0))
        await a.raw('drop database if exists ?? with (force)', [name]);
      await a.destroy();
    },
  };
}

function targets(): Target[] {
  const url = process.env.TEST_DATABASE_URL;
  if (url) return [sqliteTarget(), postgresTarget(url)];
  if (process.env.TALLY_REQUIRE_PG === '1')
    throw new Error('TALLY_REQUIRE_PG=1 without TEST_DATABASE_URL');
  return [sqliteTarget()];
}

type Snapshot = { exceptions: string[]; posts: number; runs: number };

async function inspect(url: string): Promise<Snapshot & { problems: string[] }> {
  const db: Db = await openDb({ url });
  try {
    const problems: string[] = [];
    const runs = (await db('runs').select('id')) as { id: string }[];
    const runIds = new Set(runs.map((r) => r.id));
    const resultRuns = (await db('run_results').distinct('run_id')) as { run_id: string }[];
    for (const r of resultRuns)
      if (!runIds.has(r.run_id)) problems.push(`results of run ${r.run_id}, which is not saved`);
    const counts = (await db('run_results')
      .select('run_id')
      .count({ n: '*' })
      .groupBy('run_id')) as {
      run_id: string;
      n: number | string;
    }[];
    if (new Set(counts.map((c) => Number(c.n))).size > 1)
      problems.push(`runs with different result counts: ${JSON.stringify(counts)}`);
    const exceptions = (await db('exceptions')
      .select('id', 'fingerprint', 'state', 'severity', 'cause', 'last_run_id')
      .orderBy('fingerprint')) as {
      id: number;
      fingerprint: string;
      state: string;
      severity: string;
      cause: string;
      last_run_id: string;
    }[];
    for (const e of exceptions)
      if (!runIds.has(e.last_run_id)) problems.push(`exception ${e.id} of an unsaved run`);
    const verified = await verifyAudit(db, { key: null });
    if (!verified.ok) problems.push(`audit: ${JSON.stringify(verified)}`);
    const posts = Number(
      (
        (await db('outbox')
          .whereIn(
            'outbox_key',
            exceptions.map((e) => `exception:${e.id}`),
          )
          .count({ n: '*' })) as { n: number }[]
      )[0]!.n,
    );
    return {
      problems,
      runs: runs.length,
      posts,
      exceptions: exceptions.map((e) => `${e.fingerprint} ${e.state} ${e.severity} ${e.cause}`),
    };
  } finally {
    await db.destroy();
  }
}

describe.each(targets())('tally run killed at random points on $name', (target) => {
  let demo: DemoResult;
  let reference: Snapshot;
  let runMs = 0;
  const args = () => [
    'run',
    '--data',
    demo.dataDir,
    '--as-of',
    demo.truth.asOf,
    '--format',
    'json',
  ];
  const env = (url: string) => ({ ...process.env, TALLY_DATABASE_URL: url, TALLY_AUDIT_KEY: '' });

  beforeAll(async () => {
    demo = await generateDemo({ dir: mkdtempSync(join(tmpdir(), 'tally-crash-demo-')) });
    const url = await target.fresh();
    const t0 = Date.now();
    const clean = spawnSync(process.execPath, [bin, ...args()], {
      env: env(url),
      encoding: 'utf8',
    });
    runMs = Date.now() - t0;
    expect(clean.stderr).not.toMatch(/defect/i);
    const snap = await inspect(url);
    expect(snap.problems).toEqual([]);
    expect(snap.exceptions.length).toBeGreaterThan(0);
    reference = snap;
  }, 120_000);
  afterAll(async () => {
    await target.cleanup();
    rmSync(demo.dir, { recursive: true, force: true });
  });

  it.each(Array.from({ length: SEEDS }, (_, i) => i + 1))(
    'seed %i: nothing partial after the kill, the rerun equals a clean run',
    async (seed) => {
      const url = await target.fresh();
      const random = rng(seed);
      const inSave = seed % 2 === 0;
      const started = Date.now();
      const child = spawn(process.execPath, [bin, ...args()], { env: env(url), stdio: 'ignore' });
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      let caught = false;
      if (inSave) {
        caught = await target.saving(url, Date.now() + runMs * 4);
        await pause(Math.round(random() * 40));
      } else {
        await pause(Math.round(runMs * (0.2 + 0.9 * random())));
      }
      const killAfter = Date.now() - started;
      child.kill('SIGKILL');
      await exited;

      const after = await inspect(url).catch(() => null); // a kill before the migrations ran
      if (after) expect(after.problems, `killed after ${killAfter} ms`).toEqual([]);
      process.stderr.write(
        `crash ${target.name} seed ${seed}: SIGKILL after ${killAfter} of ${runMs} ms${inSave ? (caught ? ', inside a write transaction' : ', no write seen') : ''}, ${after?.runs ?? 0} run(s) saved\n`,
      );

      const rerun = spawnSync(process.execPath, [bin, ...args()], {
        env: env(url),
        encoding: 'utf8',
      });
      expect(rerun.stderr).not.toMatch(/defect/i);
      const final = await inspect(url);
      expect(final.problems).toEqual([]);
      expect(final.exceptions).toEqual(reference.exceptions);
      expect(final.posts).toBe(reference.posts);
    },
    180_000,
  );
});
