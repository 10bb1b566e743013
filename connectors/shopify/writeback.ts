/**
 * Applies an approved correction with inventoryAdjustQuantities, exactly once:
 * - changeFromQuantity makes it a compare-and-swap: if the quantity moved since the approver
 *   saw it, Shopify refuses (CHANGE_FROM_QUANTITY_STALE) and we report `stale` with the
 *   quantity of now, so a person decides again; it is never forced.
 * - the reference document `tally://correction/<idempotencyKey>` is looked up in the item's
 *   inventory history before adjusting and again after a stale answer, so a retry after a lost
 *   response (or a crash) finds the adjustment already applied instead of applying it twice.
 * Transport and auth failures are thrown (ExternalError): the outcome is unknown and the caller
 * retries later, which is safe for the two reasons above.
 */
import type { WriteBackRequest, WriteBackResult } from '../types.ts';
import { ExternalError } from '../../engine/core/errors.ts';
import { shopifyReasonFor } from '../../engine/core/model/reasons.ts';
import type { ShopifyClient } from './client.ts';
import { ADJUST, HISTORY, ITEMS_BY_SKU, LEVEL_QUANTITY } from './queries.ts';
import {
  parseAdjustPayload,
  parseHistoryPage,
  parseItemsBySku,
  parseLevelQuantity,
} from './schema.ts';
import type { ShopifySettings } from './settings.ts';

/** Names inventoryAdjustQuantities accepts; committed and on_hand are not adjusted directly. */
const ADJUSTABLE = new Set([
  'available',
  'damaged',
  'quality_control',
  'safety_stock',
  'reserved',
  'incoming',
]);

/** How far back the inventory history is searched for an earlier attempt (pages of 50). */
const HISTORY_PAGES = 10;

export function correctionUri(idempotencyKey: string): string {
  return `tally://correction/${encodeURIComponent(idempotencyKey)}`;
}

export async function shopifyWriteBack(
  client: ShopifyClient,
  settings: ShopifySettings,
  request: WriteBackRequest,
): Promise<WriteBackResult> {
  const invalid = checkRequest(request);
  if (invalid) return { status: 'failed', reason: invalid };
  const locationId = resolveLocation(settings, request.location);
  if (locationId === undefined) {
    return {
      status: 'failed',
      reason: `location ${request.location} is not mapped to a Shopify location`,
    };
  }
  const item = await resolveItem(client, request.sku);
  if ('reason' in item) return { status: 'failed', reason: item.reason };
  const uri = correctionUri(request.idempotencyKey);
  const earlier = await findAdjustment(client, item.id, locationId, uri);
  if (earlier) return { status: 'applied', externalId: earlier };

  const res = await client.request(
    ADJUST,
    { input: adjustInput(request, item.id, locationId, uri) },
    { retryUnknown: false },
  );
  const payload = parseAdjustPayload(res.data);
  if (payload.ok) return { status: 'applied', externalId: payload.groupId };
  if (payload.errors.some((e) => e.code === 'CHANGE_FROM_QUANTITY_STALE')) {
    // Our own earlier attempt may be what moved the quantity.
    const mine = await findAdjustment(client, item.id, locationId, uri);
    if (mine) return { status: 'applied', externalId: mine };
    const current = await currentQuantity(client, item.id, locationId, request.rawStatus);
    if (current === undefined) {
      return {
        status: 'failed',
        reason: `${request.sku} is no longer stocked at ${request.location}`,
      };
    }
    return { status: 'stale', currentQuantity: current };
  }
  return {
    status: 'failed',
    reason: payload.errors.map((e) => `${e.code}: ${e.message}`).join('; '),
  };
}

function checkRequest(r: WriteBackRequest): string | undefined {
  if (!ADJUSTABLE.has(r.rawStatus))
    return `Shopify cannot adjust the "${r.rawStatus}" quantity directly`;
  if (!Number.isInteger(r.delta) || r.delta === 0)
    return `delta must be a non-zero integer, got ${r.delta}`;
  if (!Number.isInteger(r.expectedCurrent))
    return `expectedCurrent must be an integer, got ${r.expectedCurrent}`;
  if (r.idempotencyKey === '') return 'idempotencyKey is empty';
  return undefined;
}

function adjustInput(r: WriteBackRequest, itemId: string, locationId: string, uri: string) {
  // Shopify requires a ledger document for every name except `available`, and refuses one there.
  const ledger = r.rawStatus === 'available' ? {} : { ledgerDocumentUri: uri };
  return {
    name: r.rawStatus,
    // from the reason catalogue; a code it does not know goes as a plain `correction`
    reason: shopifyReasonFor(r.reasonCode),
    referenceDocumentUri: uri,
    changes: [
      {
        delta: r.delta,
        inventoryItemId: itemId,
        locationId,
        changeFromQuantity: r.expectedCurrent,
        ...ledger,
      },
    ],
  };
}

function resolveLocation(settings: ShopifySettings, code: string): string | undefined {
  if (code.startsWith('gid://shopify/Location/')) return code;
  for (const [gidValue, mapped] of settings.locations ?? []) if (mapped === code) return gidValue;
  return undefined;
}

async function resolveItem(
  client: ShopifyClient,
  sku: string,
): Promise<{ id: string } | { reason: string }> {
  if (sku.startsWith('gid://shopify/InventoryItem/')) return { id: sku };
  const res = await client.request(ITEMS_BY_SKU, { query: `sku:${JSON.stringify(sku)}` });
  const ids = parseItemsBySku(res.data, sku);
  if (ids.length === 1) return { id: ids[0]! };
  return {
    reason:
      ids.length === 0
        ? `no Shopify inventory item has SKU ${sku}`
        : `SKU ${sku} matches ${ids.length} inventory items`,
  };
}

async function findAdjustment(
  client: ShopifyClient,
  itemId: string,
  locationId: string,
  uri: string,
): Promise<string | undefined> {
  let after: string | undefined;
  for (let page = 0; page < HISTORY_PAGES; page++) {
    const res = await historyPage(client, { itemId, locationId, first: 50, after: after ?? null });
    if (res === undefined) return undefined;
    const { groups, page: info } = parseHistoryPage(res.data);
    const hit = groups.find((g) => g.referenceDocumentUri === uri);
    if (hit) return hit.id;
    if (!info.hasNextPage) return undefined;
    after = info.endCursor;
  }
  return undefined;
}

/**
 * inventoryHistory is not served by every API version. Without it the compare-and-swap still
 * prevents a second application; a retry then reports `stale` and a person decides again.
 */
async function historyPage(client: ShopifyClient, vars: Record<string, unknown>) {
  try {
    return await client.request(HISTORY, vars);
  } catch (e) {
    const unsupported =
      e instanceof ExternalError &&
      e.code === 'SHOPIFY_GRAPHQL_ERROR' &&
      e.message.includes('inventoryHistory');
    if (unsupported) return undefined;
    throw e;
  }
}

async function currentQuantity(
  client: ShopifyClient,
  itemId: string,
  locationId: string,
  name: string,
): Promise<number | undefined> {
  const res = await client.request(LEVEL_QUANTITY, { itemId, locationId, names: [name] });
  return parseLevelQuantity(res.data, name);
}
