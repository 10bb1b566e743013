/**
 * A canonical digest of what a run decided: every result with its evidence, the summary, the
 * findings, the row accounting and what was not compared. Object keys are sorted and the data
 * and rules folders are replaced by placeholders, so the digest changes only when a decision,
 * a figure or a piece of evidence does — not when code builds the same objects in another
 * order. Timings, the run id and the start time are left out.
 */
import { createHash } from 'node:crypto';
import type { RunResult } from '../../engine/core/recon/types.ts';

export type RunDigest = {
  sha256: string;
  results: number;
  exceptions: number;
  explained: number;
  findings: number;
  notCompared: number;
};

function canonical(value: unknown, paths: [string, string][]): unknown {
  if (typeof value === 'string') {
    let s = value;
    for (const [from, to] of paths) s = s.split(from).join(to);
    return s;
  }
  if (Array.isArray(value)) return value.map((v) => canonical(v, paths));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = canonical(v, paths);
    }
    return out;
  }
  return value;
}

export function runDigest(
  run: RunResult,
  folders: { dataDir: string; rulesDir: string },
): RunDigest {
  // longest first: the rules folder may sit inside the data folder
  const paths = (
    [
      [folders.rulesDir, '<rules>'],
      [folders.dataDir, '<data>'],
    ] as [string, string][]
  ).sort((a, b) => b[0].length - a[0].length);
  const decided = {
    asOf: run.asOf,
    mode: run.mode,
    currency: run.currency,
    inputs: run.inputs,
    findings: run.findings,
    runFindings: run.runFindings,
    notCompared: run.notCompared,
    results: run.results,
    summary: run.summary,
  };
  const text = JSON.stringify(canonical(decided, paths));
  return {
    sha256: createHash('sha256').update(text).digest('hex'),
    results: run.results.length,
    exceptions: run.results.filter((r) => r.outcome.type === 'exception').length,
    explained: run.results.filter((r) => r.outcome.type === 'explained').length,
    findings: run.findings.length,
    notCompared: run.notCompared.length,
  };
}
