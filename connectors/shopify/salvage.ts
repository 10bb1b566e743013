/**
 * What can still be read of an inventory record Shopify's documented shape check refused: the
 * item's id and SKU text, and the location id and name of each of its levels (or, for a bulk
 * level line, its parent item). The record is refused whole, so every key it names is missing
 * its quantities: the run leaves those keys incomplete instead of comparing them without them.
 */
export type Salvaged = {
  id?: string;
  sku?: string;
  parentId?: string;
  locations: { id?: string; name?: string }[];
};

export function salvageRecord(raw: string): Salvaged {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return { locations: [] };
  }
  const o = asObject(v);
  if (!o) return { locations: [] };
  const levels = asObject(o.inventoryLevels);
  const nodes = levels ? nodesOf(levels) : o.location !== undefined ? [o] : [];
  return {
    id: text(o.id),
    sku: text(o.sku),
    parentId: text(o.__parentId),
    locations: nodes.map((n) => {
      const location = asObject(asObject(n)?.location);
      return { id: text(location?.id), name: text(location?.name) };
    }),
  };
}

function nodesOf(conn: Record<string, unknown>): unknown[] {
  if (Array.isArray(conn.nodes)) return conn.nodes;
  if (Array.isArray(conn.edges)) return conn.edges.map((e) => asObject(e)?.node);
  return [];
}

function asObject(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}
