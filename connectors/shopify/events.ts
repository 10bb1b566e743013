/**
 * Fulfilled order lines as shipment events, shared by the GraphQL pull and the orders webhooks
 * so that both produce the same sourceEventId for the same line (events are idempotent on it).
 */
import type { Origin, RawEvent } from '../../engine/core/model/types.ts';
import type { FulfillmentLine } from './schema.ts';
import { gidNumber } from './shape.ts';
import type { ShopifySettings } from './settings.ts';

/** A RawEvent, a reject reason (string), or undefined for lines that move no stock. */
export function fulfillmentEvent(
  sourceId: string,
  settings: Pick<ShopifySettings, 'locations'>,
  orderName: string,
  line: FulfillmentLine,
  origin: Origin,
): RawEvent | string | undefined {
  // Only a successful fulfillment has taken stock out; open, cancelled or failed ones have not.
  if (line.status.toLowerCase() !== 'success') return undefined;
  if (line.locationId === undefined) return `fulfillment ${line.fulfillmentId} has no location`;
  const location = settings.locations ? settings.locations.get(line.locationId) : line.locationId;
  if (location === undefined) return undefined;
  if (line.sku === undefined)
    return `line item ${line.lineItemId} of order ${orderName} has no SKU`;
  if (line.quantity <= 0)
    return `line item ${line.lineItemId}: quantity ${line.quantity} is not positive`;
  const occurredAt = isoUtc(line.createdAt);
  if (occurredAt === undefined)
    return `fulfillment ${line.fulfillmentId}: bad createdAt ${line.createdAt}`;
  return {
    source: sourceId,
    sourceEventId: `fulfillment:${gidNumber(line.fulfillmentId)}:line:${gidNumber(line.lineItemId)}`,
    type: 'shipment',
    sku: line.sku,
    location,
    // Shopify moves a fulfilled unit out of `committed` (and so out of on_hand).
    fromStatus: 'committed',
    quantity: line.quantity,
    occurredAt,
    reference: orderName,
    origin,
  };
}

export function isoUtc(value: string): string | undefined {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
