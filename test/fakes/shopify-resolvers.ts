/**
 * State and resolvers of the fake Shopify Admin GraphQL server: inventory items with levels and
 * named quantities, orders with fulfillments, and inventoryAdjustQuantities that enforces
 * changeFromQuantity and records every adjustment group (readable through inventoryHistory).
 */
export type FakeLevel = {
  locationId: string;
  updatedAt: string;
  quantities: Record<string, number>;
};
export type FakeItem = { id: string; sku: string | null; updatedAt: string; levels: FakeLevel[] };
export type FakeFulfillment = {
  id: string;
  status: string;
  createdAt: string;
  locationId: string | null;
  lines: { lineItemId: string; sku: string | null; quantity: number }[];
};
export type FakeOrder = {
  id: string;
  name: string;
  updatedAt: string;
  fulfillments: FakeFulfillment[];
};
export type FakeChange = {
  inventoryItemId: string;
  locationId: string;
  name: string;
  delta: number;
  quantityAfterChange: number;
  ledgerDocumentUri: string | null;
};
export type FakeAdjustmentGroup = {
  id: string;
  createdAt: string;
  reason: string;
  referenceDocumentUri: string | null;
  changes: FakeChange[];
};
export type FakeState = {
  items: FakeItem[];
  orders: FakeOrder[];
  adjustments: FakeAdjustmentGroup[];
};

type Vars = Record<string, unknown>;
type UserError = { code: string; field: string[]; message: string };

const ADJUSTABLE = [
  'available',
  'damaged',
  'quality_control',
  'safety_stock',
  'reserved',
  'incoming',
];
const PHYSICAL = [
  'available',
  'committed',
  'reserved',
  'damaged',
  'quality_control',
  'safety_stock',
];
const REASONS = [
  'correction',
  'cycle_count_available',
  'damaged',
  'movement_created',
  'movement_updated',
  'movement_received',
  'movement_canceled',
  'other',
  'promotion',
  'quality_control',
  'received',
  'reservation_created',
  'reservation_deleted',
  'reservation_updated',
  'restock',
  'safety_stock',
  'shrinkage',
];

function page<T>(all: T[], first: unknown, after: unknown) {
  const start = typeof after === 'string' ? Number(Buffer.from(after, 'base64').toString()) : 0;
  const size = typeof first === 'number' ? first : 50;
  const nodes = all.slice(start, start + size);
  const end = start + nodes.length;
  return {
    nodes,
    pageInfo: {
      hasNextPage: end < all.length,
      endCursor: nodes.length > 0 ? Buffer.from(String(end)).toString('base64') : null,
    },
  };
}

function levelNode(level: FakeLevel, names: unknown) {
  const wanted = Array.isArray(names) ? (names as string[]) : Object.keys(level.quantities);
  return {
    updatedAt: level.updatedAt,
    location: { id: level.locationId },
    quantities: wanted.map((name) => ({ name, quantity: level.quantities[name] ?? 0 })),
  };
}

function itemNode(item: FakeItem, vars: Vars, levelsAfter?: unknown) {
  return {
    id: item.id,
    sku: item.sku,
    updatedAt: item.updatedAt,
    inventoryLevels: (() => {
      const p = page(item.levels, 50, levelsAfter);
      return { ...p, nodes: p.nodes.map((l) => levelNode(l, vars.names)) };
    })(),
  };
}

/** Shopify search syntax, only as much as Tally sends: sku:"X" and updated_at bounds. */
function skuFilter(query: unknown): string | undefined {
  if (typeof query !== 'string') return undefined;
  const m = /sku:("(?:[^"\\]|\\.)*"|\S+)/.exec(query);
  if (!m) return undefined;
  return m[1]!.startsWith('"') ? (JSON.parse(m[1]!) as string) : m[1];
}

function updatedBounds(query: unknown): { min?: string; max?: string } {
  if (typeof query !== 'string') return {};
  const min = /updated_at:>=?'([^']+)'/.exec(query)?.[1];
  const max = /updated_at:<=?'([^']+)'/.exec(query)?.[1];
  return { min, max };
}

