/**
 * KPIs over a period, grouped by location, source, owner or sku. Everything is computed from
 * stored facts (run counts and results, exception history, corrections) so any past period
 * can be recomputed. Times compare as ISO strings; system transitions carry the run's as-of.
 */
import { whereInForce } from '../corrections/effective.ts';
import type { Knex } from 'knex';
import { collectHistory, type Dimension } from './history.ts';
import { DEFAULT_CURRENCY } from '../../core/model/money.ts';

export type { Dimension };

export type KpiRow = {
  group: string;
  compared: number | null;
  exceptionKeys: number;
  explainedKeys: number;
  /**
   * Share of compared keys matched or explained, percent; null when compared keys are unknown.
   * By owner, an owner's keys are the matched keys of the cells routed to it plus the explained
   * and exception results it owns.
   */
  accuracyPct: number | null;
  exceptionRatePct: number | null;
  raised: number;
  recurrences: number;
  resolved: number;
  ttrMedianHours: number | null;
  ttrP90Hours: number | null;
  processFailures: number;
  oversellIncidents: number;
  stockoutIncidents: number;
  adjustments: number;
  adjustmentQuantity: number;
  /** Value of the corrections applied, minor units of the report's currency (cents), exact. */
  adjustmentValueMinor: number;
  /** Value at risk of the exceptions open at the period's close, minor units, exact. */
  openVarianceValueAtCloseMinor: number;
  /** Exceptions still open at the period's close. */
  openAtClose: number;
};

export type KpiOptions = { since?: string; until?: string; by: Dimension };
export type KpiReport = {
  since: string;
  until: string;
  by: Dimension;
  /** ISO 4217 code of the values (the exceptions' currency). */
  currency: string;
  rows: KpiRow[];
  total: KpiRow;
};

const EPOCH = '0000-01-01T00:00:00.000Z';

export async function computeKpis(db: Knex, opts: KpiOptions): Promise<KpiReport> {
  const since = opts.since ?? EPOCH;
  const until = opts.until ?? new Date().toISOString();
  const groups = new Map<string, KpiRow>();
  const total = emptyRow('TOTAL');
  const row = (g: unknown): KpiRow => {
    const key = g === null || g === undefined || g === '' ? '(none)' : String(g);
    let r = groups.get(key);
    if (!r) groups.set(key, (r = emptyRow(key)));
    return r;
  };
  const both = (g: unknown, fn: (r: KpiRow) => void): void => {
    fn(row(g));
    fn(total);
  };
  const runIds = db('runs').select('id').where('as_of', '>=', since).andWhere('as_of', '<=', until);

  if (opts.by === 'location' || opts.by === 'source' || opts.by === 'sku') {
    const counts = await db('run_counts')
      .whereIn('run_id', runIds)
      .select(opts.by)
      .sum({ n: 'compared' })
      .groupBy(opts.by);
    for (const c of counts as Record<string, unknown>[])
      if (opts.by !== 'sku' || c.sku !== '')
        both(c[opts.by], (r) => (r.compared = (r.compared ?? 0) + Number(c.n)));
  }
  if (opts.by === 'owner' || total.compared === null) {
    const totals = (await db('runs')
      .where('as_of', '>=', since)
      .andWhere('as_of', '<=', until)
      .sum({ n: 'compared_count' })
      .first()) as { n: unknown } | undefined;
    total.compared = Number(totals?.n ?? 0);
  }

  const results = await db('run_results')
    .whereIn('run_id', runIds)
    .select(opts.by, 'outcome')
    .count({ n: '*' })
    .groupBy(opts.by, 'outcome');
  for (const r of results as Record<string, unknown>[]) {
    both(r[opts.by], (k) =>
      r.outcome === 'exception'
        ? (k.exceptionKeys += Number(r.n))
        : (k.explainedKeys += Number(r.n)),
    );
  }
  const risks = await db('run_results')
    .whereIn('run_id', runIds)
    .whereNotNull('risk')
    .distinct('sku', 'location', 'source', 'owner', 'risk');
  for (const r of risks as Record<string, unknown>[])
    both(r[opts.by], (k) =>
      r.risk === 'oversell' ? (k.oversellIncidents += 1) : (k.stockoutIncidents += 1),
    );

  const history = await collectHistory(db, opts.by, since, until);
  for (const h of history.transitions) {
    both(h.group, (k) => {
      if (h.kind === 'raised') k.raised += 1;
      if (h.kind === 'reopened') k.recurrences += 1;
      if (h.kind === 'resolved') k.resolved += 1;
    });
  }
  const durations = new Map<string, number[]>();
  const allDurations: number[] = [];
  for (const d of history.resolutions) {
    const key = d.group ?? '(none)';
    const list = durations.get(key);
    if (list) list.push(d.hours);
    else durations.set(key, [d.hours]);
    allDurations.push(d.hours);
  }
  for (const f of history.processFailures) both(f.group, (k) => (k.processFailures += 1));

  const dim = opts.by === 'source' ? 'c.system' : `e.${opts.by}`;
  const adjustments = await whereInForce(
    db('corrections as c').join('exceptions as e', 'e.id', 'c.exception_id'),
  )
    .andWhere('c.applied_at', '>=', since)
    .andWhere('c.applied_at', '<=', until)
    .select({ g: dim, delta: 'c.delta_quantity', value: 'c.value_minor' });
  for (const a of adjustments as { g: unknown; delta: unknown; value: unknown }[]) {
    both(a.g, (k) => {
      k.adjustments += 1;
      k.adjustmentQuantity += Math.abs(Number(a.delta));
      k.adjustmentValueMinor += Number(a.value);
    });
  }
  for (const o of history.openAtClose)
    both(o.group, (k) => {
      k.openVarianceValueAtCloseMinor += o.valueMinor;
      k.openAtClose += 1;
    });

  if (opts.by === 'owner') {
    const matched = await matchedByOwner(db, runIds);
    for (const owner of matched.keys()) row(owner);
    if (matched.size > 0)
      for (const r of groups.values())
        r.compared = (matched.get(r.group) ?? 0) + r.exceptionKeys + r.explainedKeys;
  }
  const rows = [...groups.values()].sort((a, b) => a.group.localeCompare(b.group));
  for (const r of rows) finish(r, durations.get(r.group) ?? []);
  finish(total, allDurations);
  return { since, until, by: opts.by, currency: await currencyOfExceptions(db), rows, total };
}

