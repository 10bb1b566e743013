/**
 * `tally close` end to end on the demo world (SQLite default file; the engine's close tests run
 * on PostgreSQL too): a dry run, the close with its journal file, verify, the lock on a late
 * correction, reopen refused and allowed, and verify catching a tampered audit row.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../engine/services/store/db.ts';
import { loadRulesetOrThrow } from '../../engine/core/rules/load.ts';
import { approveAndApply, proposeCorrection } from '../../engine/services/corrections/index.ts';
import type { Roles } from '../../engine/core/rules/types.ts';

const bin = new URL('../../bin/tally.mjs', import.meta.url).pathname;
const RESOLVER = { id: 'U0RESOLVER1', groups: ['S0INVCTRL01'] };

describe('tally close on the demo world', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'tally-close-'));
  const env = { ...process.env, TALLY_DATABASE_URL: '', TALLY_FROM_SOURCE: '1', TALLY_ACTOR: '' };
  const tally = (...args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], { cwd, env, encoding: 'utf8' });
  let db: Db;
  let roles: Roles;

  const correct = async (exceptionId: number, delta: number, reasonCode: string, at: string) => {
    const { correction } = await proposeCorrection(db, roles, {
      exceptionId,
      actor: RESOLVER,
      system: 'erp',
      deltaQuantity: delta,
      reasonCode,
      at,
    });
    return approveAndApply(db, roles, {
      correctionId: correction.id,
      actor: { id: 'U0CONTROLLR' },
      at,
    });
  };

  beforeAll(async () => {
    const demo = tally('demo', '--dir', 'demo', '--skus', '12');
    expect(demo.status, demo.stderr).toBe(0);
    db = await openDb({ cwd });
    roles = (await loadRulesetOrThrow(join(cwd, 'demo', 'rules'))).roles;
    const [first] = (await db('exceptions').orderBy('id')) as { id: number; variance: number }[];
    await correct(
      first!.id,
      -Number(first!.variance),
      'PHYSICAL_COUNT',
      '2026-11-25T10:00:00.000Z',
    );
  }, 60_000);
  afterAll(async () => {
    await db.destroy();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('explains itself and refuses a period that is not a month', () => {
    const help = tally('close', '--help');
    expect(help.stdout).toMatch(/--dry-run/);
    expect(help.stdout).toMatch(/reopen \[options\]/);
    expect(tally('close', 'reopen', '--help').stdout).toMatch(/--reason <text>/);
    const bad = tally('close', '--period', '2026-13', '--data', 'demo');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(
      'tally: --period must be a month written YYYY-MM (for example 2026-11), got "2026-13" [BAD_PERIOD]\n',
    );
  });

  it('previews with --dry-run: the open value is the KPI one, nothing is stored', () => {
    const dry = tally(
      'close',
      '--period',
      '2026-11',
      '--data',
      'demo',
      '--dry-run',
      '--format',
      'json',
    );
    expect(dry.status, dry.stderr).toBe(0);
    const report = JSON.parse(dry.stdout);
    const kpi = JSON.parse(
      tally('kpi', '--since', '2026-11-01', '--until', '2026-11-30', '--format', 'json').stdout,
    );
    expect(report.totals.openValueMinor).toBe(kpi.total.openVarianceValueAtCloseMinor);
    expect(report.totals.openValueMinor).toBeGreaterThan(0);
    expect(report.totals.positionsValueMinor).toBe(
      report.positions.reduce((a: number, p: { valueMinor: number }) => a + p.valueMinor, 0),
    );
    expect(report.journal).toHaveLength(2);
    expect(existsSync(join(cwd, 'tally-journal-2026-11.csv'))).toBe(false);
    expect(tally('close', 'verify', '--period', '2026-11').stderr).toMatch(/never closed/);
  });

  it('closes, writes a balanced journal for the ERP, and verifies', () => {
    const close = tally('close', '--period', '2026-11', '--data', 'demo', '--as', 'U0INVMGR001');
    expect(close.status, close.stderr).toBe(0);
    expect(close.stdout).toMatch(/^Closed 2026-11: positions as of 2026-11-30T23:59:59.999Z$/m);
    expect(close.stdout).toMatch(
      /period 2026-11 is locked\. Audit head at close .*:\n {2}\d+-[0-9a-f]{64}\n/,
    );
    const csv = readFileSync(join(cwd, 'tally-journal-2026-11.csv'), 'utf8')
      .trimEnd()
      .split('\r\n');
    expect(csv).toHaveLength(3);
    const [debit, credit] = csv.slice(1).map((l) => l.split(','));
    expect(debit![3]).not.toBe(credit![3]);
    expect(debit![4]).toBe(credit![5]);
    expect(Number(debit![4])).toBeGreaterThan(0);
    expect(tally('close', 'journal', '--period', '2026-11').stdout.trimEnd().split('\r\n')).toEqual(
      csv,
    );
    const again = tally('close', '--period', '2026-11', '--data', 'demo');
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(
      /period 2026-11 is already closed \(by U0INVMGR001 at .*\[PERIOD_CLOSED\]/,
    );
    const verify = tally('close', 'verify', '--period', '2026-11');
    expect(verify.status, verify.stdout).toBe(0);
    expect(verify.stdout).toMatch(/^period 2026-11: as closed$/m);
  });

  it('books a correction dated in the closed month on the first day of the next one', async () => {
    const [, second] = (await db('exceptions').orderBy('id')) as { id: number; variance: number }[];
    const done = await correct(second!.id, 1, 'FOUND', '2026-11-28T09:00:00.000Z');
    expect(done.applied?.notice).toMatch(
      /^period 2026-11 is closed \(closed by U0INVMGR001 at .*\), so correction \d+ cannot be dated 2026-11-28T09:00:00.000Z; it is booked on 2026-12-01T00:00:00.000Z in the next open period, 2026-12\./,
    );
    expect(tally('close', 'verify', '--period', '2026-11').status).toBe(0);
  });

  it('refuses to save a run dated in the closed month, and still reconciles it unsaved', () => {
    const runsBefore = tally('audit', 'export', '--format', 'json').stdout;
    const args = ['run', '--data', 'demo'];
    const refused = tally(...args, '--as-of', '2026-11-20T23:00:00Z');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(
      /the as-of 2026-11-20T23:00:00.000Z falls in 2026-11, closed by U0INVMGR001 at .*--no-persist.*tally close reopen --period 2026-11.*\[PERIOD_CLOSED\]/,
    );
    expect(tally('audit', 'export', '--format', 'json').stdout).toBe(runsBefore);
    const unsaved = tally(...args, '--as-of', '2026-11-20T23:00:00Z', '--no-persist');
    expect(unsaved.status, unsaved.stderr).not.toBe(2);
    expect(unsaved.stdout).toMatch(/exception/i);
    expect(tally('close', 'verify', '--period', '2026-11').status).toBe(0);
  });

  it('reopens only for another approver, and audits every attempt', () => {
    const reopen = (as: string) =>
      tally(
        'close',
        'reopen',
        '--period',
        '2026-11',
        '--reason',
        'vendor credit',
        '--as',
        as,
        '--rules',
        'demo/rules',
      );
    const lead = reopen('U0EASTLEAD1');
    expect(lead.status).toBe(2);
    expect(lead.stderr).toMatch(/U0EASTLEAD1 has no approver role for .*WH-WEST.*\[NOT_APPROVER\]/);
    expect(reopen('U0INVMGR001').stderr).toMatch(
      /closed 2026-11 and cannot reopen it.*\[SELF_REOPEN\]/,
    );
    const ok = reopen('U0CONTROLLR');
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^period 2026-11 reopened by U0CONTROLLR at .*: vendor credit$/m);
    const audit = tally('audit', 'export', '--format', 'json');
    const actions = (JSON.parse(audit.stdout) as { action: string; actor: string }[])
      .filter((e) => e.action.startsWith('period.'))
      .map((e) => `${e.action} ${e.actor}`);
    expect(actions).toEqual([
      'period.closed U0INVMGR001',
      'period.reopen_denied U0EASTLEAD1',
      'period.reopen_denied U0INVMGR001',
      'period.reopened U0CONTROLLR',
    ]);
  });

  it('verify exits 1 naming the entry when an audit row was changed after the close', async () => {
    const entry = await db('audit_log').where({ action: 'correction.applied' }).first();
    await db('audit_log').where({ seq: entry.seq }).update({ after: '{"state":"applied"}' });
    const verify = tally('close', 'verify', '--period', '2026-11');
    expect(verify.status).toBe(1);
    expect(verify.stdout).toMatch(/^period 2026-11: CHANGED SINCE CLOSE$/m);
    expect(verify.stdout).toContain(`FAIL audit chain: broken at entry ${entry.seq}`);
  });
});