export function resolveQuery(state: FakeState, query: string, vars: Vars): Record<string, unknown> {
  if (/inventoryAdjustQuantities\s*\(/.test(query)) {
    return { inventoryAdjustQuantities: adjust(state, vars.input as Vars) };
  }
  if (/inventoryHistory\s*\(/.test(query)) return { inventoryHistory: history(state, vars) };
  if (/inventoryItems\s*\(/.test(query)) {
    const sku = skuFilter(vars.query);
    const items =
      sku === undefined ? state.items : state.items.filter((i) => i.sku?.startsWith(sku));
    const p = page(items, vars.first, vars.after);
    return { inventoryItems: { ...p, nodes: p.nodes.map((i) => itemNode(i, vars)) } };
  }
  if (/inventoryItem\s*\(/.test(query)) return { inventoryItem: oneItem(state, query, vars) };
  if (/orders\s*\(/.test(query)) return { orders: orders(state, vars) };
  throw new Error('fake Shopify: unsupported query');
}

function oneItem(state: FakeState, query: string, vars: Vars) {
  const item = state.items.find((i) => i.id === (vars.itemId ?? vars.id));
  if (!item) return null;
  if (/inventoryLevel\s*\(/.test(query)) {
    const level = item.levels.find((l) => l.locationId === vars.locationId);
    return { id: item.id, inventoryLevel: level ? levelNode(level, vars.names) : null };
  }
  if (/inventoryLevels\s*\(/.test(query)) return itemNode(item, vars, vars.after);
  return { id: item.id, sku: item.sku };
}

function orders(state: FakeState, vars: Vars) {
  const { min, max } = updatedBounds(vars.query);
  const selected = state.orders
    .filter(
      (o) => (min === undefined || o.updatedAt >= min) && (max === undefined || o.updatedAt <= max),
    )
    .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
  const p = page(selected, vars.first, vars.after);
  return {
    ...p,
    nodes: p.nodes.map((o) => ({
      id: o.id,
      name: o.name,
      updatedAt: o.updatedAt,
      fulfillments: o.fulfillments.map((f) => ({
        id: f.id,
        status: f.status,
        createdAt: f.createdAt,
        location: f.locationId ? { id: f.locationId } : null,
        fulfillmentLineItems: {
          nodes: f.lines.map((l) => ({
            quantity: l.quantity,
            lineItem: { id: l.lineItemId, sku: l.sku },
          })),
        },
      })),
    })),
  };
}

function history(state: FakeState, vars: Vars) {
  const groups = state.adjustments
    .filter((g) =>
      g.changes.some(
        (c) =>
          c.inventoryItemId === vars.itemId &&
          (vars.locationId == null || c.locationId === vars.locationId),
      ),
    )
    .reverse();
  const p = page(groups, vars.first, vars.after);
  return {
    ...p,
    nodes: p.nodes.map((g) => ({
      id: g.id,
      createdAt: g.createdAt,
      referenceDocumentUri: g.referenceDocumentUri,
    })),
  };
}

function adjust(state: FakeState, input: Vars) {
  const errors: UserError[] = [];
  const err = (code: string, field: string[], message: string) =>
    errors.push({ code, field, message });
  const name = String(input.name);
  if (!ADJUSTABLE.includes(name))
    err('INVALID_QUANTITY_NAME', ['input', 'name'], 'The specified quantity name is invalid.');
  if (!REASONS.includes(String(input.reason)))
    err('INVALID_REASON', ['input', 'reason'], 'The specified reason is invalid.');
  const changes = (input.changes as Vars[]) ?? [];
  const targets = changes.map((c, i) => {
    const field = ['input', 'changes', String(i)];
    const item = state.items.find((it) => it.id === c.inventoryItemId);
    const level = item?.levels.find((l) => l.locationId === c.locationId);
    if (!item)
      err('INVALID_INVENTORY_ITEM', field, 'The specified inventory item could not be found.');
    else if (!level)
      err('ITEM_NOT_STOCKED_AT_LOCATION', field, 'The item is not stocked at the location.');
    if (name === 'available' && c.ledgerDocumentUri != null) {
      err(
        'INVALID_AVAILABLE_DOCUMENT',
        field,
        'A ledger document URI is not allowed when adjusting available.',
      );
    }
    if (name !== 'available' && c.ledgerDocumentUri == null) {
      err(
        'INVALID_QUANTITY_DOCUMENT',
        field,
        'A ledger document URI is required except when adjusting available.',
      );
    }
    const current = level?.quantities[name] ?? 0;
    if (level && c.changeFromQuantity != null && c.changeFromQuantity !== current) {
      err(
        'CHANGE_FROM_QUANTITY_STALE',
        [...field, 'changeFromQuantity'],
        'The changeFromQuantity argument no longer matches the persisted quantity.',
      );
    }
    return { change: c, level };
  });
  if (errors.length > 0) return { inventoryAdjustmentGroup: null, userErrors: errors };
  const now = new Date().toISOString();
  const recorded: FakeChange[] = targets.map(({ change, level }) => {
    const delta = Number(change.delta);
    level!.quantities[name] = (level!.quantities[name] ?? 0) + delta;
    if (PHYSICAL.includes(name))
      level!.quantities.on_hand = (level!.quantities.on_hand ?? 0) + delta;
    level!.updatedAt = now;
    return {
      inventoryItemId: String(change.inventoryItemId),
      locationId: String(change.locationId),
      name,
      delta,
      quantityAfterChange: level!.quantities[name]!,
      ledgerDocumentUri: (change.ledgerDocumentUri as string | undefined) ?? null,
    };
  });
  const group: FakeAdjustmentGroup = {
    id: `gid://shopify/InventoryAdjustmentGroup/${state.adjustments.length + 1}`,
    createdAt: now,
    reason: String(input.reason),
    referenceDocumentUri: (input.referenceDocumentUri as string | undefined) ?? null,
    changes: recorded,
  };
  state.adjustments.push(group);
  return {
    inventoryAdjustmentGroup: { id: group.id, referenceDocumentUri: group.referenceDocumentUri },
    userErrors: [],
  };
}
