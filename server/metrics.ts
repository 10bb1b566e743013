/**
 * Prometheus metrics (`GET /metrics`, text format) and readiness (`GET /ready`). The figures
 * are read from the database when scraped, so every replica reports the same shared state and
 * nothing is counted twice: open exceptions and their value, the outbox, corrections, and the
 * latest run (durations by phase, rows by source and outcome, comparisons by outcome).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Knex } from 'knex';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SlackCall } from '../bot/outbox/worker.ts';
import type { Routes } from '../bot/app.ts';
import { LIVE_STATES } from '../engine/services/exceptions/states.ts';
import { currencyOf, DEFAULT_CURRENCY, majorOfMinor } from '../engine/core/model/money.ts';

type Row = Record<string, unknown>;
const num = (v: unknown): number => Number(v ?? 0);

export type ReadyCheck = () => Promise<{ ok: boolean; reason?: string }>;

export type Metrics = { registry: Registry; observeSlack: (call: SlackCall) => void };

export function createMetrics(db: Knex): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tally_' });
  const gauge = (
    name: string,
    help: string,
    labelNames: string[],
    collect: (g: Gauge) => Promise<void>,
  ) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        await collect(this);
      },
    });

  gauge(
    'tally_open_exceptions',
    'Open exceptions by severity and owner',
    ['severity', 'owner'],
    async (g) => {
      for (const r of await openExceptions(db))
        g.set({ severity: String(r.severity), owner: String(r.owner) }, num(r.n));
    },
  );
  gauge(
    'tally_open_exceptions_value',
    'Value at risk of open exceptions (currency units) by severity and owner',
    ['severity', 'owner'],
    async (g) => {
      for (const r of await openExceptions(db))
        g.set(
          { severity: String(r.severity), owner: String(r.owner) },
          majorOfMinor(num(r.value), currencyOf(String(r.currency)) ?? DEFAULT_CURRENCY),
        );
    },
  );
  gauge(
    'tally_outbox_rows',
    'Outbox rows by state (pending, sent, failed)',
    ['state'],
    async (g) => {
      const rows = (await db('outbox').select('state').count({ n: '*' }).groupBy('state')) as Row[];
      for (const r of rows) g.set({ state: String(r.state) }, num(r.n));
    },
  );
  gauge(
    'tally_outbox_oldest_pending_seconds',
    'Age of the oldest undelivered outbox row',
    [],
    async (g) => {
      const row = (await db('outbox')
        .where({ state: 'pending' })
        .min({ at: 'created_at' })
        .first()) as Row | undefined;
      g.set(row?.at ? Math.max(0, (Date.now() - Date.parse(String(row.at))) / 1000) : 0);
    },
  );
  gauge('tally_corrections', 'Corrections by state', ['state'], async (g) => {
    const rows = (await db('corrections')
      .select('state')
      .count({ n: '*' })
      .groupBy('state')) as Row[];
    for (const r of rows) g.set({ state: String(r.state) }, num(r.n));
  });
  gauge(
    'tally_last_run_duration_seconds',
    'Duration of the latest run by phase',
    ['phase'],
    async (g) => {
      const run = await latestRun(db);
      for (const [phase, ms] of Object.entries(parse<Record<string, number>>(run?.durations, {}))) {
        if (typeof ms === 'number') g.set({ phase }, ms / 1000);
      }
    },
  );
  gauge(
    'tally_last_run_rows',
    'Rows of the latest run by source and outcome',
    ['source', 'outcome'],
    async (g) => {
      const run = await latestRun(db);
      const totals = new Map<string, number>();
      for (const f of parse<Row[]>(run?.inputs, [])) {
        for (const outcome of ['read', 'accepted', 'rejected', 'skipped']) {
          const key = `${String(f.source)}\u0000${outcome}`;
          totals.set(key, (totals.get(key) ?? 0) + num(f[outcome]));
        }
      }
      for (const [key, n] of totals) {
        const [source, outcome] = key.split('\u0000') as [string, string];
        g.set({ source, outcome }, n);
      }
    },
  );
  gauge(
    'tally_last_run_comparisons',
    'Comparisons of the latest run by outcome',
    ['outcome'],
    async (g) => {
      const run = await latestRun(db);
      if (!run) return;
      g.set({ outcome: 'compared' }, num(run.compared_count));
      g.set({ outcome: 'matched' }, num(run.matched_count));
      g.set({ outcome: 'explained' }, num(run.explained_count));
      g.set({ outcome: 'exception' }, num(run.exception_count));
    },
  );
  gauge('tally_last_run_timestamp_seconds', 'When the latest run finished', [], async (g) => {
    const run = await latestRun(db);
    if (run?.finished_at) g.set(Date.parse(String(run.finished_at)) / 1000);
  });
  gauge(
    'tally_writeback_results',
    "Corrections by the system of record's answer to their write-back",
    ['status'],
    async (g) => {
      const rows = (await db('corrections')
        .whereNotNull('writeback_status')
        .select('writeback_status')
        .count({ n: '*' })
        .groupBy('writeback_status')) as Row[];
      for (const r of rows) g.set({ status: String(r.writeback_status) }, num(r.n));
    },
  );
  gauge(
    'tally_scheduler_claims',
    'Scheduled fires claimed by the replicas, by job and status (running, skipped, done, failed)',
    ['job', 'status'],
    async (g) => {
      const rows = (await db('job_claims')
        .select('job', 'status')
        .count({ n: '*' })
        .groupBy('job', 'status')) as Row[];
      for (const r of rows) g.set({ job: String(r.job), status: String(r.status) }, num(r.n));
    },
  );
  return { registry, observeSlack: slackCalls(registry) };
}

/** This process's Slack calls (each replica its own): latency by method, 429s and errors. */
function slackCalls(registry: Registry): (call: SlackCall) => void {
  const latency = new Histogram({
    name: 'tally_slack_api_seconds',
    help: 'Slack Web API calls of the outbox by method and outcome (ok, rate_limited, error)',
    labelNames: ['method', 'outcome'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const limited = new Counter({
    name: 'tally_slack_rate_limited_total',
    help: 'Slack answers 429 (rate limited) by method',
    labelNames: ['method'],
    registers: [registry],
  });
  return (call) => {
    latency.observe({ method: call.method, outcome: call.outcome }, call.seconds);
    if (call.outcome === 'rate_limited') limited.inc({ method: call.method });
  };
}

async function openExceptions(db: Knex): Promise<Row[]> {
  return (await db('exceptions')
    .whereIn('state', [...LIVE_STATES])
    .select('severity', 'owner')
    .count({ n: '*' })
    .sum({ value: 'value_at_risk_minor' })
    .max({ currency: 'currency' })
    .groupBy('severity', 'owner')) as Row[];
}

async function latestRun(db: Knex): Promise<Row | undefined> {
  return (await db('runs').orderBy('started_at', 'desc').first()) as Row | undefined;
}

function parse<T>(text: unknown, fallback: T): T {
  try {
    return typeof text === 'string' ? (JSON.parse(text) as T) : fallback;
  } catch {
    return fallback;
  }
}

/** `/ready`: the database answers and nothing in the outbox failed for good. */
export function databaseReady(db: Knex, extra?: ReadyCheck): ReadyCheck {
  return async () => {
    try {
      await db.raw('select 1');
    } catch (error) {
      return { ok: false, reason: `database: ${(error as Error).message}` };
    }
    const failed = (await db('outbox').where({ state: 'failed' }).count({ n: '*' }).first()) as
      Row | undefined;
    if (num(failed?.n) > 0)
      return { ok: false, reason: `outbox: ${num(failed?.n)} message(s) failed for good` };
    return extra ? extra() : { ok: true };
  };
}

/** Routes for GET /metrics and GET /ready, placed before the others. */
export function observabilityRoutes(registry: Registry, ready: ReadyCheck): Routes {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    if (path === '/metrics') {
      void registry.metrics().then(
        (text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
        (e: unknown) => res.writeHead(500).end(`metrics unavailable: ${String(e)}`),
      );
      return true;
    }
    if (path === '/ready') {
      void ready().then(
        (r) =>
          res
            .writeHead(r.ok ? 200 : 503, { 'Content-Type': 'application/json' })
            .end(JSON.stringify(r)),
        (e: unknown) => res.writeHead(503).end(JSON.stringify({ ok: false, reason: String(e) })),
      );
      return true;
    }
    return false;
  };
}
