/**
 * Shopify payloads parsed at the boundary: the GraphQL envelope, inventory and order pages, the
 * inventoryAdjustQuantities payload and inventory history. A response that does not have the
 * documented shape is Shopify's failure (ExternalError SHOPIFY_BAD_RESPONSE); a single record
 * with a bad value is returned as a problem so the reader can reject just that record.
 */
import { ExternalError } from '../../engine/core/errors.ts';
import { describe, shape, type Shape } from './shape.ts';

export type ThrottleStatus = {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
};

export type Envelope = {
  data: Record<string, unknown>;
  errors: string[];
  throttled: boolean;
  throttle?: ThrottleStatus;
  requestedCost?: number;
};

export type PageInfo = { hasNextPage: boolean; endCursor?: string };
export type Quantity = { name: string; quantity: number };
export type Level = { locationId: string; updatedAt?: string; quantities: Quantity[] };
export type InventoryItemNode = {
  id: string;
  sku?: string;
  updatedAt?: string;
  levels: Level[];
  levelsPage: PageInfo;
};
export type Problem = { problem: string; raw: string };
export type FulfillmentLine = {
  fulfillmentId: string;
  lineItemId: string;
  sku?: string;
  quantity: number;
  locationId?: string;
  createdAt: string;
  status: string;
};
export type OrderNode = { id: string; name: string; updatedAt: string; lines: FulfillmentLine[] };
export type AdjustPayload =
  { ok: true; groupId: string } | { ok: false; errors: { code: string; message: string }[] };
export type HistoryGroup = { id: string; referenceDocumentUri?: string };

const badResponse: Shape = shape((path, expected, got) => {
  throw new ExternalError(
    'shopify',
    'SHOPIFY_BAD_RESPONSE',
    `Shopify response field ${path}: expected ${expected}, got ${describe(got)}`,
  );
});

/** Collects a record-level problem instead of failing the whole page. */
class RecordProblem extends Error {}
const inRecord: Shape = shape((path, expected, got) => {
  throw new RecordProblem(`${path}: expected ${expected}, got ${describe(got)}`);
});

export function parseEnvelope(text: string): Envelope {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ExternalError('shopify', 'SHOPIFY_BAD_RESPONSE', 'Shopify response is not JSON');
  }
  const top = badResponse.obj(body, '$');
  const errors = top.errors === undefined ? [] : badResponse.arr(top.errors, 'errors');
  const messages = errors.map((e, i) =>
    badResponse.str(badResponse.obj(e, `errors[${i}]`).message, `errors[${i}].message`),
  );
  const throttled = errors.some((e) => {
    const ext = (e as Record<string, unknown>).extensions as Record<string, unknown> | undefined;
    return ext?.code === 'THROTTLED';
  });
  const cost = (top.extensions as Record<string, unknown> | undefined)?.cost;
  const env: Envelope = { data: {}, errors: messages, throttled };
  if (cost !== undefined) {
    const c = badResponse.obj(cost, 'extensions.cost');
    const t = badResponse.obj(c.throttleStatus, 'extensions.cost.throttleStatus');
    env.requestedCost = badResponse.num(c.requestedQueryCost, 'extensions.cost.requestedQueryCost');
    env.throttle = {
      maximumAvailable: badResponse.num(t.maximumAvailable, 'throttleStatus.maximumAvailable'),
      currentlyAvailable: badResponse.num(
        t.currentlyAvailable,
        'throttleStatus.currentlyAvailable',
      ),
      restoreRate: badResponse.num(t.restoreRate, 'throttleStatus.restoreRate'),
    };
  }
  if (messages.length === 0) env.data = badResponse.obj(top.data, 'data');
  return env;
}

function pageInfo(v: unknown, path: string): PageInfo {
  const p = badResponse.obj(v, path);
  const hasNextPage = badResponse.bool(p.hasNextPage, `${path}.hasNextPage`);
  const endCursor = badResponse.optStr(p.endCursor, `${path}.endCursor`);
  if (hasNextPage && endCursor === undefined) badResponse.str(p.endCursor, `${path}.endCursor`);
  return { hasNextPage, endCursor };
}

