/**
 * The run's inputs: per source, every row read and what became of it, then each file that did
 * not go in whole, named with its counts and where its rejects are.
 */
import { relative } from 'node:path';
import type { InputFile } from '../../engine/core/recon/types.ts';
import { clip, fmtInt, table } from './text.ts';

type Counts = Pick<
  InputFile,
  'read' | 'accepted' | 'rejected' | 'outsideAsOf' | 'keptOut' | 'duplicate'
>;

const FIELDS = ['read', 'accepted', 'rejected', 'outsideAsOf', 'keptOut', 'duplicate'] as const;

function add(into: Counts, f: Counts): void {
  for (const k of FIELDS) into[k] += f[k];
}

function zero(): Counts {
  return { read: 0, accepted: 0, rejected: 0, outsideAsOf: 0, keptOut: 0, duplicate: 0 };
}

export function renderInputs(inputs: InputFile[]): string[] {
  const total = zero();
  const bySource = new Map<string, Counts & { files: number }>();
  for (const f of inputs) {
    add(total, f);
    const s = bySource.get(f.source) ?? { ...zero(), files: 0 };
    add(s, f);
    s.files++;
    bySource.set(f.source, s);
  }
  const rows = [...bySource].map(([source, s]) => [
    source,
    fmtInt(s.files),
    fmtInt(s.read),
    fmtInt(s.accepted),
    fmtInt(s.rejected),
    fmtInt(s.outsideAsOf),
    fmtInt(s.keptOut + s.duplicate),
  ]);
  const lines = [
    clip(
      `Inputs ${fmtInt(inputs.length)} files · ${fmtInt(total.read)} rows read · ` +
        `${fmtInt(total.accepted)} accepted · ${fmtInt(total.rejected)} rejected`,
    ),
  ];
  if (!inputs.length) return lines;
  lines.push(
    ...table(['Source', 'files', 'read', 'accepted', 'rejected', 'after as-of', 'kept out'], rows),
  );
  for (const f of inputs.filter((x) => x.failed)) {
    const at = f.failed!.line !== undefined ? `:${f.failed!.line}` : '';
    lines.push(clip(`  ${f.path}${at}: NOT READ (${f.failed!.code}) ${f.failed!.message}`));
  }
  const partial = inputs.filter((f) => f.accepted !== f.read);
  for (const f of partial.slice(0, 8)) lines.push(...renderFile(f));
  if (partial.length > 8)
    lines.push(clip(`  … and ${fmtInt(partial.length - 8)} more files (--format json)`));
  for (const f of inputs)
    for (const note of f.notes ?? []) lines.push(clip(`  ${f.path}: ${note}`));
  return lines;
}

/** One file that did not go in whole: what happened to its rows, and where the rejects are. */
function renderFile(f: InputFile): string[] {
  const parts = [
    f.rejected && `${fmtInt(f.rejected)} rejected`,
    f.outsideAsOf && `${fmtInt(f.outsideAsOf)} after the as-of`,
    f.keptOut && `${fmtInt(f.keptOut)} kept out (findings)`,
    f.duplicate && `${fmtInt(f.duplicate)} repeated event ids`,
  ].filter(Boolean);
  const lines = [clip(`  ${f.path}: ${fmtInt(f.read)} read, ${parts.join(', ')}`)];
  // a path stays whole, even past 80 columns, so it can be copied
  if (f.rejectsPath) lines.push(`    rejects: ${relative(process.cwd(), f.rejectsPath)}`);
  return lines;
}
