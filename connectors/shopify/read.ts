/**
 * A pull from Shopify: every inventory level as a full snapshot of named quantities (on_hand
 * included under its own name; the StatusMap marks it 'ignore' because it is a derived total),
 * and fulfilled order lines as shipment events, incrementally by order updated_at.
 */
import { createHash } from 'node:crypto';
import type { FileSummary, ReadContext, ReadResult, RejectedKey, Sink } from '../types.ts';
import { InputError } from '../../engine/core/errors.ts';
import type { ShopifyClient } from './client.ts';
import { INVENTORY_ITEMS, ITEM_LEVELS, ORDERS, QUANTITY_NAMES } from './queries.ts';
import {
  isProblem,
  parseInventoryPage,
  parseItemLevelsPage,
  parseOrdersPage,
  type InventoryItemNode,
  type Level,
  type Problem,
} from './schema.ts';
import { salvageRecord } from './salvage.ts';
import type { ShopifySettings } from './settings.ts';
import { fulfillmentEvent, outsideNote } from './events.ts';

type Tally = {
  summary: FileSummary;
  hash: ReturnType<typeof createHash>;
  /** Records at locations the source does not read, by location gid (outsideNote). */
  outside: Map<string, number>;
};

export type ShopifyCursor = { ordersUpdatedAt?: string };

export function parseCursor(cursor: string | undefined): ShopifyCursor {
  if (cursor === undefined || cursor === '') return {};
  try {
    const c = JSON.parse(cursor) as ShopifyCursor;
    if (c.ordersUpdatedAt !== undefined && Number.isNaN(Date.parse(c.ordersUpdatedAt)))
      throw new Error();
    return c;
  } catch {
    throw new InputError(
      'SHOPIFY_CURSOR',
      `Shopify cursor is not one Tally wrote: ${cursor.slice(0, 80)}`,
    );
  }
}

function tally(file: string): Tally {
  return {
    summary: { file, sha256: '', read: 0, accepted: 0, rejected: 0 },
    hash: createHash('sha256'),
    outside: new Map(),
  };
}

function finish(t: Tally, what: readonly [string, string]): FileSummary {
  const summary = { ...t.summary, sha256: t.hash.digest('hex') };
  if (t.outside.size) summary.notes = [...(summary.notes ?? []), outsideNote(what, t.outside)];
  return summary;
}

function countOutside(t: Tally, locationId: string): void {
  t.outside.set(locationId, (t.outside.get(locationId) ?? 0) + 1);
}

export async function readShopify(
  ctx: ReadContext,
  sink: Sink,
  settings: ShopifySettings,
  client: ShopifyClient,
): Promise<ReadResult> {
  const cursor = parseCursor(ctx.cursor);
  const inventory = await readInventory(ctx, sink, settings, client);
  const orders = await readOrders(ctx, sink, settings, client, cursor);
  return {
    files: [
      finish(inventory, ['inventory level', 'inventory levels']),
      finish(orders.tally, ['fulfilled line', 'fulfilled lines']),
    ],
    cursor: JSON.stringify({ ordersUpdatedAt: orders.maxUpdatedAt ?? cursor.ordersUpdatedAt }),
  };
}

async function readInventory(
  ctx: ReadContext,
  sink: Sink,
  settings: ShopifySettings,
  client: ShopifyClient,
): Promise<Tally> {
  const t = tally(`${settings.endpoint}#inventoryItems`);
  // The API answers with the quantities of now; the snapshot is stamped when the pull began.
  const asOf = new Date().toISOString();
  t.summary.notes = [
    `as-of ${asOf}: the time this pull began, since Shopify reports inventory levels as they are now ` +
      '(a run as of an earlier time leaves them out; a run as of now includes them)',
  ];
  let after: string | undefined;
  do {
    ctx.signal?.throwIfAborted();
    const res = await client.request(INVENTORY_ITEMS, {
      first: settings.pageSize,
      after: after ?? null,
      names: QUANTITY_NAMES,
    });
    t.hash.update(res.raw);
    const { items, page } = parseInventoryPage(res.data);
    for (const item of items) {
      const line = ++t.summary.read;
      if (isProblem(item)) {
        reject(
          ctx,
          sink,
          t,
          { line, reason: item.problem, raw: item.raw },
          itemKeys(settings, item.raw),
        );
        continue;
      }
      if (item.sku === undefined) {
        const reason = `inventory item ${item.id} has no SKU`;
        reject(ctx, sink, t, { line, reason, raw: JSON.stringify({ id: item.id }) }, []);
        continue;
      }
      const levels = await allLevels(item, client, t);
      if (isProblem(levels)) {
        const keys = levels.read.flatMap((l) => keyAt(settings, item.sku!, l.locationId));
        const reason = `inventory item ${item.id}: a later page of its levels is malformed (${levels.problem})`;
        reject(ctx, sink, t, { line, reason, raw: levels.raw }, keys);
        continue;
      }
      emitLevels(ctx, sink, settings, { ...item, sku: item.sku }, levels, asOf, line, t);
      t.summary.accepted++;
    }
    after = page.hasNextPage ? page.endCursor : undefined;
  } while (after !== undefined);
  return t;
}

