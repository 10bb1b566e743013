/**
 * What happened to the rows the intake received and kept out of the model: a normalization
 * finding (unknown status, sku, location or unit, a unit that does not land on a whole unit) or
 * a repeated event id. Kept per file and line, so a run can account for every row the readers
 * accepted (see engine/core/recon/accounting.ts). Rows without an origin cannot be attributed
 * to a file and are counted by the findings alone.
 */
export type FateCounts = { keptOut: number; duplicate: number };

export class RowFates {
  /** file id → lines kept out by a finding. */
  readonly keptOut = new Map<number, Set<number>>();
  /** file id → lines whose event id was already taken. */
  readonly duplicate = new Map<number, Set<number>>();
  /** file id → source index, for the files that appear above. */
  readonly sourceOf = new Map<number, number>();

  keep(kind: 'keptOut' | 'duplicate', file: number, source: number, line: number): void {
    const byFile = this[kind];
    let lines = byFile.get(file);
    if (!lines) byFile.set(file, (lines = new Set()));
    lines.add(line);
    this.sourceOf.set(file, source);
  }

  /** Whether a line already has a fate (so it is counted once, under its first reason). */
  has(file: number, line: number): boolean {
    return (
      (this.keptOut.get(file)?.has(line) ?? false) || (this.duplicate.get(file)?.has(line) ?? false)
    );
  }

  counts(file: number): FateCounts {
    const keptOut = this.keptOut.get(file);
    let duplicate = 0;
    for (const line of this.duplicate.get(file) ?? []) if (!keptOut?.has(line)) duplicate++;
    return { keptOut: keptOut?.size ?? 0, duplicate };
  }
}
