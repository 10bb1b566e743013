/**
 * The engine's half of "every row is accounted for": of the rows the readers accepted, how many
 * per file the model kept out (a normalization finding, a repeated event id) and how many are
 * dated after the run's as-of (a position or opening stamped later, an event that occurred
 * later). The readers count read, accepted, rejected and skipped; the pipeline joins the two.
 *
 * Rows are counted by (file, line): a wide row gives several positions on one line, and a line
 * counts once, under its first reason. Lines come in order within a file, so "outside the
 * as-of" counts a line when it differs from the file's previous one, with no set of lines.
 */
import type { Intake } from '../normalize/intake.ts';

export type FileAccount = {
  source: string;
  file: string;
  /** Accepted by the reader, dated after the as-of: not in the run. */
  outsideAsOf: number;
  /** Accepted by the reader, kept out by a normalization finding (named in the findings). */
  keptOut: number;
  /** Accepted by the reader, an event id already taken: idempotency, not a second movement. */
  duplicate: number;
};

type Dated = {
  src: { get(i: number): number };
  file: { get(i: number): number };
  line: { get(i: number): number };
  length: number;
};

export function accountRows(intake: Intake, asOfMs: number): FileAccount[] {
  const outside = new Map<number, number>();
  const sourceOf = new Map<number, number>(intake.fates.sourceOf);
  const lastLine = new Map<number, number>();
  const later = (table: Dated, at: (i: number) => number) => {
    for (let i = 0; i < table.length; i++) {
      if (at(i) <= asOfMs) continue;
      const file = table.file.get(i);
      if (file < 0) continue;
      const line = table.line.get(i);
      if (lastLine.get(file) === line || intake.fates.has(file, line)) continue;
      lastLine.set(file, line);
      outside.set(file, (outside.get(file) ?? 0) + 1);
      sourceOf.set(file, table.src.get(i));
    }
  };
  const { positions, openings, events } = intake;
  later(positions, (i) => positions.asOf.get(i));
  later(openings, (i) => openings.asOf.get(i));
  later(events, (i) => events.occurred.get(i));
  const out: FileAccount[] = [];
  for (const [file, src] of sourceOf) {
    const { keptOut, duplicate } = intake.fates.counts(file);
    out.push({
      source: intake.ctx.sources[src]?.def.id ?? '',
      file: intake.files.value(file),
      outsideAsOf: outside.get(file) ?? 0,
      keptOut,
      duplicate,
    });
  }
  return out.sort((a, b) => a.source.localeCompare(b.source) || a.file.localeCompare(b.file));
}