/** Every level of an item; a malformed later page refuses the item (with the levels read). */
async function allLevels(
  item: InventoryItemNode,
  client: ShopifyClient,
  t: Tally,
): Promise<Level[] | (Problem & { read: Level[] })> {
  const levels = [...item.levels];
  let page = item.levelsPage;
  while (page.hasNextPage) {
    const res = await client.request(ITEM_LEVELS, {
      id: item.id,
      after: page.endCursor,
      names: QUANTITY_NAMES,
    });
    t.hash.update(res.raw);
    const more = parseItemLevelsPage(res.data);
    if (isProblem(more)) return { ...more, read: levels };
    levels.push(...more.levels);
    page = more.page;
  }
  return levels;
}

/** The key of an item at a Shopify location, as the positions name it ([] when not read). */
function keyAt(settings: ShopifySettings, sku: string, locationId: string): RejectedKey[] {
  const location = settings.locations ? settings.locations.get(locationId) : locationId;
  return location === undefined ? [] : [{ sku, location }];
}

/** The keys of a refused inventory item: its SKU at each location it names. */
function itemKeys(settings: ShopifySettings, raw: string): RejectedKey[] {
  const s = salvageRecord(raw);
  if (s.sku === undefined) return [];
  return s.locations.flatMap((l) => (l.id === undefined ? [] : keyAt(settings, s.sku!, l.id)));
}

function emitLevels(
  ctx: ReadContext,
  sink: Sink,
  settings: ShopifySettings,
  item: InventoryItemNode & { sku: string },
  levels: Level[],
  asOf: string,
  line: number,
  t: Tally,
): void {
  for (const level of levels) {
    const location = settings.locations
      ? settings.locations.get(level.locationId)
      : level.locationId;
    if (location === undefined) {
      countOutside(t, level.locationId);
      continue;
    }
    for (const q of level.quantities) {
      sink.position({
        source: ctx.source.id,
        sku: item.sku,
        location,
        status: q.name,
        quantity: q.quantity,
        asOf,
        origin: { file: `${settings.endpoint}#inventoryItems`, line },
      });
    }
  }
}

function ordersQuery(cursor: ShopifyCursor, asOf: string | undefined): string | null {
  const parts: string[] = [];
  // >= rather than >: events are idempotent on their id, and a same-second update must not be lost.
  if (cursor.ordersUpdatedAt) parts.push(`updated_at:>='${cursor.ordersUpdatedAt}'`);
  if (asOf) parts.push(`updated_at:<='${asOf}'`);
  return parts.length > 0 ? parts.join(' AND ') : null;
}

async function readOrders(
  ctx: ReadContext,
  sink: Sink,
  settings: ShopifySettings,
  client: ShopifyClient,
  cursor: ShopifyCursor,
): Promise<{ tally: Tally; maxUpdatedAt?: string }> {
  const t = tally(`${settings.endpoint}#orders`);
  let maxUpdatedAt: string | undefined;
  let after: string | undefined;
  do {
    ctx.signal?.throwIfAborted();
    const res = await client.request(ORDERS, {
      first: settings.pageSize,
      after: after ?? null,
      query: ordersQuery(cursor, ctx.asOf),
    });
    t.hash.update(res.raw);
    const { orders, page } = parseOrdersPage(res.data);
    for (const order of orders) {
      const line = ++t.summary.read;
      if (isProblem(order)) {
        reject(ctx, sink, t, { line, reason: order.problem, raw: order.raw }, [], 'events');
        continue;
      }
      if (maxUpdatedAt === undefined || order.updatedAt > maxUpdatedAt)
        maxUpdatedAt = order.updatedAt;
      for (const l of order.lines) {
        const e = fulfillmentEvent(ctx.source.id, settings, order.name, l, {
          file: t.summary.file,
          line,
        });
        if (typeof e === 'string') {
          const keys =
            l.sku === undefined || l.locationId === undefined
              ? []
              : keyAt(settings, l.sku, l.locationId);
          sink.reject({
            file: t.summary.file,
            line,
            reason: e,
            raw: JSON.stringify(l),
            source: ctx.source.id,
            kind: 'events',
            keys,
          });
        } else if (e && 'outside' in e) countOutside(t, e.outside);
        else if (e) sink.event(e);
      }
      t.summary.accepted++;
    }
    after = page.hasNextPage ? page.endCursor : undefined;
  } while (after !== undefined);
  return { tally: t, maxUpdatedAt };
}

function reject(
  ctx: ReadContext,
  sink: Sink,
  t: Tally,
  row: { line: number; reason: string; raw: string },
  keys: RejectedKey[],
  kind: 'positions' | 'events' = 'positions',
): void {
  t.summary.rejected++;
  sink.reject({ file: t.summary.file, ...row, source: ctx.source.id, kind, keys });
}
