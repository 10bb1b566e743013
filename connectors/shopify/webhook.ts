/**
 * Shopify webhooks: HMAC-SHA256 verification over the raw body, then the payload parsed into
 * raw positions (inventory_levels/update) or shipment events (orders/*).
 * Verification must see the exact bytes Shopify sent: re-serialized JSON does not verify.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { InputError } from '../../engine/core/errors.ts';
import type { RawEvent, RawPosition } from '../../engine/core/model/types.ts';
import type { SourceDef } from '../../engine/core/rules/types.ts';
import type { LiveRefusal } from '../../engine/core/normalize/incomplete.ts';
import { fulfillmentEvent, isoUtc, type Outside } from './events.ts';
import type { FulfillmentLine } from './schema.ts';
import { describe, gid, shape } from './shape.ts';
import { shopifySettings, type ShopifySettings } from './settings.ts';

const NOT_READ =
  'the location is not in settings.locations, which lists the ones this source reads; not read';

export type WebhookHeaders = Record<string, string | string[] | undefined>;
export type WebhookResult = {
  topic: string;
  positions: RawPosition[];
  events: RawEvent[];
  /** Records inside the payload that could not be used, with the reason. */
  problems: string[];
  /**
   * Records at a location the source does not read (not in settings.locations): not its to
   * report, and said so in the reply, each naming the location.
   */
  outside: string[];
  /**
   * Of those, the ones whose key is known (an untracked inventory level): the key is incomplete
   * for the source from their time until its next update, as a refused file row makes it.
   */
  refused: LiveRefusal[];
};
/** Looks up the merchant SKU of an inventory item gid (the REST payload carries only its id). */
export type SkuResolver = (inventoryItemGid: string) => Promise<string | undefined>;

export function verifyShopifyHmac(
  rawBody: Buffer | string,
  hmacHeader: string | undefined,
  secret: string,
): boolean {
  if (!hmacHeader || !secret) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(hmacHeader, 'base64');
  // timingSafeEqual throws on a length mismatch; a wrong length is simply not a match.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const bad = shape((path, expected, got) => {
  throw new InputError(
    'SHOPIFY_WEBHOOK_PAYLOAD',
    `Shopify webhook field ${path}: expected ${expected}, got ${describe(got)}`,
    { file: 'webhook', path },
  );
});

function header(headers: WebhookHeaders, name: string): string | undefined {
  const v = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

function webhookSecret(settings: ShopifySettings, source: SourceDef): string {
  const name = settings.webhookSecretEnv;
  const secret = name ? process.env[name] : undefined;
  if (!secret) {
    throw new InputError(
      'SHOPIFY_WEBHOOK_SECRET_MISSING',
      `source ${source.id}: set settings.webhookSecretEnv to an environment variable holding the app secret`,
      { file: source.file, line: source.line },
    );
  }
  return secret;
}

/** Verifies and parses one webhook delivery; throws InputError on a bad signature or payload. */
export async function handleShopifyWebhook(
  source: SourceDef,
  request: { headers: WebhookHeaders; rawBody: Buffer },
  resolveSku: SkuResolver,
): Promise<WebhookResult> {
  const settings = shopifySettings(source);
  const hmac = header(request.headers, 'x-shopify-hmac-sha256');
  if (!verifyShopifyHmac(request.rawBody, hmac, webhookSecret(settings, source))) {
    throw new InputError(
      'SHOPIFY_WEBHOOK_SIGNATURE',
      hmac
        ? 'X-Shopify-Hmac-Sha256 does not match the body'
        : 'X-Shopify-Hmac-Sha256 header missing',
    );
  }
  const topic = header(request.headers, 'x-shopify-topic') ?? '';
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    throw new InputError('SHOPIFY_WEBHOOK_PAYLOAD', `webhook ${topic}: body is not JSON`);
  }
  return parseShopifyWebhook(source.id, settings, topic, body, resolveSku);
}

export async function parseShopifyWebhook(
  sourceId: string,
  settings: Pick<ShopifySettings, 'locations'>,
  topic: string,
  body: unknown,
  resolveSku: SkuResolver,
): Promise<WebhookResult> {
  const result: WebhookResult = {
    topic,
    positions: [],
    events: [],
    problems: [],
    outside: [],
    refused: [],
  };
  if (topic === 'inventory_levels/update') {
    const p = await inventoryLevelPosition(sourceId, settings, body, resolveSku, result);
    if (p) result.positions.push(p);
    return result;
  }
  if (topic.startsWith('orders/')) {
    for (const e of orderEvents(sourceId, settings, body, topic)) {
      if (typeof e === 'string') result.problems.push(e);
      else if ('outside' in e) result.outside.push(e.outside);
      else result.events.push(e);
    }
    return result;
  }
  throw new InputError('SHOPIFY_WEBHOOK_TOPIC', `webhook topic "${topic}" is not one Tally reads`);
}