/** The currency the stored exceptions are valued in (the rules' one), USD when none is stored. */
async function currencyOfExceptions(db: Knex): Promise<string> {
  const row = (await db('exceptions').orderBy('id', 'desc').first('currency')) as
    { currency: string } | undefined;
  return row?.currency ?? DEFAULT_CURRENCY.code;
}

/**
 * Matched keys per owner: each location × source's compared keys less its explained and
 * exception results, given to the owner the Owners tree picked for that cell's matches (stored
 * on run_counts since migration 011; older runs have none and add nothing).
 */
async function matchedByOwner(db: Knex, runIds: Knex.QueryBuilder): Promise<Map<string, number>> {
  const counts = (await db('run_counts')
    .whereIn('run_id', runIds)
    .whereNotNull('owner')
    .select('run_id', 'location', 'source', 'owner')
    .sum({ n: 'compared' })
    .groupBy('run_id', 'location', 'source', 'owner')) as Record<string, unknown>[];
  if (counts.length === 0) return new Map();
  const results = (await db('run_results')
    .whereIn('run_id', runIds)
    .select('run_id', 'location', 'source')
    .count({ n: '*' })
    .groupBy('run_id', 'location', 'source')) as Record<string, unknown>[];
  const cell = (r: Record<string, unknown>) => `${r.run_id}\u0000${r.location}\u0000${r.source}`;
  const decided = new Map(results.map((r) => [cell(r), Number(r.n)]));
  const out = new Map<string, number>();
  for (const c of counts) {
    const owner = String(c.owner) || '(none)';
    const n = Math.max(0, Number(c.n) - (decided.get(cell(c)) ?? 0));
    out.set(owner, (out.get(owner) ?? 0) + n);
  }
  return out;
}

function finish(r: KpiRow, hours: number[]): void {
  if (r.compared !== null && r.compared > 0) {
    r.accuracyPct = round(((r.compared - r.exceptionKeys) / r.compared) * 100);
    r.exceptionRatePct = round((r.exceptionKeys / r.compared) * 100);
  }
  r.ttrMedianHours = percentile(hours, 50);
  r.ttrP90Hours = percentile(hours, 90);
}

/** Nearest-rank percentile (the value at rank ceil(p/100 × n)). */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function emptyRow(group: string): KpiRow {
  return {
    group,
    compared: null,
    exceptionKeys: 0,
    explainedKeys: 0,
    accuracyPct: null,
    exceptionRatePct: null,
    raised: 0,
    recurrences: 0,
    resolved: 0,
    ttrMedianHours: null,
    ttrP90Hours: null,
    processFailures: 0,
    oversellIncidents: 0,
    stockoutIncidents: 0,
    adjustments: 0,
    adjustmentQuantity: 0,
    adjustmentValueMinor: 0,
    openVarianceValueAtCloseMinor: 0,
    openAtClose: 0,
  };
}
