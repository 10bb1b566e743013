/**
 * What a run could not vouch for, printed where it cannot be missed: the run findings first,
 * and the comparisons left out ("not compared: N rejected rows (file:line …)") next to the keys.
 */
import type { NotCompared, RunFinding } from '../../engine/core/recon/types.ts';
import { clip, fmtInt } from './text.ts';

const SHOWN = 5;

export function renderRunFindings(findings: RunFinding[], exitNote: string): string[] {
  if (!findings.length) return [];
  const lines = [clip(`Run findings: ${fmtInt(findings.length)} · ${exitNote}`)];
  for (const f of findings) {
    const where = f.file ? `${f.source} ${f.file}` : f.source;
    // the message stays whole: it names a file or a time to copy
    lines.push(`  ! ${where} ${f.code}: ${f.message}`);
  }
  return [...lines, ''];
}

/** One row, and several. */
const WHY: Record<NotCompared['reason'], [string, string]> = {
  rejected_rows: ['rejected row', 'rejected rows'],
  kept_out_rows: ['row kept out', 'rows kept out'],
  duplicate_rows: ['repeated row', 'repeated rows'],
  source_failed: ['failed source', 'failed sources'],
};

export function renderNotCompared(entries: NotCompared[], total: number): string[] {
  if (!total) return [];
  const lines = [clip(`Not compared: ${fmtInt(total)} comparisons (incomplete, not zero)`)];
  for (const n of entries.slice(0, SHOWN)) lines.push(clip(`  ${describeNotCompared(n)}`));
  if (entries.length > SHOWN)
    lines.push(clip(`  … and ${fmtInt(entries.length - SHOWN)} more (--format json)`));
  return [...lines, ''];
}

/** "SKU-2 @ WH-EAST (erp) not compared: 1 rejected row (erp/bin.csv:3)". */
export function describeNotCompared(n: NotCompared): string {
  const what = n.sku ? `${n.sku} @ ${n.location}` : `every key @ ${n.location}`;
  if (n.reason === 'source_failed') {
    const by = n.failedSource === n.source ? '' : ` (its ledger source ${n.failedSource})`;
    return `${what} (${n.source}) not compared: the source failed to load${by}`;
  }
  const rows = n.rows.map((r) => `${r.file}:${r.line}`).join(' ');
  const more = n.rowCount > n.rows.length ? ' …' : '';
  const noun = WHY[n.reason][n.rowCount === 1 ? 0 : 1];
  return `${what} (${n.source}) not compared: ${n.rowCount} ${noun} (${rows}${more})`;
}
