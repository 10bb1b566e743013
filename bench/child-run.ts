/**
 * One measured run in a fresh process: `tally <rules> <data> <asOf>` reconciles the folder,
 * `duckdb <data>` runs the baseline diff. Prints one JSON line with the figures on stdout.
 */
import { ingest } from '../connectors/ingest.ts';
import { CONNECTORS } from '../connectors/registry.ts';
import { createIntake } from '../engine/core/normalize/intake.ts';
import { reconcile } from '../engine/core/recon/reconcile.ts';
import { loadRulesetOrThrow } from '../engine/core/rules/load.ts';
import { duckDbDiff } from './duckdb-diff.ts';

export type ChildFigures = {
  wallMs: number;
  maxRssMiB: number;
  phases?: {
    parseMs: number;
    normalizeMs: number;
    ledgerMs: number;
    matchMs: number;
    classifyMs: number;
  };
  evaluated?: number;
  compared?: number;
  differing?: number;
};

async function runTally(rulesDir: string, dataDir: string, asOf: string): Promise<ChildFigures> {
  const started = performance.now();
  const ruleset = await loadRulesetOrThrow(rulesDir, {
    knownConnectors: CONNECTORS.map((c) => c.id),
  });
  const intake = createIntake(ruleset);
  const readStart = performance.now();
  await ingest(ruleset, dataDir, intake, { asOf });
  const parseMs = performance.now() - readStart;
  const run = await reconcile(intake, { asOf, parseMs });
  const { normalizeMs, ledgerMs, matchMs, classifyMs } = run.durations;
  const exceptions = Object.values(run.summary.exceptions).reduce((a, b) => a + b, 0);
  const explained = Object.values(run.summary.explained).reduce((a, b) => a + b, 0);
  return {
    wallMs: performance.now() - started,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    phases: { parseMs, normalizeMs, ledgerMs, matchMs, classifyMs },
    evaluated: run.summary.rulesEvaluated,
    compared: run.summary.compared,
    differing: exceptions + explained,
  };
}

async function runDuck(dataDir: string): Promise<ChildFigures> {
  const started = performance.now();
  const { differing } = await duckDbDiff(dataDir);
  return {
    wallMs: performance.now() - started,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    differing,
  };
}

const [mode, ...args] = process.argv.slice(2);
const figures =
  mode === 'duckdb' ? await runDuck(args[0]!) : await runTally(args[0]!, args[1]!, args[2]!);
process.stdout.write(`${JSON.stringify(figures)}\n`);