function parseLevels(conn: unknown, path: string): { levels: Level[]; page: PageInfo } {
  const c = inRecord.obj(conn, path);
  const nodes = inRecord.arr(c.nodes, `${path}.nodes`);
  const levels = nodes.map((n, i) => {
    const p = `${path}.nodes[${i}]`;
    const level = inRecord.obj(n, p);
    const location = inRecord.obj(level.location, `${p}.location`);
    const quantities = inRecord.arr(level.quantities, `${p}.quantities`).map((q, j) => {
      const qo = inRecord.obj(q, `${p}.quantities[${j}]`);
      return {
        name: inRecord.str(qo.name, `${p}.quantities[${j}].name`),
        quantity: inRecord.int(qo.quantity, `${p}.quantities[${j}].quantity`),
      };
    });
    return {
      locationId: inRecord.str(location.id, `${p}.location.id`),
      updatedAt: inRecord.optStr(level.updatedAt, `${p}.updatedAt`),
      quantities,
    };
  });
  return { levels, page: pageInfo(c.pageInfo, `${path}.pageInfo`) };
}

function parseItem(node: unknown, path: string): InventoryItemNode {
  const item = inRecord.obj(node, path);
  const { levels, page } = parseLevels(item.inventoryLevels, `${path}.inventoryLevels`);
  return {
    id: inRecord.str(item.id, `${path}.id`),
    sku: inRecord.optStr(item.sku, `${path}.sku`),
    updatedAt: inRecord.optStr(item.updatedAt, `${path}.updatedAt`),
    levels,
    levelsPage: page,
  };
}

function recordOrProblem<T>(node: unknown, parse: () => T): T | Problem {
  try {
    return parse();
  } catch (e) {
    if (!(e instanceof RecordProblem)) throw e;
    return { problem: e.message, raw: JSON.stringify(node) };
  }
}

export function isProblem<T extends object>(v: T | Problem): v is Problem {
  return 'problem' in v;
}

export function parseInventoryPage(data: Record<string, unknown>): {
  items: (InventoryItemNode | Problem)[];
  page: PageInfo;
} {
  const conn = badResponse.obj(data.inventoryItems, 'data.inventoryItems');
  const nodes = badResponse.arr(conn.nodes, 'data.inventoryItems.nodes');
  const items = nodes.map((n, i) =>
    recordOrProblem(n, () => parseItem(n, `inventoryItems.nodes[${i}]`)),
  );
  return { items, page: pageInfo(conn.pageInfo, 'data.inventoryItems.pageInfo') };
}

/** Further levels of one item (items stocked at more locations than one page holds). */
export function parseItemLevelsPage(
  data: Record<string, unknown>,
): { levels: Level[]; page: PageInfo } | Problem {
  const item = badResponse.obj(data.inventoryItem, 'data.inventoryItem');
  return recordOrProblem(item, () =>
    parseLevels(item.inventoryLevels, 'inventoryItem.inventoryLevels'),
  );
}

function parseOrder(node: unknown, path: string): OrderNode {
  const o = inRecord.obj(node, path);
  const fulfillments = inRecord.arr(o.fulfillments, `${path}.fulfillments`);
  const lines = fulfillments.flatMap((f, i) => {
    const fp = `${path}.fulfillments[${i}]`;
    const fo = inRecord.obj(f, fp);
    const location =
      fo.location === null || fo.location === undefined
        ? undefined
        : inRecord.obj(fo.location, `${fp}.location`);
    const conn = inRecord.obj(fo.fulfillmentLineItems, `${fp}.fulfillmentLineItems`);
    return inRecord.arr(conn.nodes, `${fp}.fulfillmentLineItems.nodes`).map((l, j) => {
      const lp = `${fp}.fulfillmentLineItems.nodes[${j}]`;
      const lo = inRecord.obj(l, lp);
      const lineItem = inRecord.obj(lo.lineItem, `${lp}.lineItem`);
      return {
        fulfillmentId: inRecord.str(fo.id, `${fp}.id`),
        lineItemId: inRecord.str(lineItem.id, `${lp}.lineItem.id`),
        sku: inRecord.optStr(lineItem.sku, `${lp}.lineItem.sku`),
        quantity: inRecord.int(lo.quantity, `${lp}.quantity`),
        locationId: location ? inRecord.str(location.id, `${fp}.location.id`) : undefined,
        createdAt: inRecord.str(fo.createdAt, `${fp}.createdAt`),
        status: inRecord.str(fo.status, `${fp}.status`),
      };
    });
  });
  return {
    id: inRecord.str(o.id, `${path}.id`),
    name: inRecord.str(o.name, `${path}.name`),
    updatedAt: inRecord.str(o.updatedAt, `${path}.updatedAt`),
    lines,
  };
}

