/**
 * Shopify Admin GraphQL connector: inventory levels with their named quantities as positions,
 * fulfilled order lines as shipment events, corrections written back with
 * inventoryAdjustQuantities. Webhooks are handled by webhook.ts (handleShopifyWebhook).
 */
import type { Connector, ReadContext, Sink, WriteBackRequest } from '../types.ts';
import type { SourceDef } from '../../engine/core/rules/types.ts';
import { createShopifyClient, type ShopifyClient } from './client.ts';
import { readShopify } from './read.ts';
import { readShopifyFiles } from './offline.ts';
import {
  accessToken,
  checkShopifySettings,
  isOffline,
  offlineSettings,
  shopifySettings,
} from './settings.ts';
import { shopifyWriteBack } from './writeback.ts';
import { ITEM_SKU } from './queries.ts';
import { parseItemSku } from './schema.ts';

export function shopifyClientFor(source: SourceDef, signal?: AbortSignal): ShopifyClient {
  const settings = shopifySettings(source);
  return createShopifyClient({
    endpoint: settings.endpoint,
    token: accessToken(settings, source),
    maxAttempts: settings.maxAttempts,
    timeoutMs: settings.requestTimeoutMs,
    signal,
  });
}

/** SKU lookup for inventory_levels/update webhooks, which carry only the item id. */
export function shopifySkuResolver(
  client: ShopifyClient,
): (itemGid: string) => Promise<string | undefined> {
  const cache = new Map<string, string | undefined>();
  return async (itemGid) => {
    if (cache.has(itemGid)) return cache.get(itemGid);
    const res = await client.request(ITEM_SKU, { id: itemGid });
    const sku = parseItemSku(res.data);
    cache.set(itemGid, sku);
    return sku;
  };
}

export const shopifyConnector: Connector = {
  id: 'shopify',
  displayName: 'Shopify Admin GraphQL',
  checkSettings: checkShopifySettings,
  async read(ctx: ReadContext, sink: Sink) {
    if (isOffline(ctx.source)) return readShopifyFiles(ctx, sink, offlineSettings(ctx.source));
    const settings = shopifySettings(ctx.source);
    return readShopify(ctx, sink, settings, shopifyClientFor(ctx.source, ctx.signal));
  },
  async writeBack(source: SourceDef, request: WriteBackRequest) {
    return shopifyWriteBack(shopifyClientFor(source), shopifySettings(source), request);
  },
};

export { handleShopifyWebhook, verifyShopifyHmac } from './webhook.ts';
export { correctionUri } from './writeback.ts';
