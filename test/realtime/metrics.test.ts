/**
 * `/metrics` and `/ready` of `tally serve`: the Prometheus text is read back with a parser of
 * the format, and its figures follow the database (an exception raised by a webhook appears
 * with its severity, owner and value); readiness fails while an outbox row has failed for good.
 */
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../engine/services/store/db.ts';
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
    expect(Number(value.value)).toBeCloseTo(Number(exc.value_at_risk), 6);
    const comparisons = after.get('tally_last_run_comparisons')!.metrics;
    expect(comparisons.find((m) => m.labels?.outcome === 'exception')?.value).toBe('1');
    expect(after.has('tally_outbox_rows')).toBe(true);
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
