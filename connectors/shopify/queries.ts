/**
 * The Admin GraphQL documents Tally sends. Operation names are stable so that logs (and the
 * test server) can tell them apart.
 */
export const QUANTITY_NAMES = [
  'available',
  'committed',
  'reserved',
  'on_hand',
  'incoming',
  'damaged',
  'quality_control',
  'safety_stock',
] as const;

const LEVELS = `pageInfo { hasNextPage endCursor }
      nodes { updatedAt location { id } quantities(names: $names) { name quantity } }`;

export const INVENTORY_ITEMS = `query TallyInventoryItems($first: Int!, $after: String, $names: [String!]!) {
  inventoryItems(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id sku updatedAt
      inventoryLevels(first: 50) { ${LEVELS} }
    }
  }
}`;

export const ITEM_LEVELS = `query TallyItemLevels($id: ID!, $after: String, $names: [String!]!) {
  inventoryItem(id: $id) {
    id
    inventoryLevels(first: 50, after: $after) { ${LEVELS} }
  }
}`;

export const ORDERS = `query TallyOrders($first: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id name updatedAt
      fulfillments(first: 20) {
        id status createdAt location { id }
        fulfillmentLineItems(first: 100) { nodes { quantity lineItem { id sku } } }
      }
    }
  }
}`;

export const ADJUST = `mutation TallyAdjust($input: InventoryAdjustQuantitiesInput!) {
  inventoryAdjustQuantities(input: $input) {
    inventoryAdjustmentGroup { id referenceDocumentUri }
    userErrors { code field message }
  }
}`;

export const HISTORY = `query TallyHistory($itemId: ID!, $locationId: ID, $first: Int!, $after: String) {
  inventoryHistory(inventoryItemId: $itemId, locationId: $locationId, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id createdAt referenceDocumentUri }
  }
}`;

export const LEVEL_QUANTITY = `query TallyLevelQuantity($itemId: ID!, $locationId: ID!, $names: [String!]!) {
  inventoryItem(id: $itemId) {
    id
    inventoryLevel(locationId: $locationId) { quantities(names: $names) { name quantity } }
  }
}`;

export const ITEMS_BY_SKU = `query TallyItemsBySku($query: String!) {
  inventoryItems(first: 5, query: $query) { nodes { id sku } }
}`;

export const ITEM_SKU = `query TallyItemSku($id: ID!) {
  inventoryItem(id: $id) { id sku }
}`;
