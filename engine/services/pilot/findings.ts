/** Tally's exceptions of one run, one finding per SKU × location (one problem, several rows). */
import { SEVERITIES } from '../../core/rules/types.ts';
import type { StoredException, StoredResult } from './stored.ts';
import type { TallyFinding } from './types.ts';

export function findingsOf(
  results: StoredResult[],
  exceptions: StoredException[],
): Map<string, TallyFinding> {
  const byFingerprint = new Map(exceptions.map((e) => [e.fingerprint, e]));
  const out = new Map<string, TallyFinding>();
  const primary = new Map<string, StoredResult>();
  for (const r of results) {
    const key = `${r.sku}\u0000${r.location}`;
    const e = r.fingerprint ? byFingerprint.get(r.fingerprint) : undefined;
    const f = out.get(key) ?? {
      sku: r.sku,
      location: r.location,
      exceptionIds: [],
      severity: 'low',
      causes: [],
      owner: r.owner,
      variance: r.variance,
      valueMinor: 0,
      quantities: {},
      expected: null,
      rule: null,
      buckets: [],
    };
    if (e && !f.exceptionIds.includes(e.id)) f.exceptionIds.push(e.id);
    if (rank(r.severity) > rank(f.severity)) f.severity = r.severity ?? f.severity;
    for (const c of [r.code, ...(e?.causes ?? [])]) if (!f.causes.includes(c)) f.causes.push(c);
    if (!f.buckets.includes(r.bucket)) f.buckets.push(r.bucket);
    // linked rows of one problem repeat its value: the largest one stands for it
    f.valueMinor = Math.max(f.valueMinor, r.valueAtRiskMinor);
    const p = primary.get(key);
    if (!p || Math.abs(r.variance) > Math.abs(p.variance)) {
      primary.set(key, r);
      f.variance = r.variance;
      f.owner = r.owner;
      f.quantities = e?.evidence.quantities ?? {};
      f.expected = e?.evidence.expected ?? null;
      f.rule = e?.evidence.decidedBy
        ? `${e.evidence.decidedBy.rule} (${e.evidence.decidedBy.file}:${e.evidence.decidedBy.line})`
        : null;
    }
    out.set(key, f);
  }
  return out;
}

function rank(severity: string | null): number {
  return severity ? SEVERITIES.indexOf(severity as never) : -1;
}
