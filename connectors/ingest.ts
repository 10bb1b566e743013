/**
 * Reads every source of a ruleset through its connector into one sink, in the order
 * normalization needs: items of all sources, then opening balances, positions, and events.
 * A file-based source is read once per phase with only that phase's files; a source without
 * file mappings (an API connector) is read whole once, right after the items phase.
 *
 * Every source's settings are checked before anything is read, so a configuration mistake
 * fails the ingest with all its problems at once and nothing delivered. After that, one source
 * that fails to load (an unreachable API, bad credentials, a query error, a file refused whole)
 * never stops the others: its failure is returned, the source is not read in later phases, and
 * the caller must leave what it delivered out of the comparison (its keys are not compared).
 */
import { ExternalError, InputError, formatLocation } from '../engine/core/errors.ts';
import { rejectsFolder } from '../engine/services/store/home.ts';
import type { FileKind, Ruleset, SourceDef } from '../engine/core/rules/types.ts';
import { getConnector } from './registry.ts';
import { Prescans } from './shared/prescan.ts';
import { endReadingThreads, warmReadingThread } from './shared/read-in-worker.ts';
import { ReadAhead, type PlannedRead } from './shared/read-ahead.ts';
import type { Connector, FileSummary, ReadContext, ReadProgress, Sink } from './types.ts';

export const INGEST_PHASES: readonly FileKind[] = ['items', 'opening', 'positions', 'events'];

export type IngestOptions = {
  /** ISO time; records dated later are skipped (counted in FileSummary.skipped). */
  asOf?: string;
  /** Defaults to `.tally/rejects/<time>` under the working directory, never the data folder. */
  rejectsDir?: string;
  onProgress?: (p: ReadProgress) => void;
  signal?: AbortSignal;
};

/** A source that failed to load: where (a file, or the system) and why, in words and a code. */
export type SourceFailure = { source: string; where: string; code: string; message: string };

export type IngestResult = {
  files: FileSummary[];
  failures: SourceFailure[];
  /** Files whose reading started on a second thread before their turn (read-ahead.ts). */
  readAhead: number;
};

/** Errors that concern the whole run, not one source: they stop the ingest. */
const RUN_WIDE = new Set(['REJECTS_UNWRITABLE', 'BAD_AS_OF']);

export async function ingest(
  ruleset: Pick<Ruleset, 'sources'>,
  dataDir: string,
  sink: Sink,
  opts: IngestOptions = {},
): Promise<IngestResult> {
  const sources = [...ruleset.sources.values()];
  const connectors = checkAll(sources);
  const files: FileSummary[] = [];
  const failures: SourceFailure[] = [];
  const failed = new Set<string>();
  const rejectsDir =
    opts.rejectsDir ?? rejectsFolder(new Date().toISOString().replace(/[:.]/g, '-'));
  const prescans = new Prescans();
  const baseContext = (source: SourceDef, signal = opts.signal): ReadContext => ({
    source,
    dataDir,
    asOf: opts.asOf,
    rejectsDir,
    onProgress: opts.onProgress,
    signal,
    prescans,
  });
  // each phase's sources, each with only that phase's files (the same objects every call)
  const phases = new Map(
    INGEST_PHASES.map((phase) => [
      phase,
      sources
        .map((source) => ({
          ...source,
          files: (source.files ?? []).filter((f) => f.kind === phase),
        }))
        .filter((source) => source.files.length),
    ]),
  );
  const phaseOf = (phase: FileKind) => phases.get(phase)!;
  const ahead = prescanAhead(phaseOf, connectors, baseContext, opts.signal);
  const readAhead = new ReadAhead(
    readingPlan(phaseOf, connectors, baseContext),
    (id) => failed.has(id),
    (phase) => ahead.lines(phase),
  );
  // a file connector's large files are read on a thread: started now, it is ready by then
  const warming = readAhead.anyOnThread.then((any) => any && warmReadingThread());
  const contextOf = (source: SourceDef): ReadContext => ({ ...baseContext(source), readAhead });
  const read = async (source: SourceDef) => {
    if (failed.has(source.id)) return;
    const connector = connectors.get(source.id)!;
    try {
      const result = await connector.read(contextOf(source), sink);
      files.push(...result.files.map((f) => ({ source: source.id, ...f })));
    } catch (error) {
      const failure = failureOf(source, error);
      if (!failure) throw error;
      failed.add(source.id);
      failures.push(failure);
    }
  };
  try {
    for (const phase of INGEST_PHASES) {
      const ofPhase = phaseOf(phase).filter((source) => !failed.has(source.id));
      // the phase's files first passed, so the sink makes room for all their rows at once
      const lines = await ahead.lines(phase);
      let rows = 0;
      for (const source of ofPhase) rows += lines.get(source.id) ?? 0;
      if (rows) sink.expect?.(phase, rows);
      for (const source of ofPhase) {
        const from = lines.get(source.id) ?? 0;
        if (from) sink.expectFrom?.(phase, source.id, from);
      }
      for (const source of ofPhase) await read(source);
      if (phase === 'items') {
        for (const source of sources.filter((s) => !s.files?.length)) await read(source);
      }
    }
  } finally {
    // a run stopped early leaves no first pass reading on, and no file read ahead
    await readAhead.stop();
    await ahead.stop();
    await warming;
    // the run has read everything: an idle reading thread would hold its memory into the rest
    endReadingThreads();
  }
  return { files, failures, readAhead: readAhead.taken };
}

