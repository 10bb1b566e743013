/**
 * A failed conversations.list at start-up is retried: until it succeeds /health says which
 * channel names are unresolved, and afterwards an update to a message queued by name reaches
 * the channel's id (chat.update needs it). Failed outbox rows show on /health too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifyException } from '../../bot/notify.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import { serve, type Served } from '../../server/serve.ts';
import { FakeSlack } from '../fakes/slack-api.ts';
import { buildRuleset } from '../support/engine/ruleset.ts';
import { DEMO_RULES } from '../support/engine/demo-rules.ts';
import { ITEMS } from '../support/engine/scenario.ts';
import { keyResult, runResult } from '../storage/fixtures.ts';
import { testDatabases } from '../support/databases.ts';

const declared = { file: 'owners.yaml', line: 1 };

describe.each(testDatabases())('channel directory on $name', (engine) => {
  let db: Db;
  let fake: FakeSlack;
  let served: Served;
  const ruleset = buildRuleset({ items: ITEMS, rules: DEMO_RULES });
  ruleset.receivers = new Map([
    ['default', { ...declared, name: 'default', slackChannel: '#inv-east' }],
  ]);

  beforeAll(async () => {
    db = await engine.open();
    fake = new FakeSlack({ channels: { 'inv-east': 'C0EAST' } });
    await fake.start();
    fake.injectFaults({ rate500: 1, methods: ['conversations.list'] });
    served = await serve({
      db,
      ruleset,
      port: 0,
      slack: { token: 'xoxb-test', signingSecret: 'sign', slackApiUrl: fake.url },
      digestCron: '0 8 * * *',
      reminderHours: 24,
      log: () => {},
      channelRetryMs: 100,
    });
  });
  afterAll(async () => {
    await served.stop();
    await fake.stop();
    await engine.close();
  });

  const health = async () =>
    (await (await fetch(`${served.url}/health`)).json()) as Record<string, unknown>;

  it('reports the unresolved names while Slack cannot list channels', async () => {
    expect(await health()).toMatchObject({
      ok: false,
      channelsListed: false,
      unresolvedChannels: ['#inv-east'],
    });
  });

  it('lists again, then updates a message queued by name through the channel id', async () => {
    const summary = await persistRun(
      db,
      runResult({
        runId: 'r1',
        asOf: new Date().toISOString(),
        results: [keyResult({ sku: 'SKU-1', location: 'WH-EAST' })],
      }),
      { owners: () => 'default' },
    );
    const id = summary.opened[0]!;
    await notifyException(db, served.ruleset, id);
    fake.clearFaults();
    await expect.poll(health, { timeout: 10_000 }).toMatchObject({
      ok: true,
      unresolvedChannels: [],
    });
    await expect
      .poll(async () => (await db('exceptions').where({ id }).first()).slack_ts, {
        timeout: 10_000,
      })
      .toBeTruthy();
    await db('exceptions').where({ id }).update({ state: 'assigned', assignee: 'URES' });
    await notifyException(db, served.ruleset, id);
    await expect
      .poll(() => fake.succeeded('chat.update').map((c) => c.args.channel), { timeout: 10_000 })
      .toEqual(['C0EAST']);
  });

  it('shows failed outbox rows on /health', async () => {
    await db('outbox').insert({
      kind: 'post',
      outbox_key: 'broken',
      channel: 'C0EAST',
      state: 'failed',
      payload: '{}',
      attempts: 12,
      next_attempt_at: new Date().toISOString(),
      created_at: new Date().toISOString(),
      updated_at: new Date().toISOString(),
    });
    expect(await health()).toMatchObject({ ok: false, outboxFailed: 1 });
  });
});
