/**
 * Fulfilled order lines as shipment events, shared by the GraphQL pull and the orders webhooks
 * so that both produce the same sourceEventId for the same line (events are idempotent on it).
 */
import type { Origin, RawEvent } from '../../engine/core/model/types.ts';
import type { FulfillmentLine } from './schema.ts';
import { gidNumber } from './shape.ts';
import type { ShopifySettings } from './settings.ts';

/**
 * A record at a location the source does not read (`settings.locations` lists the ones it does):
 * not the source's to report, and said so (by the pull in its summary, by a webhook in its reply),
 * never dropped in silence.
 */
export type Outside = { outside: string };

/**
 * A RawEvent, a reject reason (string), Outside for a line shipped from a location the source
 * does not read, or undefined for lines that move no stock.
 */
export function fulfillmentEvent(
  sourceId: string,
  settings: Pick<ShopifySettings, 'locations'>,
  orderName: string,
  line: FulfillmentLine,
  origin: Origin,
): RawEvent | string | Outside | undefined {
  // Only a successful fulfillment has taken stock out; open, cancelled or failed ones have not.
  if (line.status.toLowerCase() !== 'success') return undefined;
  if (line.locationId === undefined) return `fulfillment ${line.fulfillmentId} has no location`;
  const location = settings.locations ? settings.locations.get(line.locationId) : line.locationId;
  if (location === undefined) return { outside: line.locationId };
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

/**
 * What a pull says of the records it did not read for their location: how many (`what`, one
 * and many) at each location not in settings.locations, the most first.
 */
export function outsideNote(
  what: readonly [one: string, many: string],
  counts: ReadonlyMap<string, number>,
): string {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const listed = [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 5)
    .map(([gid, n]) => `${gid} (${n})`);
  const more = counts.size > listed.length ? `, and ${counts.size - listed.length} more` : '';
  return (
    `${total} ${total === 1 ? what[0] : what[1]} at ` +
    `${counts.size === 1 ? 'a location' : `${counts.size} locations`} not in ` +
    `settings.locations were not read (the source reads only the locations listed there): ` +
    `${listed.join(', ')}${more}`
  );
}
