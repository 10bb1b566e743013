/** Daily digest figures per location and owner, for a period and the one before it. */
import { whereInForce } from '../../engine/services/corrections/effective.ts';
import type { Knex } from 'knex';
import { LIVE_STATES } from '../../engine/services/exceptions/states.ts';

export type Period = { from: string; to: string };

export type DigestRow = {
  location: string;
  owner: string;
  accuracyPct: number | null;
  exceptionRatePct: number | null;
  newCount: number;
  resolvedCount: number;
  openCount: number;
  agingCount: number;
  medianHoursToResolve: number | null;
  topCauses: string[];
  correctionsApplied: number;
  correctionsValue: number;
};

const AGING_DAYS = 3;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

type Exc = {
  id: number;
  location: string;
  owner: string;
  cause: string;
  state: string;
  opened_at: string;
  resolved_at: string | null;
};

export async function computeDigest(
  db: Knex,
  period: Period,
  now: Date,
): Promise<Map<string, DigestRow>> {
  const rows = new Map<string, DigestRow>();
  const row = (location: string, owner: string): DigestRow => {
    const key = `${location}|${owner}`;
    let r = rows.get(key);
    if (!r) {
      r = {
        location,
        owner,
        accuracyPct: null,
        exceptionRatePct: null,
        newCount: 0,
        resolvedCount: 0,
        openCount: 0,
        agingCount: 0,
        medianHoursToResolve: null,
        topCauses: [],
        correctionsApplied: 0,
        correctionsValue: 0,
      };
      rows.set(key, r);
    }
    return r;
  };
  const excs = (await db('exceptions').select(
    'id',
    'location',
    'owner',
    'cause',
    'state',
    'opened_at',
    'resolved_at',
  )) as Exc[];
  const causes = new Map<string, Map<string, number>>();
  const hours = new Map<string, number[]>();
  const agingIso = new Date(now.getTime() - AGING_DAYS * 86_400_000).toISOString();
  for (const e of excs) {
    const r = row(e.location, e.owner);
    const key = `${e.location}|${e.owner}`;
    if (e.opened_at >= period.from && e.opened_at < period.to) {
      r.newCount += 1;
      const c = causes.get(key) ?? new Map<string, number>();
      c.set(e.cause, (c.get(e.cause) ?? 0) + 1);
      causes.set(key, c);
    }
    if (e.resolved_at && e.resolved_at >= period.from && e.resolved_at < period.to) {
      r.resolvedCount += 1;
      const list = hours.get(key) ?? [];
      list.push((Date.parse(e.resolved_at) - Date.parse(e.opened_at)) / 3_600_000);
      hours.set(key, list);
    }
    if ((LIVE_STATES as readonly string[]).includes(e.state)) {
      r.openCount += 1;
      if (e.opened_at < agingIso) r.agingCount += 1;
    }
  }
  for (const [key, r] of rows) {
    r.medianHoursToResolve = median(hours.get(key) ?? []);
    r.topCauses = [...(causes.get(key) ?? new Map()).entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([c]) => c);
  }
  const applied = (await whereInForce(
    db('corrections as c').join('exceptions as e', 'e.id', 'c.exception_id'),
  )
    .andWhere('c.applied_at', '>=', period.from)
    .andWhere('c.applied_at', '<', period.to)
    .select('e.location', 'e.owner', 'c.value')) as {
    location: string;
    owner: string;
    value: number;
  }[];
  for (const a of applied) {
    const r = row(a.location, a.owner);
    r.correctionsApplied += 1;
    r.correctionsValue += Number(a.value);
  }
  await addAccuracy(db, period, row);
  return rows;
}

/** Accuracy and exception rate from the period's last run: matched and exceptions ÷ compared. */
async function addAccuracy(
  db: Knex,
  period: Period,
  row: (l: string, o: string) => DigestRow,
): Promise<void> {
  const run = (await db('runs')
    .where('as_of', '>=', period.from)
    .andWhere('as_of', '<', period.to)
    .orderBy('as_of', 'desc')
    .first('id')) as { id: string } | undefined;
  if (!run) return;
  const compared = (await db('run_counts')
    .where({ run_id: run.id })
    .select('location')
    .sum({ n: 'compared' })
    .groupBy('location')) as { location: string; n: number }[];
  const results = (await db('run_results')
    .where({ run_id: run.id })
    .select('location', 'owner', 'outcome')
    .count({ n: '*' })
    .groupBy('location', 'owner', 'outcome')) as {
    location: string;
    owner: string | null;
    outcome: string;
    n: number;
  }[];
  for (const c of compared) {
    const total = Number(c.n);
    if (total === 0) continue;
    const here = results.filter((r) => r.location === c.location);
    const nonMatch = here.reduce((a, r) => a + Number(r.n), 0);
    for (const owner of new Set(here.map((r) => r.owner ?? ''))) {
      const exceptions = here
        .filter((r) => (r.owner ?? '') === owner && r.outcome === 'exception')
        .reduce((a, r) => a + Number(r.n), 0);
      const r = row(c.location, owner);
      r.accuracyPct = Math.round(((total - nonMatch) / total) * 1000) / 10;
      r.exceptionRatePct = Math.round((exceptions / total) * 1000) / 10;
    }
  }
}