async function inventoryLevelPosition(
  sourceId: string,
  settings: Pick<ShopifySettings, 'locations'>,
  body: unknown,
  resolveSku: SkuResolver,
  result: Pick<WebhookResult, 'topic' | 'problems' | 'outside' | 'refused'>,
): Promise<RawPosition | undefined> {
  const level = bad.obj(body, '$');
  const itemGid = gid('InventoryItem', bad.int(level.inventory_item_id, 'inventory_item_id'));
  const locationGid = gid('Location', bad.int(level.location_id, 'location_id'));
  const updatedAtText = bad.str(level.updated_at, 'updated_at');
  const updatedAt = isoUtc(updatedAtText);
  if (updatedAt === undefined) {
    throw new InputError(
      'SHOPIFY_WEBHOOK_PAYLOAD',
      `Shopify webhook field updated_at: expected an ISO date-time, got ${describe(updatedAtText)}`,
      { file: 'webhook', path: 'updated_at' },
    );
  }
  // null: the item's inventory is not tracked (Shopify's documented meaning)
  const available = level.available === null ? null : bad.int(level.available, 'available');
  const location = settings.locations ? settings.locations.get(locationGid) : locationGid;
  // settings.locations lists the locations the source reads: another is not its to report
  if (location === undefined) {
    result.outside.push(`inventory item ${itemGid} at ${locationGid}: ${NOT_READ}`);
    return undefined;
  }
  const sku = await resolveSku(itemGid);
  // untracked, there is no quantity to report; said, and its key left incomplete, as a file row
  // without a quantity is (the position kept from before is not a position confirmed)
  if (available === null) {
    const reason = 'available is null (Shopify tracks no quantity for it)';
    result.problems.push(
      `inventory item ${itemGid} at ${locationGid}: ${reason}; no position taken`,
    );
    if (sku !== undefined)
      result.refused.push({
        file: `webhook:${result.topic}`,
        line: 1,
        reason,
        raw: JSON.stringify(level).slice(0, 500),
        source: sourceId,
        kind: 'positions',
        sku,
        location,
        asOf: updatedAt,
      });
    return undefined;
  }
  if (sku === undefined) {
    result.problems.push(`inventory item ${itemGid} has no SKU`);
    return undefined;
  }
  return {
    source: sourceId,
    sku,
    location,
    status: 'available',
    quantity: available,
    asOf: updatedAt,
  };
}

function orderEvents(
  sourceId: string,
  settings: Pick<ShopifySettings, 'locations'>,
  body: unknown,
  topic: string,
): (RawEvent | string | Outside)[] {
  const order = bad.obj(body, '$');
  const name = bad.str(order.name, 'name');
  const fulfillments =
    order.fulfillments === undefined ? [] : bad.arr(order.fulfillments, 'fulfillments');
  const out: (RawEvent | string | Outside)[] = [];
  fulfillments.forEach((f, i) => {
    const fo = bad.obj(f, `fulfillments[${i}]`);
    const items = bad.arr(fo.line_items, `fulfillments[${i}].line_items`);
    items.forEach((li, j) => {
      const lo = bad.obj(li, `fulfillments[${i}].line_items[${j}]`);
      const line: FulfillmentLine = {
        fulfillmentId: gid('Fulfillment', bad.int(fo.id, `fulfillments[${i}].id`)),
        lineItemId: gid('LineItem', bad.int(lo.id, `fulfillments[${i}].line_items[${j}].id`)),
        sku: bad.optStr(lo.sku, `fulfillments[${i}].line_items[${j}].sku`),
        quantity: bad.int(lo.quantity, `fulfillments[${i}].line_items[${j}].quantity`),
        locationId:
          fo.location_id === null || fo.location_id === undefined
            ? undefined
            : gid('Location', bad.int(fo.location_id, `fulfillments[${i}].location_id`)),
        createdAt: bad.str(fo.created_at, `fulfillments[${i}].created_at`),
        status: bad.str(fo.status, `fulfillments[${i}].status`),
      };
      const e = fulfillmentEvent(sourceId, settings, name, line, {
        file: `webhook:${topic}`,
        line: 1,
      });
      if (e !== undefined && typeof e === 'object' && 'outside' in e)
        out.push({
          outside: `fulfillment ${line.fulfillmentId} line ${line.lineItemId} (order ${name}) at ${e.outside}: ${NOT_READ}`,
        });
      else if (e !== undefined) out.push(e);
    });
  });
  return out;
}
