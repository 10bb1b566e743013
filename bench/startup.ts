/**
 * Start-up of the `tally` command as people run it: fresh processes, medians, the compiled build
 * beside the sources run through tsx (how Tally ran before it had a build), and `node -e ""` as
 * the floor measured in the same run (the machine is shared: read the ratios).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmtMs, table } from '../cli/render/text.ts';
import { median } from './stats.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'tally.mjs');

type Case = { name: string; args: string[]; targetMs?: number };

const CASES: Case[] = [
  { name: 'node -e ""', args: [] },
  { name: 'tally --version', args: ['--version'], targetMs: 150 },
  {
    name: 'tally rules validate',
    args: ['rules', 'validate', join(ROOT, 'rules')],
    targetMs: 600,
  },
  { name: 'tally exceptions list', args: ['exceptions', 'list'], targetMs: 500 },
];

export type StartupFigure = { name: string; builtMs: number; sourceMs: number; targetMs?: number };

function timeOnce(args: string[], fromSource: boolean, cwd: string): number {
  const env = { ...process.env, TALLY_FROM_SOURCE: fromSource ? '1' : '0' };
  const argv = args.length === 0 ? ['-e', ''] : [BIN, ...args];
  const started = performance.now();
  const r = spawnSync(process.execPath, argv, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr.toString().trim()}`);
  return ms;
}

export function runStartupBench(runs: number, log: (line: string) => void): StartupFigure[] {
  // its own working directory, so `exceptions list` opens (and first migrates) a fresh database
  const cwd = mkdtempSync(join(tmpdir(), 'tally-startup-'));
  try {
    timeOnce(['exceptions', 'list'], false, cwd); // migrate once, outside the measurement
    return CASES.map((c) => {
      log(`Start-up: ${c.name} (${runs} fresh processes each way) …`);
      const built: number[] = [];
      const source: number[] = [];
      // interleaved, so a burst of load on the shared machine hits both alike
      for (let i = 0; i < runs; i++) {
        built.push(timeOnce(c.args, false, cwd));
        source.push(timeOnce(c.args, true, cwd));
      }
      return {
        name: c.name,
        builtMs: median(built),
        sourceMs: median(source),
        targetMs: c.targetMs,
      };
    });
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

export function renderStartup(figures: StartupFigure[]): string[] {
  const floor = figures.find((f) => f.targetMs === undefined)?.builtMs ?? 1;
  const rows = figures.map((f) => [
    f.name,
    fmtMs(f.builtMs),
    `${(f.builtMs / floor).toFixed(1)}×`,
    fmtMs(f.sourceMs),
    f.targetMs === undefined
      ? 'the floor'
      : `≤ ${fmtMs(f.targetMs)} ${f.builtMs <= f.targetMs ? 'pass' : 'FAIL'}`,
  ]);
  return [
    'Start-up (medians of fresh processes; before = the sources through tsx, as before the build)',
    ...table(['command', 'built', '÷ node', 'before', 'target'], rows),
  ];
}
