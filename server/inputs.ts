/**
 * A run's inputs: the readers' counts of each file joined with the engine's, so that every row
 * read is named once: read = accepted + rejected + outsideAsOf + keptOut + duplicate.
 */
import { isAbsolute, relative } from 'node:path';
import type { FileSummary } from '../connectors/types.ts';
import type { FileAccount } from '../engine/core/recon/accounting.ts';
import type { InputFile } from '../engine/core/recon/types.ts';

export function inputsOf(
  files: FileSummary[],
  accounts: FileAccount[],
  dataDir: string,
): InputFile[] {
  const byFile = new Map(accounts.map((a) => [`${a.source}\u0000${a.file}`, a]));
  return files.map((f) => {
    const source = f.source ?? '';
    const a = byFile.get(`${source}\u0000${f.file}`);
    const [outside, keptOut, duplicate] = [a?.outsideAsOf ?? 0, a?.keptOut ?? 0, a?.duplicate ?? 0];
    return {
      source,
      path: isAbsolute(f.file) ? relative(dataDir, f.file) : f.file,
      sha256: f.sha256,
      read: f.read,
      accepted: f.accepted - outside - keptOut - duplicate,
      rejected: f.rejected,
      outsideAsOf: (f.skipped ?? 0) + outside,
      keptOut,
      duplicate,
      ...(f.rejectsPath ? { rejectsPath: f.rejectsPath } : {}),
      ...(f.notes?.length ? { notes: f.notes } : {}),
      ...(f.failed ? { failed: f.failed } : {}),
    };
  });
}
