/** Hand-built RunResult fixtures for storage tests. */
import type { Facts } from '../../engine/core/facts.ts';
import type { Evidence, KeyResult, RunResult } from '../../engine/core/recon/types.ts';
import type { Bucket } from '../../engine/core/model/types.ts';
import { minorOfNumber } from '../../engine/core/model/money.ts';

export type KeySpec = {
  sku: string;
  location: string;
  bucket?: Bucket;
  source?: string;
  variance?: number;
  /** In currency units (10 = $10.00); stored in minor units. */
  valueAtRisk?: number;
  cause?: string;
  explained?: string;
  severity?: 'low' | 'medium' | 'high' | 'critical';
  facts?: Partial<Facts>;
};

export function keyResult(s: KeySpec): KeyResult {
  const variance = s.variance ?? 5;
  const outcome = s.explained
    ? { type: 'explained' as const, code: s.explained }
    : {
        type: 'exception' as const,
        severity: s.severity ?? 'medium',
        rootCause: s.cause ?? 'MISSING_POSTING',
      };
  return {
    sku: s.sku,
    location: s.location,
    bucket: s.bucket ?? 'sellable',
    source: s.source ?? 'erp',
    outcome,
    causes: s.explained ? [] : [s.cause ?? 'MISSING_POSTING'],
    severity: s.explained ? undefined : (s.severity ?? 'medium'),
    variance,
    valueAtRiskMinor: minorOfNumber(s.valueAtRisk ?? Math.abs(variance) * 10),
    evidence: evidence(variance, s.facts),
  };
}

function evidence(variance: number, facts: Partial<Facts> = {}): Evidence {
  return {
    quantities: { erp: 100 + variance, wms: 100 },
    expected: 100,
    variance,
    unit: 'each',
    history: [],
    unmatched: [],
    decidedBy: null,
    rules: [],
    tolerance: null,
    facts: { channelSellable: -1, expectedSellable: 100, ...facts } as Facts,
    rulesetVersion: 'abc123',
  };
}

export type RunSpec = {
  runId: string;
  asOf: string;
  results: KeyResult[];
  compared?: number;
  comparedBy?: { location: string; source: string; compared: number }[];
  mode?: 'full' | 'incremental';
};

export function runResult(s: RunSpec): RunResult {
  const exceptions = s.results.filter((r) => r.outcome.type === 'exception').length;
  const explained = s.results.length - exceptions;
  const compared = s.compared ?? Math.max(s.results.length, 10);
  return {
    runId: s.runId,
    asOf: s.asOf,
    startedAt: s.asOf,
    rulesetVersion: { hash: 'abc123', label: 'abc123' },
    mode: s.mode ?? 'full',
    inputs: [
      {
        source: 'erp',
        path: 'erp.csv',
        sha256: 'f'.repeat(64),
        read: 10,
        accepted: 10,
        rejected: 0,
        outsideAsOf: 0,
        keptOut: 0,
        duplicate: 0,
      },
    ],
    findings: [],
    runFindings: [],
    notCompared: [],
    results: s.results,
    summary: {
      keys: compared,
      compared,
      matched: compared - s.results.length,
      explained: { IN_TRANSIT_WINDOW: explained },
      exceptions: { MISSING_POSTING: exceptions },
      exceptionsBySeverity: { medium: exceptions },
      rulesEvaluated: s.results.length,
      comparedBy: s.comparedBy,
    },
    durations: { parseMs: 1, normalizeMs: 1, ledgerMs: 1, matchMs: 1, classifyMs: 1, totalMs: 5 },
  };
}

export const ownerByLocation = (k: KeyResult): string =>
  k.location === 'WH1' ? 'ops-east' : 'ops-west';
