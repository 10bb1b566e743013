/** What every cross-file check gets: the valid documents and a way to report a located problem. */
import type { DocOf, Loaded, LoadedDocs } from '../docs.ts';
import { readablePath, subject } from '../kinds.ts';
import type { RuleKind } from '../kinds.ts';
import { toPointer } from '../problems.ts';
import type { Problem, ProblemCode } from '../problems.ts';
import { locate } from '../yaml-file.ts';
import type { LocationRow } from '../location-files.ts';

export type Segments = readonly (string | number)[];

export type CheckContext = {
  docs: LoadedDocs;
  knownConnectors?: readonly string[];
  problems: Problem[];
  /** Rows of the Mappings `locationFiles`, already read. */
  locationRows: readonly LocationRow[];
};

export function report(
  ctx: CheckContext,
  at: Loaded<RuleKind>,
  segments: Segments,
  code: ProblemCode,
  reason: string,
  key = false,
): void {
  const pos = locate(at.rf, segments, key);
  const where = readablePath(at.kind, at.rf.value, segments);
  ctx.problems.push({
    file: at.rf.file,
    line: pos.line,
    column: pos.column,
    path: toPointer(segments),
    message: `${subject(at.kind, where)}: ${reason}`,
    code,
  });
}

/** The single document of a kind that allows one, when it loaded cleanly. */
export function single<K extends RuleKind>(ctx: CheckContext, kind: K): Loaded<K> | undefined {
  return ctx.docs[kind][0];
}

export function all<K extends RuleKind>(ctx: CheckContext, kind: K): Loaded<K>[] {
  return ctx.docs[kind];
}

export type Declared<K extends RuleKind> = { at: Loaded<K>; doc: DocOf[K] };

export function quoteList(values: Iterable<string>, max = 12): string {
  const list = [...values];
  const shown = list.slice(0, max).join(', ');
  return list.length > max ? `${shown}, … (${list.length} in all)` : shown;
}

/** Reports every name seen before; returns the names in first-seen order. */
export function uniqueNames<K extends RuleKind>(
  ctx: CheckContext,
  entries: { at: Loaded<K>; segments: Segments; name: string; what: string }[],
): Set<string> {
  const seen = new Map<string, Loaded<K>>();
  for (const e of entries) {
    const first = seen.get(e.name);
    if (first) {
      report(
        ctx,
        e.at,
        e.segments,
        'DUPLICATE_NAME',
        `${e.what} "${e.name}" is declared twice (first in ${first.rf.file})`,
      );
      continue;
    }
    seen.set(e.name, e.at);
  }
  return new Set(seen.keys());
}
