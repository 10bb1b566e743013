/**
 * One full run of a data folder: load the rules, ingest every source's files through the
 * connectors, reconcile. Shared by `tally run` and the server's scheduled and on-demand runs;
 * it neither prints nor saves.
 */
import { ingest } from '../connectors/ingest.ts';
import { CONNECTORS } from '../connectors/registry.ts';
import type { FileSummary } from '../connectors/types.ts';
import { createIntake, type Intake } from '../engine/core/normalize/intake.ts';
import { reconcile } from '../engine/core/recon/reconcile.ts';
import type { RunResult } from '../engine/core/recon/types.ts';
import { loadRulesetOrThrow } from '../engine/core/rules/load.ts';
import type { Ruleset } from '../engine/core/rules/types.ts';

export type FolderOptions = {
  rulesDir: string;
  dataDir: string;
  asOf: string;
  /** Rows read after the folder: the events `tally serve` received live (server/inbound.ts). */
  extra?: (intake: Intake) => Promise<void>;
};

/** Where a long run reports how far it got (the CLI draws it on a terminal). */
export type Progress = {
  rows(source: string, file: string, rows: number): void;
  phase(name: string): void;
  done(): void;
};

const SILENT: Progress = { rows: () => {}, phase: () => {}, done: () => {} };

/** Loads, ingests and reconciles one data folder; no printing, no saving. */
export async function reconcileFolder(
  options: FolderOptions,
  progress: Progress = SILENT,
): Promise<{ run: RunResult; ruleset: Ruleset }> {
  const ruleset = await loadRulesetOrThrow(options.rulesDir, {
    knownConnectors: CONNECTORS.map((c) => c.id),
  });
  const intake = createIntake(ruleset);
  const started = performance.now();
  const { files } = await ingest(ruleset, options.dataDir, intake, {
    asOf: options.asOf,
    onProgress: (p) => progress.rows(p.source, p.file, p.rows),
  });
  await options.extra?.(intake);
  const ingestMs = performance.now() - started;
  progress.phase('reconciling');
  const run = await reconcile(intake, { asOf: options.asOf, parseMs: ingestMs });
  progress.done();
  return { run: withInputs(run, files), ruleset };
}

/** The per-file counts: the engine never sees the files, so it leaves `inputs` empty. */
function withInputs(run: RunResult, files: FileSummary[]): RunResult {
  const inputs = files.map((f) => ({
    source: f.source ?? '',
    path: f.file,
    sha256: f.sha256,
    read: f.read,
    accepted: f.accepted,
    rejected: f.rejected,
    rejectsPath: f.rejectsPath,
    ...(f.notes?.length ? { notes: f.notes } : {}),
    ...(f.failed ? { failed: f.failed } : {}),
  }));
  return { ...run, inputs };
}
