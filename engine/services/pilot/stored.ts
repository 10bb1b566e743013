/** What Tally stored that a pilot comparison reads: the run, its results, its exceptions. */
import type { Knex } from 'knex';
import { InputError } from '../../core/errors.ts';
import { readEvidence } from '../../core/recon/stored-evidence.ts';

export type StoredRun = { id: string; asOf: string; rulesetVersion: string };

export type StoredResult = {
  sku: string;
  location: string;
  bucket: string;
  source: string;
  outcome: 'explained' | 'exception' | string;
  code: string;
  severity: string | null;
  variance: number;
  /** In minor units of the currency (cents), exact. */
  valueAtRiskMinor: number;
  fingerprint: string | null;
  owner: string | null;
};

export type StoredException = {
  id: number;
  fingerprint: string;
  sku: string;
  location: string;
  state: string;
  causes: string[];
  resolvedAt: string | null;
  evidence: {
    quantities?: Record<string, number>;
    expected?: number;
    decidedBy?: { rule: string; file: string; line: number } | null;
  };
};

/** The latest run as of `asOf` (ISO time or date: the end of that day), or the latest run. */
export async function pickRun(db: Knex, asOf?: string): Promise<StoredRun> {
  const q = db('runs').orderBy('as_of', 'desc').orderBy('started_at', 'desc').first();
  if (asOf)
    q.where('as_of', '<=', /^\d{4}-\d{2}-\d{2}$/.test(asOf) ? `${asOf}T23:59:59.999Z` : asOf);
  const row = (await q) as Record<string, string> | undefined;
  if (!row) {
    const when = asOf ? ` as of ${asOf}` : '';
    throw new InputError(
      'NO_RUN',
      `no stored run${when} to compare with: run \`tally run\` (or \`tally serve\` in pilot mode) first`,
    );
  }
  return { id: row.id!, asOf: row.as_of!, rulesetVersion: row.ruleset_version! };
}

export async function runResults(db: Knex, runId: string): Promise<StoredResult[]> {
  const rows = (await db('run_results').where({ run_id: runId }).orderBy('id')) as Record<
    string,
    unknown
  >[];
  return rows.map((r) => ({
    sku: String(r.sku),
    location: String(r.location),
    bucket: String(r.bucket),
    source: String(r.source),
    outcome: String(r.outcome),
    code: String(r.code),
    severity: (r.severity as string | null) ?? null,
    variance: Number(r.variance),
    valueAtRiskMinor: Number(r.value_at_risk_minor),
    fingerprint: (r.fingerprint as string | null) ?? null,
    owner: (r.owner as string | null) ?? null,
  }));
}

/** Exceptions by fingerprint, or every exception at the given sku × location keys. */
export async function storedExceptions(
  db: Knex,
  by: { fingerprints?: string[]; skus?: string[] },
): Promise<StoredException[]> {
  const out: StoredException[] = [];
  const [column, values] = by.fingerprints
    ? ['fingerprint', by.fingerprints]
    : ['sku', by.skus ?? []];
  for (let i = 0; i < values.length; i += 500) {
    const rows = (await db('exceptions')
      .whereIn(column, values.slice(i, i + 500))
      .select(
        'id',
        'fingerprint',
        'sku',
        'location',
        'state',
        'causes',
        'resolved_at',
        'evidence',
      )) as Record<string, unknown>[];
    for (const r of rows) {
      out.push({
        id: Number(r.id),
        fingerprint: String(r.fingerprint),
        sku: String(r.sku),
        location: String(r.location),
        state: String(r.state),
        causes: JSON.parse(String(r.causes ?? '[]')) as string[],
        resolvedAt: (r.resolved_at as string | null) ?? null,
        evidence: readEvidence<StoredException['evidence']>(String(r.evidence ?? '{}')),
      });
    }
  }
  return out;
}

/** Locations some source reported in the run (compared keys there). */
export async function comparedLocations(db: Knex, runId: string): Promise<Set<string>> {
  const rows = (await db('run_counts')
    .where({ run_id: runId })
    .where('compared', '>', 0)
    .distinct('location')) as { location: string }[];
  return new Set(rows.map((r) => r.location));
}

/** Which of these SKUs Tally has seen anywhere: results, exceptions, ledger positions or events. */
export async function seenSkus(db: Knex, skus: string[]): Promise<Set<string>> {
  const seen = new Set<string>();
  for (const table of ['run_results', 'exceptions', 'positions', 'events']) {
    const rest = skus.filter((s) => !seen.has(s));
    for (let i = 0; i < rest.length; i += 500) {
      const rows = (await db(table)
        .whereIn('sku', rest.slice(i, i + 500))
        .distinct('sku')) as { sku: string }[];
      for (const r of rows) seen.add(String(r.sku));
    }
  }
  return seen;
}
