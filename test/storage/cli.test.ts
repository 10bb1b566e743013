import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../engine/services/store/db.ts';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import { keyResult, ownerByLocation, runResult } from './fixtures.ts';

const bin = new URL('../../bin/tally.mjs', import.meta.url).pathname;

describe('storage commands in a fresh folder (SQLite default file)', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'tally-cli-'));
  const env = { ...process.env, TALLY_DATABASE_URL: '' };
  const tally = (...args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], { cwd, env, encoding: 'utf8' });
  let db: Db;

  beforeAll(async () => {
    expect(tally('exceptions', 'list').stdout).toBe('no exceptions match\n');
    db = await openDb({ cwd });
    const results = [
      keyResult({ sku: 'SKU-A', location: 'WH1', severity: 'high' }),
      keyResult({ sku: 'SKU-B', location: 'WH2' }),
    ];
    await persistRun(db, runResult({ runId: 'cli1', asOf: '2026-11-01T00:00:00.000Z', results }), {
      owners: ownerByLocation,
    });
  });
  afterAll(async () => {
    await db.destroy();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('lists and filters exceptions, as a table and as JSON', () => {
    const table = tally('exceptions', 'list');
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/SKU-A/);
    const json = JSON.parse(
      tally('exceptions', 'list', '--severity', 'high', '--format', 'json').stdout,
    );
    expect(json.map((e: { sku: string }) => e.sku)).toEqual(['SKU-A']);
    expect(
      JSON.parse(
        tally('exceptions', 'list', '--owner', 'ops-west', '--age', '1d', '--format', 'json')
          .stdout,
      ),
    ).toHaveLength(1);
    const show = tally('exceptions', 'show', String(json[0].id));
    expect(show.stdout).toMatch(/history:\n.*-> open {2}by tally/);
    const bad = tally('exceptions', 'list', '--state', 'nope');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown state "nope".*\[BAD_STATE\]/);
  });

  it('prints KPIs and verifies, then catches a tampered audit trail', async () => {
    const kpi = tally('kpi', '--by', 'owner');
    expect(kpi.status).toBe(0);
    expect(kpi.stdout).toMatch(/^ops-east /m);
    expect(tally('audit', 'verify').stdout).toMatch(/intact: 3 entries/);
    expect(tally('audit', 'export', '--format', 'csv').stdout.trim().split('\n')).toHaveLength(4);
    await db('audit_log').where({ seq: 2 }).update({ actor: 'mallory' });
    const broken = tally('audit', 'verify');
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/BROKEN at entry 2 \(hash_mismatch\)/);
    expect(tally('db', 'status').stdout).toMatch(/pending: {2}\(none\)/);
  });
});