type PhaseSources = (phase: FileKind) => SourceDef[];

/** The files of the file connectors in the order the ingest reads them (read-ahead.ts). */
function readingPlan(
  phaseOf: PhaseSources,
  connectors: Map<string, Connector>,
  contextOf: (source: SourceDef) => ReadContext,
): PlannedRead[] {
  const plan: PlannedRead[] = [];
  for (const phase of INGEST_PHASES)
    for (const source of phaseOf(phase)) {
      if (!connectors.get(source.id)?.prescan) continue;
      const ctx = contextOf(source);
      for (const mapping of source.files ?? []) plan.push({ ctx, mapping });
    }
  return plan;
}

/**
 * Every phase's first passes (prescan.ts), made one file after another from the start of the
 * ingest, while the phases before are read: this thread hashes a file while the reading
 * thread parses another, where each phase's passes made at its start kept the reading thread
 * idle (1M keys: ~0.3 s before the positions and again before the events). A phase waits only
 * for its own. A source that fails in an earlier phase was passed for nothing: its lines are
 * not counted, and its later files are not read.
 */
function prescanAhead(
  phaseOf: PhaseSources,
  connectors: Map<string, Connector>,
  contextOf: (source: SourceDef, signal?: AbortSignal) => ReadContext,
  signal: AbortSignal | undefined,
) {
  const stop = new AbortController();
  const both = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  const done = new Map<FileKind, Promise<Map<string, number>>>();
  let chain: Promise<unknown> = Promise.resolve();
  for (const phase of INGEST_PHASES) {
    const lines = chain.then(async () => {
      const bySource = new Map<string, number>();
      for (const source of phaseOf(phase)) {
        const connector = connectors.get(source.id)!;
        if (!connector.prescan) continue;
        // a pass that fails counts nothing: the file's read meets the fault and reports it, and
        // a source already failed (passed ahead for nothing) must not stop the others
        bySource.set(source.id, await connector.prescan(contextOf(source, both)).catch(() => 0));
      }
      return bySource;
    });
    done.set(phase, lines);
    chain = lines;
  }
  return {
    lines: (phase: FileKind) => done.get(phase)!,
    stop: async () => {
      stop.abort();
      await chain;
    },
  };
}

/** The failure of one source, or undefined when the error must stop the run (a defect, abort). */
function failureOf(source: SourceDef, error: unknown): SourceFailure | undefined {
  if (error instanceof InputError && !RUN_WIDE.has(error.code)) {
    const where = error.where ? formatLocation(error.where) : `source ${source.id}`;
    return { source: source.id, where, code: error.code, message: error.message };
  }
  if (error instanceof ExternalError) {
    return { source: source.id, where: error.system, code: error.code, message: error.message };
  }
  return undefined;
}

function checkAll(sources: SourceDef[]): Map<string, Connector> {
  const connectors = new Map<string, Connector>();
  const problems: string[] = [];
  for (const source of sources) {
    let connector: Connector;
    try {
      connector = getConnector(source.connector);
    } catch (error) {
      problems.push(`source '${source.id}': ${(error as Error).message}`);
      continue;
    }
    connectors.set(source.id, connector);
    for (const p of connector.checkSettings(source)) problems.push(`source '${source.id}': ${p}`);
  }
  if (problems.length) {
    const first = sources[0];
    throw new InputError('SOURCE_SETTINGS_INVALID', problems.join('\n'), {
      file: first?.file ?? 'sources',
    });
  }
  return connectors;
}
