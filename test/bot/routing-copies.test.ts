/**
 * Routing as the rules write it: a route with `continue: true` tells every receiver it reaches
 * (the bundled rules send OVERSELL_RISK to e-commerce and on to the warehouse), each receiving
 * team's user group is mentioned on a new exception, and a later change updates every copy.
 */
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifyException, notifyRun, recordDelivered } from '../../bot/notify.ts';
import { outboxRenderer } from '../../bot/rendering.ts';
import { knexChannelPacer } from '../../bot/outbox/pacer.ts';
import { slackSender } from '../../bot/outbox/senders.ts';
import { knexOutboxStore } from '../../bot/outbox/store.ts';
import { OutboxWorker } from '../../bot/outbox/worker.ts';
import { CONNECTORS } from '../../connectors/registry.ts';
import { loadRulesetOrThrow } from '../../engine/core/rules/load.ts';
import type { Ruleset } from '../../engine/core/rules/types.ts';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import { ownerOf } from '../../engine/services/impact/labels.ts';
import { FakeSlack } from '../fakes/slack-api.ts';
import { keyResult, runResult } from '../storage/fixtures.ts';
import { testDatabases } from '../support/databases.ts';

let ruleset: Ruleset;
beforeAll(async () => {
  ruleset = await loadRulesetOrThrow('rules', { knownConnectors: CONNECTORS.map((c) => c.id) });
});

describe.each(testDatabases())('routing to every receiver on $name', (engine) => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = new FakeSlack();
    await fake.start();
  });
  afterAll(async () => {
    await fake.stop();
    await engine.close();
  });

  it('posts to every receiver of a continue route, mentions each team, updates each copy', async () => {
    const db = await engine.open();
    const worker = new OutboxWorker({
      store: knexOutboxStore(db),
      sender: slackSender(new WebClient('xoxb', { slackApiUrl: fake.url })),
      pacer: knexChannelPacer(db),
      perChannelIntervalMs: 0,
      log: () => {},
      onDelivered: recordDelivered(db),
      render: outboxRenderer(db, () => ruleset),
    });
    const oversell = keyResult({
      sku: 'SKU-00022',
      location: 'WH-EAST',
      source: 'shop',
      cause: 'OVERSELL_RISK',
      severity: 'critical',
      variance: 2,
    });
    const summary = await persistRun(
      db,
      runResult({ runId: 'r1', asOf: new Date().toISOString(), results: [oversell] }),
      {
        owners: (k) => ownerOf(ruleset, k),
      },
    );
    await notifyRun(db, ruleset, summary);
    await worker.drain();
    const shop = fake.channelMessages('#inv-ecommerce');
    const east = fake.channelMessages('#inv-wh-east');
    expect(shop).toHaveLength(1);
    expect(east).toHaveLength(1);
    expect(shop[0]!.text).toContain('<!subteam^S0ECOMOPS01>');
    expect(east[0]!.text).toContain('<!subteam^S0EASTOPS01>');
    expect(JSON.stringify(east[0]!.blocks)).toContain('<!subteam^S0EASTOPS01>');

    const [exc] = await db('exceptions').select('id');
    await db('exceptions').where({ id: exc.id }).update({ state: 'assigned', assignee: 'URES' });
    await notifyException(db, ruleset, Number(exc.id));
    await worker.drain();
    for (const channel of ['#inv-ecommerce', '#inv-wh-east']) {
      const [message] = fake.channelMessages(channel);
      expect(message!.edited, channel).toBe(true);
      expect(JSON.stringify(message!.blocks)).toContain('<@URES>');
    }
  });
});
