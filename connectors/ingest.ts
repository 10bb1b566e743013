/**
 * Reads every source of a ruleset through its connector into one sink, in the order
 * normalization needs: items of all sources, then opening balances, positions, and events.
 * A file-based source is read once per phase with only that phase's files; a source without
 * file mappings (an API connector) is read whole once, right after the items phase.
 *
 * Every source's settings are checked before anything is read, so a configuration mistake
 * fails the ingest with all its problems at once and nothing delivered. A file rejected whole
 * throws its InputError and stops the ingest: the caller discards what the sink holds.
 */
import { InputError } from '../engine/core/errors.ts';
import type { FileKind, Ruleset, SourceDef } from '../engine/core/rules/types.ts';
import { getConnector } from './registry.ts';
import type { Connector, FileSummary, ReadProgress, Sink } from './types.ts';

export const INGEST_PHASES: readonly FileKind[] = ['items', 'opening', 'positions', 'events'];

export type IngestOptions = {
  /** ISO time; records dated later are skipped (counted in FileSummary.skipped). */
  asOf?: string;
  /** Defaults to `<dataDir>/rejects`. */
  rejectsDir?: string;
  onProgress?: (p: ReadProgress) => void;
  signal?: AbortSignal;
};

export type IngestResult = { files: FileSummary[] };

export async function ingest(
  ruleset: Pick<Ruleset, 'sources'>,
  dataDir: string,
  sink: Sink,
  opts: IngestOptions = {},
): Promise<IngestResult> {
  const sources = [...ruleset.sources.values()];
  const connectors = checkAll(sources);
  const files: FileSummary[] = [];
  const read = async (source: SourceDef) => {
    const connector = connectors.get(source.id)!;
    const result = await connector.read(
      {
        source,
        dataDir,
        asOf: opts.asOf,
        rejectsDir: opts.rejectsDir,
        onProgress: opts.onProgress,
        signal: opts.signal,
      },
      sink,
    );
    files.push(...result.files.map((f) => ({ source: source.id, ...f })));
  };
  for (const phase of INGEST_PHASES) {
    for (const source of sources) {
      const ofPhase = (source.files ?? []).filter((f) => f.kind === phase);
      if (ofPhase.length) await read({ ...source, files: ofPhase });
    }
    if (phase === 'items') {
      for (const source of sources.filter((s) => !s.files?.length)) await read(source);
    }
  }
  return { files };
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
