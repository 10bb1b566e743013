/**
 * One full run of a data folder: load the rules, ingest every source's files through the
 * connectors, reconcile, and account for every row read. Shared by `tally run` and the server's
 * scheduled and on-demand runs; it neither prints nor saves.
 */
import { randomUUID } from 'node:crypto';
import { ingest } from '../connectors/ingest.ts';
import { CONNECTORS } from '../connectors/registry.ts';
import { createIntake, type Intake } from '../engine/core/normalize/intake.ts';
import { reconcile } from '../engine/core/recon/reconcile.ts';
import type { RunResult } from '../engine/core/recon/types.ts';
import { loadRulesetOrThrow } from '../engine/core/rules/load.ts';
import type { Ruleset } from '../engine/core/rules/types.ts';
import { rejectsFolder } from '../engine/services/store/home.ts';
import { accountRows } from '../engine/core/recon/accounting.ts';
import { inputsOf } from './inputs.ts';
import { runFindings } from './run-findings.ts';

export type FolderOptions = {
  rulesDir: string;
  dataDir: string;
  /**
   * ISO time. Absent: as of now, taken once every source has been read, so that positions a
   * live source reports (stamped with its own time or the pull's start) are in the run.
   */
  asOf?: string;
  /** Rows read after the folder: the events `tally serve` received live (server/inbound.ts). */
  extra?: (intake: Intake) => Promise<void>;
  /**
   * Keep the snapshot rows in the returned intake (`tally close` reads the period's positions).
   * By default they are let go once the key space is built, before classifying: the run's peak.
   */
  keepSnapshots?: boolean;
};

/** Where a long run reports how far it got (the CLI draws it on a terminal). */
export type Progress = {
  /** `lines`: the file's line count when known, for a percentage and an ETA. */
  rows(source: string, file: string, rows: number, lines?: number): void;
  phase(name: string): void;
  done(): void;
};

const SILENT: Progress = { rows: () => {}, phase: () => {}, done: () => {} };

/** Loads, ingests and reconciles one data folder; no printing, no saving. */
export async function reconcileFolder(
  options: FolderOptions,
  progress: Progress = SILENT,
): Promise<{ run: RunResult; ruleset: Ruleset; intake: Intake }> {
  const ruleset = await loadRulesetOrThrow(options.rulesDir, {
    knownConnectors: CONNECTORS.map((c) => c.id),
  });
  const runId = randomUUID();
  const intake = createIntake(ruleset);
  const started = performance.now();
  const { files, failures } = await ingest(ruleset, options.dataDir, intake, {
    asOf: options.asOf,
    rejectsDir: rejectsFolder(runId),
    onProgress: (p) => progress.rows(p.source, p.file, p.rows, p.lines),
  });
  await options.extra?.(intake);
  const ingestMs = performance.now() - started;
  progress.phase('reconciling');
  const unavailable = failures.map((f) => f.source);
  const asOf = options.asOf ?? new Date().toISOString();
  // every row accounted for and the sources that sent positions, before reconcile lets the
  // snapshot rows go (deferred rows settled first, as reconcile would)
  intake.flush();
  const accounts = accountRows(intake, Date.parse(asOf));
  const withPositions = sourcesWithPositions(intake);
  const run = await reconcile(intake, {
    asOf,
    parseMs: ingestMs,
    runId,
    unavailable,
    releaseSnapshots: !options.keepSnapshots,
  });
  progress.done();
  const inputs = inputsOf(files, accounts, options.dataDir);
  const findings = runFindings({
    ruleset,
    failures,
    inputs,
    notCompared: run.notCompared,
    summary: run.summary,
    withPositions,
    asOf: run.asOf,
  });
  return { run: { ...run, inputs, runFindings: findings }, ruleset, intake };
}

function sourcesWithPositions(intake: Intake): Set<string> {
  const seen = new Set<number>();
  const positions = intake.positions;
  for (let i = 0; i < positions.length; i++) seen.add(positions.src.get(i));
  return new Set([...seen].map((s) => intake.ctx.sources[s]!.def.id));
}
