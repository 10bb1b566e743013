/**
 * `/metrics` and `/ready` of `tally serve`: the Prometheus text is read back with a parser of
 * the format, and its figures follow the database (an exception raised by a webhook appears
 * with its severity, owner and value); readiness fails while an outbox row has failed for good.
 */
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../engine/services/store/db.ts';
import { claimFire } from '../../server/scheduler/claims.ts';
import { testDatabases } from '../support/databases.ts';
import { at, postLevel, startRealtime, until } from './support.ts';

type Family = {
  name: string;
  type: string;
  metrics: { value: string; labels?: Record<string, string> }[];
};

async function scrape(url: string): Promise<Map<string, Family>> {
  const res = await fetch(`${url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const families = parsePrometheusTextFormat(await res.text()) as Family[];
  return new Map(families.map((f) => [f.name, f]));
}

describe.each(testDatabases())('/metrics and /ready on $name', (engine) => {
  let db: Db;
  let rt: Awaited<ReturnType<typeof startRealtime>>;

  beforeAll(async () => {
    db = await engine.open();
    rt = await startRealtime(db);
  });
  afterAll(async () => {
    await rt.stop();
    await engine.close();
  });

  it('reports open exceptions by severity and owner, with their value, as the database holds them', async () => {
    const before = await scrape(rt.served.url);
    expect(before.get('tally_open_exceptions')?.metrics ?? []).toEqual([]);
    expect(before.get('tally_process_resident_memory_bytes')?.type).toBe('GAUGE');

    const res = await postLevel(rt.served.url, 1, 90, at(30));
    expect(res.status).toBe(200);
    const exc = await until(
      () => db('exceptions').where({ sku: 'SKU-1', source: 'shop' }).first(),
      'the exception',
    );
    const after = await scrape(rt.served.url);
    const open = after.get('tally_open_exceptions')!;
    expect(open.type).toBe('GAUGE');
    expect(open.metrics).toContainEqual({
      value: '1',
      labels: { severity: String(exc.severity), owner: String(exc.owner) },
    });
    const value = after.get('tally_open_exceptions_value')!.metrics[0]!;
    expect(Number(value.value)).toBe(Number(exc.value_at_risk_minor) / 100);
    const comparisons = after.get('tally_last_run_comparisons')!.metrics;
    expect(comparisons.find((m) => m.labels?.outcome === 'exception')?.value).toBe('1');
    expect(after.has('tally_outbox_rows')).toBe(true);
  });

  it("times the outbox's Slack calls, counts 429s, and reports scheduler claims", async () => {
    rt.slack.injectFaults({ rate429: 1, retryAfterSec: 1, methods: ['chat.postMessage'] });
    const res = await postLevel(rt.served.url, 2, 80, at(40));
    expect(res.status).toBe(200);
    await until(async () => {
      const f = (await scrape(rt.served.url)).get('tally_slack_rate_limited_total');
      return f?.metrics.some((m) => Number(m.value) > 0) ? f : null;
    }, 'a 429 counted');
    rt.slack.clearFaults();
    await until(
      () =>
        db('exceptions').where({ sku: 'SKU-2', source: 'shop' }).whereNotNull('slack_ts').first(),
      'the message posted after the 429',
    );
    const families = await scrape(rt.served.url);
    expect(families.get('tally_slack_api_seconds')?.type).toBe('HISTOGRAM');
    // the parser keeps a histogram's buckets but not its labels: its _count lines say those
    const text = await (await fetch(`${rt.served.url}/metrics`)).text();
    const count = (outcome: string) =>
      [
        ...text.matchAll(
          new RegExp(
            `^tally_slack_api_seconds_count\\{[^}]*method="chat.postMessage"[^}]*outcome="${outcome}"[^}]*\\} (\\d+)$`,
            'gm',
          ),
        ),
      ].reduce((n, m) => n + Number(m[1]), 0);
    expect(count('ok')).toBeGreaterThanOrEqual(1);
    expect(count('rate_limited')).toBeGreaterThanOrEqual(1);

    expect(await claimFire(db, 'digest', new Date(), 'replica-a', 60_000)).toBe('claimed');
    const claims = (await scrape(rt.served.url)).get('tally_scheduler_claims')!.metrics;
    expect(claims).toContainEqual({ value: '1', labels: { job: 'digest', status: 'running' } });
    expect((await scrape(rt.served.url)).has('tally_writeback_results')).toBe(true);
  });

  it('is ready while the database answers and no outbox row failed for good', async () => {
    const ready = await fetch(`${rt.served.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true });
    const now = new Date().toISOString();
    await db('outbox').insert({
      kind: 'post',
      channel: 'C0EAST',
      payload: '{}',
      outbox_key: `metrics-test-${engine.name}`,
      state: 'failed',
      attempts: 9,
      next_attempt_at: now,
      created_at: now,
      updated_at: now,
    });
    const failing = await fetch(`${rt.served.url}/ready`);
    expect(failing.status).toBe(503);
    expect((await failing.json()) as { reason: string }).toMatchObject({
      ok: false,
      reason: 'outbox: 1 message(s) failed for good',
    });
    const rows = (await scrape(rt.served.url)).get('tally_outbox_rows')!.metrics;
    expect(rows.find((m) => m.labels?.state === 'failed')?.value).toBe('1');
    await db('outbox')
      .where({ outbox_key: `metrics-test-${engine.name}` })
      .delete();
  });
});
