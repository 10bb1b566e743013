/**
 * `tally serve` as composed by server/, against a fake Slack and a fake Shopify: the demo-shaped
 * test ruleset with its `shop` source on the Shopify connector, seeded with SKU-1 and SKU-2
 * matching at WH-EAST, exceptions routed to C0EAST.
 */
import { createHmac } from 'node:crypto';
import { startServe } from '../../server/index.ts';
import { signGeneric } from '../../server/generic.ts';
import type { Ruleset } from '../../engine/core/rules/types.ts';
import type { Db } from '../../engine/services/store/db.ts';
import type { LogFields } from '../../engine/core/log.ts';
import { DEMO_RULES } from '../support/engine/demo-rules.ts';
import { buildRuleset } from '../support/engine/ruleset.ts';
import { AS_OF, ITEMS, baseline } from '../support/engine/scenario.ts';
import { FakeSlack } from '../fakes/slack-api.ts';
import { startFakeShopify } from '../fakes/shopify-server.ts';
import { item, level, TOKEN, TOKEN_ENV } from '../connectors/shopify-support.ts';

export const EVENTS_SECRET = 'events-shared-secret';
export const WEBHOOK_SECRET = 'shopify-app-secret';
export const WEBHOOK_ENV = 'TALLY_TEST_SHOPIFY_WEBHOOK_SECRET';
const declared = { file: 'owners.yaml', line: 1 };

/** Reconciliation time: an hour after the seeded positions. */
export const NOW = new Date(Date.parse(AS_OF) + 3_600_000);
export const at = (minutesAfterSeed: number) =>
  new Date(Date.parse(AS_OF) + minutesAfterSeed * 60_000).toISOString();

export function realtimeRuleset(shopifyEndpoint: string): Ruleset {
  const ruleset = buildRuleset({ items: ITEMS, rules: DEMO_RULES });
  const shop = ruleset.sources.get('shop')!;
  ruleset.sources.set('shop', {
    ...shop,
    connector: 'shopify',
    settings: {
      endpoint: shopifyEndpoint,
      accessTokenEnv: TOKEN_ENV,
      webhookSecretEnv: WEBHOOK_ENV,
      // the one location the shop's source reads (kept as its gid: the Mappings name it WH-EAST)
      locations: { 'gid://shopify/Location/1': 'gid://shopify/Location/1' },
    },
  });
  ruleset.receivers = new Map([
    ['default', { ...declared, name: 'default', slackChannel: '#inv-east' }],
  ]);
  return ruleset;
}

/** A WMS shipment of SKU-2 at WH-EAST in the generic form, `minutes` after the seeded positions. */
export const shipment = (id: string, quantity = 5, minutes = 20) => ({
  source: 'wms-east',
  sourceEventId: id,
  type: 'shipment',
  sku: 'SKU-2',
  location: 'WH-EAST-A-01',
  fromStatus: 'AVAILABLE',
  quantity,
  occurredAt: at(minutes),
  reference: `SO-${id}`,
});

export async function startRealtime(
  db: Db,
  options: { slackChannels?: boolean; log?: (line: string, fields?: LogFields) => void } = {},
) {
  process.env[TOKEN_ENV] = TOKEN;
  process.env[WEBHOOK_ENV] = WEBHOOK_SECRET;
  const slack = new FakeSlack({ channels: { 'inv-east': 'C0EAST' } });
  await slack.start();
  const shopify = await startFakeShopify({
    token: TOKEN,
    state: {
      items: [
        item(1, 'SKU-1', [level('gid://shopify/Location/1', { available: 100 })]),
        item(2, 'SKU-2', [level('gid://shopify/Location/1', { available: 100 })]),
      ],
    },
  });
  const ruleset = realtimeRuleset(shopify.endpoint);
  const served = await startServe({
    db,
    ruleset,
    rulesDir: 'rules',
    port: 0,
    slack:
      options.slackChannels === false
        ? null
        : { token: 'xoxb-test', signingSecret: 'sign', slackApiUrl: slack.url },
    digestCron: '0 8 * * *',
    reminderHours: 24,
    exportDir: 'exports',
    log: options.log ?? (() => {}),
    env: { TALLY_EVENTS_SECRET: EVENTS_SECRET },
    live: { seed: (intake) => baseline(intake, ['SKU-1', 'SKU-2']), now: () => NOW },
  });
  return {
    slack,
    shopify,
    served,
    ruleset,
    async stop() {
      await served.stop();
      await slack.stop();
      await shopify.close();
    },
  };
}

export async function postGeneric(
  url: string,
  body: unknown,
  opts: { secret?: string; timestampSec?: number } = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const raw = JSON.stringify(body);
  const ts = opts.timestampSec ?? Math.floor(Date.now() / 1000);
  const res = await fetch(`${url}/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-tally-timestamp': String(ts),
      'x-tally-signature': signGeneric(opts.secret ?? EVENTS_SECRET, ts, raw),
    },
    body: raw,
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** An inventory_levels/update delivery as Shopify sends it (REST ids, HMAC in base64). */
export async function postLevel(
  url: string,
  itemId: number,
  available: number | null,
  updatedAt: string,
  secret = WEBHOOK_SECRET,
  locationId = 1,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const raw = JSON.stringify({
    inventory_item_id: itemId,
    location_id: locationId,
    available,
    updated_at: updatedAt,
    admin_graphql_api_id: `gid://shopify/InventoryLevel/1?inventory_item_id=${itemId}`,
  });
  const res = await fetch(`${url}/webhooks/shopify/shop`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': 'inventory_levels/update',
      'x-shopify-hmac-sha256': createHmac('sha256', secret).update(raw).digest('base64'),
    },
    body: raw,
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

export async function until<T>(check: () => Promise<T | undefined | null | false>, what: string) {
  for (let i = 0; i < 300; i++) {
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