export function parseOrdersPage(data: Record<string, unknown>): {
  orders: (OrderNode | Problem)[];
  page: PageInfo;
} {
  const conn = badResponse.obj(data.orders, 'data.orders');
  const nodes = badResponse.arr(conn.nodes, 'data.orders.nodes');
  const orders = nodes.map((n, i) => recordOrProblem(n, () => parseOrder(n, `orders.nodes[${i}]`)));
  return { orders, page: pageInfo(conn.pageInfo, 'data.orders.pageInfo') };
}

export function parseAdjustPayload(data: Record<string, unknown>): AdjustPayload {
  const payload = badResponse.obj(data.inventoryAdjustQuantities, 'data.inventoryAdjustQuantities');
  const errors = badResponse.arr(payload.userErrors, 'inventoryAdjustQuantities.userErrors');
  if (errors.length > 0) {
    return {
      ok: false,
      errors: errors.map((e, i) => {
        const eo = badResponse.obj(e, `userErrors[${i}]`);
        return {
          code: badResponse.optStr(eo.code, `userErrors[${i}].code`) ?? 'UNKNOWN',
          message: badResponse.str(eo.message, `userErrors[${i}].message`),
        };
      }),
    };
  }
  const group = badResponse.obj(payload.inventoryAdjustmentGroup, 'inventoryAdjustmentGroup');
  return { ok: true, groupId: badResponse.str(group.id, 'inventoryAdjustmentGroup.id') };
}

export function parseHistoryPage(data: Record<string, unknown>): {
  groups: HistoryGroup[];
  page: PageInfo;
} {
  const conn = badResponse.obj(data.inventoryHistory, 'data.inventoryHistory');
  const groups = badResponse.arr(conn.nodes, 'inventoryHistory.nodes').map((n, i) => {
    const g = badResponse.obj(n, `inventoryHistory.nodes[${i}]`);
    return {
      id: badResponse.str(g.id, `inventoryHistory.nodes[${i}].id`),
      referenceDocumentUri: badResponse.optStr(
        g.referenceDocumentUri,
        `nodes[${i}].referenceDocumentUri`,
      ),
    };
  });
  return { groups, page: pageInfo(conn.pageInfo, 'inventoryHistory.pageInfo') };
}

/** The current quantity of one name at one item/location; undefined when not stocked there. */
export function parseLevelQuantity(
  data: Record<string, unknown>,
  name: string,
): number | undefined {
  const item = badResponse.obj(data.inventoryItem, 'data.inventoryItem');
  if (item.inventoryLevel === null || item.inventoryLevel === undefined) return undefined;
  const level = badResponse.obj(item.inventoryLevel, 'inventoryItem.inventoryLevel');
  const quantities = badResponse.arr(level.quantities, 'inventoryLevel.quantities');
  for (const [i, q] of quantities.entries()) {
    const qo = badResponse.obj(q, `quantities[${i}]`);
    if (qo.name === name) return badResponse.int(qo.quantity, `quantities[${i}].quantity`);
  }
  return undefined;
}

/** Inventory item ids whose merchant SKU matches exactly (the search is a prefix match). */
export function parseItemsBySku(data: Record<string, unknown>, sku: string): string[] {
  const conn = badResponse.obj(data.inventoryItems, 'data.inventoryItems');
  return badResponse
    .arr(conn.nodes, 'inventoryItems.nodes')
    .map((n, i) => badResponse.obj(n, `inventoryItems.nodes[${i}]`))
    .filter((n) => n.sku === sku)
    .map((n, i) => badResponse.str(n.id, `inventoryItems.nodes[${i}].id`));
}

export function parseItemSku(data: Record<string, unknown>): string | undefined {
  if (data.inventoryItem === null) return undefined;
  const item = badResponse.obj(data.inventoryItem, 'data.inventoryItem');
  return badResponse.optStr(item.sku, 'inventoryItem.sku');
}
